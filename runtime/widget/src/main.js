// @ts-check
/**
 * Starts the widget once the page has a body. Until then `window.BotAssistant` queues calls, so a
 * page may call `BotAssistant.open()` right after the script tag.
 */

const win = /** @type {Window & { BotAssistant?: BotAssistantApi }} */ (window);
// Captured now: document.currentScript is only set while this script runs.
const script = /** @type {HTMLScriptElement | null} */ (document.currentScript);

if (win.BotAssistant) {
  console.warn(LOG_PREFIX, 'assistant.js was loaded twice; keeping the first widget');
} else {
  /** @type {('open' | 'close' | 'reset')[]} calls made before the page had a body */
  const early = [];
  win.BotAssistant = {
    open: () => { early.push('open'); },
    close: () => { early.push('close'); },
    reset: () => { early.push('reset'); },
    sanitizeHtml,
  };

  const start = () => {
    const api = createWidget(readConfig(script));
    win.BotAssistant = api;
    for (const call of early) api[call]();
  };

  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
}
