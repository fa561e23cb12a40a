// @ts-check
/** DOM helpers: elements, icons and the stylesheet beside the script. */

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string>} [attributes]
 * @param {(Node | string)[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
function el(tag, attributes, children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) element.setAttribute(name, value);
  for (const child of children || []) element.append(child);
  return element;
}

/**
 * @param {URL} baseUrl
 * @param {string} name
 * @param {string} className
 */
function icon(baseUrl, name, className) {
  return el('img', { src: new URL('img/' + name, baseUrl).href, alt: '', class: className, draggable: 'false' });
}

/** @param {URL} baseUrl */
function loadStylesheet(baseUrl) {
  const href = new URL('assistant.css', baseUrl).href;
  const existing = Array.from(document.querySelectorAll('link[rel="stylesheet"]'))
    .find((link) => /** @type {HTMLLinkElement} */ (link).href === href);
  if (existing) return Promise.resolve();
  return new Promise((resolve) => {
    const link = el('link', { rel: 'stylesheet', href });
    link.addEventListener('load', () => resolve(undefined));
    link.addEventListener('error', () => {
      console.warn(LOG_PREFIX, 'could not load', href);
      resolve(undefined);
    });
    document.head.appendChild(link);
  });
}
