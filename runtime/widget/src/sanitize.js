// @ts-check
/**
 * Sanitizer for bot-authored HTML: an allowlist, applied by rebuilding the tree node by node.
 */

const ALLOWED_TAGS = new Set(['A', 'B', 'STRONG', 'I', 'EM', 'U', 'BR', 'P', 'UL', 'OL', 'LI', 'CODE']);
/** Elements whose content is not text meant for the reader: dropped with everything inside. */
const DROPPED_WITH_CONTENT = new Set([
  'SCRIPT', 'STYLE', 'TEMPLATE', 'IFRAME', 'FRAME', 'FRAMESET', 'OBJECT', 'EMBED', 'SVG', 'MATH',
  'NOSCRIPT', 'NOEMBED', 'NOFRAMES', 'TEXTAREA', 'SELECT', 'TITLE', 'HEAD', 'XMP', 'PLAINTEXT',
]);
const ALLOWED_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/**
 * Parses bot HTML inertly (a `<template>` has no browsing context: nothing loads or runs) and
 * copies only allowed elements into a fresh fragment of this document.
 * @param {unknown} html
 * @param {{ links?: boolean }} [options] links: false unwraps `<a>` (for text inside buttons)
 * @returns {DocumentFragment}
 */
function sanitizeToFragment(html, options) {
  const keepLinks = !options || options.links !== false;
  const template = document.createElement('template');
  template.innerHTML = html == null ? '' : String(html);
  const out = document.createDocumentFragment();
  copyAllowed(template.content, out, keepLinks);
  return out;
}

/**
 * @param {Node} from
 * @param {Node} to
 * @param {boolean} keepLinks
 */
function copyAllowed(from, to, keepLinks) {
  for (const node of Array.from(from.childNodes)) {
    if (node.nodeType === Node.TEXT_NODE) {
      to.appendChild(document.createTextNode(node.nodeValue || ''));
      continue;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) continue; // comments, processing instructions
    const element = /** @type {Element} */ (node);
    const tag = element.tagName.toUpperCase();
    if (DROPPED_WITH_CONTENT.has(tag)) continue;
    let copy = null;
    if (ALLOWED_TAGS.has(tag)) {
      copy = tag === 'A' ? safeLink(element, keepLinks) : document.createElement(tag.toLowerCase());
    }
    // A disallowed element (or a link with a bad href) is unwrapped: its text survives.
    copyAllowed(element, copy || to, keepLinks);
    if (copy) to.appendChild(copy);
  }
}

/**
 * @param {Element} source
 * @param {boolean} keepLinks
 * @returns {HTMLAnchorElement | null} a clean link, or null when the href is not allowed
 */
function safeLink(source, keepLinks) {
  if (!keepLinks) return null;
  const raw = source.getAttribute('href');
  if (raw == null) return null;
  let url;
  try {
    // The attribute is already entity-decoded; the URL parser strips the tabs and newlines that
    // hide "java\tscript:", so the scheme checked here is the one a browser would follow.
    url = new URL(raw, document.baseURI);
  } catch {
    return null;
  }
  if (!ALLOWED_SCHEMES.has(url.protocol)) return null;
  const link = document.createElement('a');
  link.href = url.href;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  return link;
}

/**
 * Sanitizes bot HTML and returns it as a string (the widget itself renders the fragment).
 * @param {string} html
 * @returns {string}
 */
function sanitizeHtml(html) {
  const holder = document.createElement('div');
  holder.appendChild(sanitizeToFragment(html));
  return holder.innerHTML;
}
