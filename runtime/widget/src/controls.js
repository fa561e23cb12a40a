// @ts-check
/**
 * What the visitor can do right now: answer a choice, type in the chat editor, restart. Keeps the
 * buttons and the editor enabled only while the server can hear them, and notices the end.
 */

/**
 * @param {Widget} w
 * @param {HTMLElement} row
 * @param {Choice} choice
 */
function pickChoice(w, row, choice) {
  const group = w.choiceGroups.get(row);
  if (!group || w.status !== 'online' || !row.isConnected) return;
  if (!send(w, { kind: 'ChoiceResponse', groupId: group.groupId, itemId: choice.itemId, content: choice.content })) return;
  w.awaitingEcho.push(echoKey('ChoiceResponse', group.groupId, choice.itemId));
  showAnswer(w, row, choice.itemId, choice.content);
}

/** @param {Widget} w */
function sendTypedText(w) {
  const { input } = w.view;
  const content = input.value.trim();
  if (!content || w.chatSessionId == null) return;
  if (!send(w, { kind: 'UserText', sessionId: w.chatSessionId, content })) return;
  w.awaitingEcho.push(echoKey('UserText', w.chatSessionId, content));
  showUserMessage(w, content);
  input.value = '';
  resizeInput(w);
}

/** @param {Widget} w */
function resizeInput(w) {
  const { input } = w.view;
  input.style.height = 'auto';
  input.style.height = Math.min(input.scrollHeight, 120) + 'px';
}

/**
 * @param {Widget} w
 * @param {Id} sessionId
 * @param {unknown} prompt
 */
function enableChat(w, sessionId, prompt) {
  const { root, log, dialog, input } = w.view;
  w.chatSessionId = sessionId;
  w.chatPrompt = typeof prompt === 'string' && prompt ? prompt : 'Type your message…';
  applyInteractivity(w);
  const focusIsOurs = document.activeElement === document.body || document.activeElement === log
    || root.contains(document.activeElement);
  if (!w.replaying && !dialog.hidden && document.hasFocus() && focusIsOurs) input.focus();
}

/** @param {Widget} w */
function disableChat(w) {
  const hadFocus = document.activeElement === w.view.input || document.activeElement === w.view.sendButton;
  w.chatSessionId = null;
  applyInteractivity(w);
  if (hadFocus) w.view.log.focus({ preventScroll: true });
}

/**
 * A person answers from now on: the visitor can type to them (in the flow's open chat, if any).
 * @param {Widget} w
 */
function openOperatorChat(w) {
  if (w.chatSessionId != null) return;
  w.operatorChat = true;
  enableChat(w, 'operator', 'Type your message…');
}

/** @param {Widget} w */
function closeOperatorChat(w) {
  if (!w.operatorChat) return;
  w.operatorChat = false;
  disableChat(w);
}

/**
 * Choices, editor and reset only work while the server can hear them, and not while a replay
 * is rebuilding the transcript (an answer given then would vanish with the old transcript).
 * @param {Widget} w
 */
function applyInteractivity(w) {
  const { root, log, input, sendButton, restartButton, resetButton } = w.view;
  const { readOnly } = w.config;
  const connected = w.status === 'online';
  const usable = connected && !w.replaying && !readOnly;
  for (const button of Array.from(log.querySelectorAll('.ba-choice'))) {
    /** @type {HTMLButtonElement} */ (button).disabled = !usable;
  }
  const chatOpen = w.chatSessionId != null;
  const ended = usable && w.conversationEnded;
  input.disabled = !(usable && chatOpen);
  input.placeholder = !connected ? 'Offline: reconnecting…' : readOnly ? 'Replay: read-only' : chatOpen ? w.chatPrompt : ended ? 'Conversation ended' : 'Choose an option';
  sendButton.disabled = input.disabled;
  sendButton.hidden = ended;
  restartButton.hidden = !ended;
  root.dataset.ended = String(ended);
  resetButton.disabled = !usable;
}

/**
 * The protocol has no "the end" message: the conversation has ended when, after the bot's last
 * message has had time to arrive, nothing is left to answer (no open question, no text box) and
 * no answer of ours is still on its way. Checked once frames stop for a moment, so the gap
 * between an answer and the bot's reply never shows as an ending.
 * @param {Widget} w
 */
function scheduleEndCheck(w) {
  clearTimeout(w.endCheckTimer);
  if (w.conversationEnded) {
    w.conversationEnded = false;
    applyInteractivity(w);
  }
  w.endCheckTimer = setTimeout(() => {
    const { log } = w.view;
    const openQuestion = log.querySelector('.ba-choice');
    const spoke = log.querySelector('.ba-row--bot') !== null;
    w.conversationEnded = spoke && !openQuestion && w.chatSessionId == null && w.awaitingEcho.length === 0;
    applyInteractivity(w);
  }, END_SETTLE_MS);
}

/**
 * @param {Widget} w
 * @param {ConnectionStatus} next
 */
function setStatus(w, next) {
  w.status = next;
  w.view.root.dataset.status = next;
  w.view.statusText.textContent = next === 'online' ? 'Online' : next === 'connecting' ? 'Connecting…' : 'Offline';
  applyInteractivity(w);
}
