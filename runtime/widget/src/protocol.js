// @ts-check
/** The widget protocol's incoming side: one frame from the server, turned into what the visitor sees. */

/**
 * @param {Widget} w
 * @param {string} data
 */
function onFrame(w, data) {
  /** @type {any} */
  let message;
  try {
    message = JSON.parse(data);
  } catch {
    console.warn(LOG_PREFIX, 'ignored a frame that is not JSON:', data);
    return;
  }
  if (!message || typeof message !== 'object') {
    console.warn(LOG_PREFIX, 'ignored a frame that is not an object:', data);
    return;
  }
  if (w.replaying) waitForReplayEnd(w, REPLAY_QUIET_MS);
  scheduleEndCheck(w);
  if (isOwnEcho(w, message)) return;
  switch (message.kind) {
    case 'BotText':
      showBotMessage(w, message.content);
      break;
    case 'ChoiceRequest':
      showBotMessage(w, message.question);
      if (Array.isArray(message.choices)) showChoices(w, message.groupId, message.choices.filter(isChoice));
      break;
    case 'ChoiceResponse':
      showAnswer(w, findOpenGroup(w, message.groupId), message.itemId, message.content);
      break;
    case 'UserText':
      showUserMessage(w, message.content);
      break;
    case 'StartChatSession':
      if (message.chatText) showBotMessage(w, message.chatText);
      enableChat(w, message.sessionId, message.chatPrompt);
      break;
    case 'EndChatSession':
      w.operatorChat = false;
      disableChat(w);
      break;
    case 'OperatorHandoff':
      showBotMessage(w, message.text);
      openOperatorChat(w);
      break;
    case 'OperatorJoined':
      showNotice(w, String(message.name) + ' joined the conversation');
      openOperatorChat(w);
      break;
    case 'OperatorText':
      showOperatorMessage(w, message.name, message.content);
      break;
    case 'OperatorLeft':
      if (message.reason === 'queue') showNotice(w, String(message.name) + ' had to leave. Waiting for someone else…');
      else {
        if (message.name != null) showNotice(w, String(message.name) + ' left the conversation');
        closeOperatorChat(w);
      }
      break;
    case 'SessionReset':
      w.reconnectAtOnce = true;
      clearTranscript(w);
      closeSocketSoon(w);
      break;
    case 'Error':
      console.warn(LOG_PREFIX, 'server error', message.code, message.message);
      break;
    default:
      console.warn(LOG_PREFIX, 'ignored a frame of unknown kind:', message.kind);
  }
}

/**
 * @param {string} kind
 * @param {unknown} id
 * @param {unknown} value
 */
function echoKey(kind, id, value) {
  return JSON.stringify([kind, String(id), String(value)]);
}

/**
 * Consumes the echo of an answer this tab already shows; any bot request ends the wait.
 * @param {Widget} w
 * @param {any} message
 */
function isOwnEcho(w, message) {
  let key = '';
  if (message.kind === 'ChoiceResponse') key = echoKey(message.kind, message.groupId, message.itemId);
  else if (message.kind === 'UserText') key = echoKey(message.kind, message.sessionId, message.content);
  else {
    w.awaitingEcho = [];
    return false;
  }
  const index = w.awaitingEcho.indexOf(key);
  if (index < 0) return false;
  w.awaitingEcho.splice(index, 1);
  return true;
}

/**
 * @param {unknown} value
 * @returns {value is Choice}
 */
function isChoice(value) {
  return !!value && typeof value === 'object' && 'itemId' in value && 'content' in value;
}
