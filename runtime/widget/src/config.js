// @ts-check
/** The widget's configuration, read from its script tag's URL and `data-*` attributes. */

/**
 * @param {HTMLScriptElement | null} script the widget's own script tag (null when it cannot be known)
 * @returns {WidgetConfig}
 */
function readConfig(script) {
  const src = script && script.src ? script.src : document.baseURI;
  const scriptUrl = new URL(src, document.baseURI);
  const data = script ? script.dataset : {};
  return {
    baseUrl: new URL('./', scriptUrl),
    serverUrl: data.server ? new URL(data.server, scriptUrl).href : websocketUrlFor(scriptUrl),
    title: data.title || 'Bot Assistant',
    openAtLoad: data.open === 'true',
    readOnly: data.readonly === 'true',
  };
}

/**
 * The websocket lives at the root of the server that served this script.
 * @param {URL} scriptUrl
 */
function websocketUrlFor(scriptUrl) {
  const origin = scriptUrl.protocol === 'http:' || scriptUrl.protocol === 'https:'
    ? scriptUrl
    : new URL(location.href);
  const url = new URL('/', origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}
