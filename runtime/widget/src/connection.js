// @ts-check
/** The websocket: connect, send, reconnect with backoff, and close after a reset. */

/**
 * @param {Widget} w
 * @param {object} message
 * @returns {boolean} whether it went out
 */
function send(w, message) {
  if (w.config.readOnly) return false;
  if (!w.socket || w.socket.readyState !== WebSocket.OPEN) return false;
  w.socket.send(JSON.stringify(message));
  return true;
}

/** @param {Widget} w */
function connect(w) {
  clearTimeout(w.retryTimer);
  w.retryTimer = undefined;
  if (w.socket) return;
  setStatus(w, 'connecting');
  let ws;
  try {
    ws = new WebSocket(w.config.serverUrl);
  } catch (error) {
    console.warn(LOG_PREFIX, 'cannot connect to', w.config.serverUrl, error);
    setStatus(w, 'offline');
    scheduleReconnect(w);
    return;
  }
  w.socket = ws;
  ws.addEventListener('open', () => {
    if (w.socket !== ws) return;
    w.retryAttempt = 0;
    beginReplay(w);
    setStatus(w, 'online');
  });
  ws.addEventListener('message', (event) => {
    if (w.socket === ws) onFrame(w, typeof event.data === 'string' ? event.data : '');
  });
  ws.addEventListener('close', () => {
    if (w.socket !== ws) return;
    w.socket = null;
    clearTimeout(w.resetCloseTimer);
    endReplay(w);
    setStatus(w, 'offline');
    if (w.reconnectAtOnce) {
      w.reconnectAtOnce = false;
      connect(w);
    } else {
      scheduleReconnect(w);
    }
  });
}

/**
 * Exponential backoff with jitter, so a restarted server is not hit by every page at once.
 * @param {Widget} w
 */
function scheduleReconnect(w) {
  if (w.retryTimer !== undefined) return;
  const ceiling = Math.min(RETRY_CAP_MS, RETRY_FIRST_MS * 2 ** w.retryAttempt);
  w.retryAttempt++;
  const delay = ceiling / 2 + Math.random() * (ceiling / 2);
  w.retryTimer = setTimeout(() => connect(w), delay);
}

/** @param {Widget} w */
function closeSocketSoon(w) {
  clearTimeout(w.resetCloseTimer);
  const ws = w.socket;
  w.resetCloseTimer = setTimeout(() => {
    if (ws && w.socket === ws) ws.close();
  }, RESET_CLOSE_GRACE_MS);
}
