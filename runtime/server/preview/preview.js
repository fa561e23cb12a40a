// @ts-check
/**
 * The preview page's one script besides the widget. The page is sandboxed (an opaque origin), so
 * the studio cannot look into it; this tells the studio, its parent, once the widget has rebuilt
 * its conversation (online, shown, no replay running) or the page shows a problem instead. The
 * studio swaps a new preview frame in only then, so a restart or a replay step never flashes an
 * empty page. The message carries nothing else, so any parent may have it.
 */
(() => {
  if (window.parent === window) return; // popped out into its own tab: nobody to tell
  const POLL_MS = 40;
  const GIVE_UP_MS = 10_000;
  const started = Date.now();

  /** @returns {boolean} */
  function settled() {
    if (document.querySelector('.preview-problem')) return true;
    const widget = /** @type {HTMLElement | null} */ (document.querySelector('.bot-assistant'));
    return widget !== null && widget.dataset.status === 'online' && !widget.hidden && document.querySelector('.ba-log[aria-busy="true"]') === null;
  }

  function check() {
    // The message's shape: runtime/contract/previewPage.ts (PreviewSettledMessage).
    if (settled()) window.parent.postMessage({ source: 'bot-preview', settled: true }, '*');
    else if (Date.now() - started < GIVE_UP_MS) setTimeout(check, POLL_MS);
  }
  check();
})();
