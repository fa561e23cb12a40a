// @ts-check
/** One widget: its elements and state, the open/close/reset actions and the event wiring. */

/**
 * @param {WidgetConfig} config
 * @returns {BotAssistantApi}
 */
function createWidget(config) {
  const { baseUrl } = config;
  const botAvatarUrl = new URL('img/bot.svg', baseUrl).href;
  const view = buildView(config, botAvatarUrl);
  const { root, launcher, closeButton, resetButton, restartButton, sendButton, dialog, log, input } = view;

  /** @type {Widget} */
  const w = {
    config,
    view,
    botAvatarUrl,
    choiceGroups: new WeakMap(),
    status: 'offline',
    socket: null,
    retryAttempt: 0,
    retryTimer: undefined,
    resetCloseTimer: undefined,
    reconnectAtOnce: false,
    renderRoot: log,
    replaying: false,
    replayTimer: undefined,
    chatSessionId: null,
    chatPrompt: '',
    operatorChat: false,
    awaitingEcho: [],
    conversationEnded: false,
    endCheckTimer: undefined,
  };

  /** @param {{ focus?: boolean }} [options] focus: false leaves focus alone (opening at load) */
  function open(options) {
    if (!dialog.hidden) return;
    dialog.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute('aria-expanded', 'true');
    if (!w.socket) connect(w); // also skips the rest of a backoff wait: the user is waiting now
    scrollToBottom(w);
    if (options && options.focus === false) return;
    if (w.chatSessionId != null && !input.disabled) input.focus();
    else log.focus({ preventScroll: true });
  }

  function close() {
    if (dialog.hidden) return;
    const hadFocus = dialog.contains(document.activeElement);
    dialog.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute('aria-expanded', 'false');
    if (hadFocus) launcher.focus();
  }

  function reset() {
    if (!send(w, { kind: 'ResetSession' })) return;
    w.reconnectAtOnce = true;
    clearTranscript(w);
    closeSocketSoon(w);
  }

  launcher.addEventListener('click', () => open());
  closeButton.addEventListener('click', close);
  resetButton.addEventListener('click', reset);
  restartButton.addEventListener('click', () => {
    reset();
    input.focus();
  });
  sendButton.addEventListener('click', () => sendTypedText(w));
  dialog.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendTypedText(w);
    }
  });
  input.addEventListener('input', () => resizeInput(w));
  window.addEventListener('online', () => {
    if (!w.socket) connect(w);
  });

  setStatus(w, 'offline');
  loadStylesheet(baseUrl).then(() => {
    root.hidden = false;
  });
  if (!root.isConnected) document.body.appendChild(root);
  // Opening at load must not pull focus: in the studio the preview is an iframe beside the editor.
  if (config.openAtLoad) open({ focus: false });

  return { open: () => open(), close, reset, sanitizeHtml };
}
