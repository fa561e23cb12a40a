// @ts-check
/**
 * Replay: every (re)connection starts with the session's full history. The transcript is rebuilt
 * off-screen and swapped in once the burst is over, so a reconnect neither duplicates nor flickers.
 */

/** @param {Widget} w */
function beginReplay(w) {
  w.replaying = true;
  w.renderRoot = el('div');
  w.chatSessionId = null;
  w.operatorChat = false;
  w.awaitingEcho = [];
  w.view.log.setAttribute('aria-busy', 'true');
  waitForReplayEnd(w, REPLAY_EMPTY_MS);
}

/**
 * @param {Widget} w
 * @param {number} ms
 */
function waitForReplayEnd(w, ms) {
  clearTimeout(w.replayTimer);
  w.replayTimer = setTimeout(() => endReplay(w), ms);
}

/**
 * Swaps the rebuilt transcript in at once.
 * @param {Widget} w
 */
function endReplay(w) {
  clearTimeout(w.replayTimer);
  if (!w.replaying) return;
  const { log } = w.view;
  w.replaying = false;
  log.replaceChildren(...Array.from(w.renderRoot.childNodes));
  w.renderRoot = log;
  log.removeAttribute('aria-busy');
  applyInteractivity(w);
  scrollToBottom(w);
  if (w.chatSessionId != null) enableChat(w, w.chatSessionId, w.chatPrompt);
}

/** @param {Widget} w */
function clearTranscript(w) {
  const { log } = w.view;
  clearTimeout(w.endCheckTimer);
  w.conversationEnded = false;
  clearTimeout(w.replayTimer);
  w.replaying = false;
  w.renderRoot = log;
  log.removeAttribute('aria-busy');
  log.replaceChildren();
  w.chatSessionId = null;
  w.operatorChat = false;
  applyInteractivity(w);
}
