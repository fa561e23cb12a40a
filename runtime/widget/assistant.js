// @ts-check
/**
 * Bot Assistant chat widget: one classic script, no build step, no dependencies.
 *
 * Embed with `<script src="https://host/widget/assistant.js" defer></script>`. The script loads
 * `assistant.css` and `img/*.svg` from its own URL and talks to the websocket at the root of the
 * server it was loaded from (override with `data-server`). See README.md for the options.
 */
(function () {
  'use strict';

  /** @typedef {string | number} Id */
  /** @typedef {{ itemId: Id, content: string }} Choice */
  /** @typedef {'connecting' | 'online' | 'offline'} ConnectionStatus */
  /**
   * @typedef {object} WidgetConfig
   * @property {URL} baseUrl     folder the script was loaded from (CSS and icons live there)
   * @property {string} serverUrl websocket URL
   * @property {string} title    header title and dialog label
   * @property {boolean} openAtLoad
   * @property {boolean} readOnly  shows what the server sends and sends nothing (the studio's replay)
   */
  /**
   * @typedef {object} BotAssistantApi
   * @property {() => void} open   opens the dialog (and connects)
   * @property {() => void} close  closes the dialog (the connection stays up)
   * @property {() => void} reset  asks the server for a fresh conversation
   * @property {(html: string) => string} sanitizeHtml  the allowlist sanitizer used for bot text
   */

  const LOG_PREFIX = '[bot-assistant]';
  const RETRY_FIRST_MS = 500;
  const RETRY_CAP_MS = 10_000;
  /** A replay burst is over once the server has been quiet this long... */
  const REPLAY_QUIET_MS = 60;
  /** quiet time after the last frame before "nothing left to answer" counts as the conversation's end */
  const END_SETTLE_MS = 700;
  /** ...or this long after the socket opened with nothing sent at all. */
  const REPLAY_EMPTY_MS = 200;
  /** The server closes the socket after SessionReset; if it does not, we do. */
  const RESET_CLOSE_GRACE_MS = 1500;

  const win = /** @type {Window & { BotAssistant?: BotAssistantApi }} */ (window);
  if (win.BotAssistant) {
    console.warn(LOG_PREFIX, 'assistant.js was loaded twice; keeping the first widget');
    return;
  }

  // Captured now: document.currentScript is only set while this script runs.
  const script = /** @type {HTMLScriptElement | null} */ (document.currentScript);

  // ---------------------------------------------------------------------------------------------
  // Sanitizer for bot-authored HTML: an allowlist, applied by rebuilding the tree node by node.

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

  // ---------------------------------------------------------------------------------------------
  // Configuration from the script tag.

  /** @returns {WidgetConfig} */
  function readConfig() {
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

  // ---------------------------------------------------------------------------------------------
  // DOM helpers.

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

  // ---------------------------------------------------------------------------------------------
  // The widget.

  /**
   * @param {WidgetConfig} config
   * @returns {BotAssistantApi}
   */
  function createWidget(config) {
    const { baseUrl } = config;
    const botAvatarUrl = new URL('img/bot.svg', baseUrl).href;

    // Article compatibility: an existing `<div class="assistant">` hosts the widget.
    const root = /** @type {HTMLElement} */ (document.querySelector('.bot-assistant, .assistant') || el('div'));
    root.classList.add('bot-assistant');
    root.dataset.status = 'offline';
    root.hidden = true; // until the stylesheet is in, so the page never shows raw markup

    const launcher = el('button', {
      type: 'button', class: 'ba-launcher', 'aria-label': 'Open chat', 'aria-haspopup': 'dialog', 'aria-expanded': 'false',
    }, [icon(baseUrl, 'chat.svg', 'ba-launcher-icon')]);

    const statusText = el('span', { class: 'ba-status', role: 'status' });
    const resetButton = el('button', {
      type: 'button', class: 'ba-icon-button', 'aria-label': 'Restart conversation', title: 'Restart conversation',
    }, [icon(baseUrl, 'reset.svg', 'ba-icon')]);
    const closeButton = el('button', {
      type: 'button', class: 'ba-icon-button', 'aria-label': 'Close chat', title: 'Close',
    }, [icon(baseUrl, 'close.svg', 'ba-icon')]);
    const header = el('div', { class: 'ba-header' }, [
      el('span', { class: 'ba-header-avatar' }, [
        el('img', { src: botAvatarUrl, alt: '', class: 'ba-header-avatar-img', draggable: 'false' }),
        el('span', { class: 'ba-dot', 'aria-hidden': 'true' }),
      ]),
      el('div', { class: 'ba-heading' }, [el('span', { class: 'ba-title' }, [config.title]), statusText]),
      resetButton,
      closeButton,
    ]);

    const log = el('div', { class: 'ba-log', role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation', tabindex: '0' });

    const inputId = 'ba-input-' + Math.random().toString(36).slice(2, 8);
    const input = el('textarea', { id: inputId, class: 'ba-input', rows: '1', placeholder: 'Choose an option' });
    const sendButton = el('button', { type: 'button', class: 'ba-send', 'aria-label': 'Send message' }, [icon(baseUrl, 'send.svg', 'ba-icon')]);
    // Shown instead of the send button once the conversation has ended (nothing left to answer).
    const restartButton = el('button', { type: 'button', class: 'ba-restart' }, ['Restart']);
    restartButton.hidden = true;
    const footer = el('div', { class: 'ba-footer' }, [
      el('label', { class: 'ba-visually-hidden', for: inputId }, ['Message']),
      input,
      sendButton,
      restartButton,
    ]);

    const dialog = el('section', { class: 'ba-dialog', role: 'dialog', 'aria-label': config.title }, [header, log, footer]);
    dialog.hidden = true;
    root.append(launcher, dialog);

    /** @type {WeakMap<Element, { groupId: Id, choices: Choice[] }>} */
    const choiceGroups = new WeakMap();

    /** @type {ConnectionStatus} */
    let status = 'offline';
    /** @type {WebSocket | null} */
    let socket = null;
    let retryAttempt = 0;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let retryTimer;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let resetCloseTimer;
    let reconnectAtOnce = false;
    /** Where messages are rendered: the visible log, or a detached buffer while a replay arrives. */
    let renderRoot = /** @type {HTMLElement} */ (log);
    let replaying = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let replayTimer;
    /** @type {Id | null} chat session opened by StartChatSession, or null when the editor is off */
    let chatSessionId = null;
    let chatPrompt = '';
    /** the text box was opened for a person ("Talk to a person", or an operator's takeover) */
    let operatorChat = false;
    /**
     * Answers this tab sent whose live echo (if the server sends one) must not show twice. An echo
     * comes before the bot's reply to it, so the bot's next request ends the wait.
     * @type {string[]}
     */
    let awaitingEcho = [];
    let conversationEnded = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let endCheckTimer;

    // --- view ------------------------------------------------------------------------------------

    function scrollToBottom() {
      log.scrollTop = log.scrollHeight;
    }

    /** @param {HTMLElement} row */
    function appendRow(row) {
      renderRoot.appendChild(row);
      if (renderRoot === log) scrollToBottom();
    }

    /** The bot's avatar sits only on the last of consecutive bot messages. */
    function takeAvatarFromPreviousBotMessage() {
      const last = renderRoot.lastElementChild;
      if (last && last.classList.contains('ba-row--bot')) {
        const avatar = last.querySelector('.ba-avatar');
        if (avatar) avatar.remove();
      }
    }

    /** @param {unknown} html */
    function showBotMessage(html) {
      const content = sanitizeToFragment(html);
      if (!content.textContent || !content.textContent.trim()) return;
      takeAvatarFromPreviousBotMessage();
      appendRow(el('div', { class: 'ba-row ba-row--bot' }, [
        el('img', { src: botAvatarUrl, alt: '', class: 'ba-avatar', draggable: 'false' }),
        el('div', { class: 'ba-bubble' }, [content]),
      ]));
    }

    /**
     * User text is shown as text, never parsed.
     * @param {unknown} text
     */
    function showUserMessage(text) {
      const content = text == null ? '' : String(text);
      if (!content.trim()) return;
      appendRow(el('div', { class: 'ba-row ba-row--user' }, [el('div', { class: 'ba-bubble' }, [content])]));
    }

    /**
     * An operator's message: their initial as the avatar, their name above, the text as text.
     * @param {unknown} name
     * @param {unknown} text
     */
    function showOperatorMessage(name, text) {
      const who = name == null ? 'Operator' : String(name);
      const content = text == null ? '' : String(text);
      if (!content.trim()) return;
      const last = renderRoot.lastElementChild;
      const sameSpeaker = last && last.classList.contains('ba-row--operator') && last.getAttribute('data-name') === who;
      if (sameSpeaker) { const avatar = last.querySelector('.ba-operator'); if (avatar) avatar.remove(); }
      appendRow(el('div', { class: 'ba-row ba-row--operator', 'data-name': who }, [
        el('span', { class: 'ba-operator', 'aria-hidden': 'true' }, [who.trim().charAt(0).toUpperCase() || '?']),
        el('div', { class: 'ba-bubble' }, sameSpeaker ? [content] : [el('span', { class: 'ba-operator-name' }, [who]), content]),
      ]));
    }

    /** @param {string} text a line about the conversation itself (an operator joined or left) */
    function showNotice(text) {
      appendRow(el('div', { class: 'ba-row ba-row--notice', role: 'status' }, [text]));
    }

    /** A person answers from now on: the visitor can type to them (in the flow's open chat, if any). */
    function openOperatorChat() {
      if (chatSessionId != null) return;
      operatorChat = true;
      enableChat('operator', 'Type your message…');
    }

    function closeOperatorChat() {
      if (!operatorChat) return;
      operatorChat = false;
      disableChat();
    }

    /**
     * @param {Id} groupId
     * @param {Choice[]} choices
     */
    function showChoices(groupId, choices) {
      const buttons = choices.map((choice) => {
        const button = el('button', { type: 'button', class: 'ba-choice' });
        button.appendChild(sanitizeToFragment(choice.content, { links: false }));
        button.addEventListener('click', () => pickChoice(row, choice));
        return button;
      });
      const row = el('div', { class: 'ba-row ba-row--choices', role: 'group', 'aria-label': 'Choices' }, buttons);
      choiceGroups.set(row, { groupId, choices });
      appendRow(row);
      applyInteractivity();
      if (!replaying && document.hasFocus() && document.activeElement === log && buttons[0]) buttons[0].focus();
    }

    /**
     * The last unanswered choice group with this id (a flow may ask the same group again).
     * @param {Id} groupId
     */
    function findOpenGroup(groupId) {
      const rows = renderRoot.querySelectorAll('.ba-row--choices');
      for (let i = rows.length - 1; i >= 0; i--) {
        const group = choiceGroups.get(rows[i]);
        if (group && String(group.groupId) === String(groupId)) return /** @type {HTMLElement} */ (rows[i]);
      }
      return null;
    }

    /**
     * Replaces a choice group with the chosen answer; the other choices disappear.
     * @param {HTMLElement | null} row
     * @param {Id} itemId
     * @param {unknown} fallbackText shown (as text) when the choice is not in the group
     */
    function showAnswer(row, itemId, fallbackText) {
      const group = row ? choiceGroups.get(row) : undefined;
      const choice = group && group.choices.find((c) => String(c.itemId) === String(itemId));
      const bubble = el('div', { class: 'ba-bubble ba-answer' });
      if (choice) bubble.appendChild(sanitizeToFragment(choice.content, { links: false }));
      else bubble.textContent = fallbackText == null ? '' : String(fallbackText);
      const answer = el('div', { class: 'ba-row ba-row--user' }, [bubble]);
      if (row) {
        const hadFocus = row.contains(document.activeElement);
        row.replaceWith(answer);
        if (hadFocus) log.focus({ preventScroll: true });
        if (renderRoot === log) scrollToBottom();
      } else {
        appendRow(answer);
      }
    }

    /**
     * @param {HTMLElement} row
     * @param {Choice} choice
     */
    function pickChoice(row, choice) {
      const group = choiceGroups.get(row);
      if (!group || status !== 'online' || !row.isConnected) return;
      if (!send({ kind: 'ChoiceResponse', groupId: group.groupId, itemId: choice.itemId, content: choice.content })) return;
      awaitingEcho.push(echoKey('ChoiceResponse', group.groupId, choice.itemId));
      showAnswer(row, choice.itemId, choice.content);
    }

    /**
     * @param {Id} sessionId
     * @param {unknown} prompt
     */
    function enableChat(sessionId, prompt) {
      chatSessionId = sessionId;
      chatPrompt = typeof prompt === 'string' && prompt ? prompt : 'Type your message…';
      applyInteractivity();
      const focusIsOurs = document.activeElement === document.body || document.activeElement === log
        || root.contains(document.activeElement);
      if (!replaying && !dialog.hidden && document.hasFocus() && focusIsOurs) input.focus();
    }

    function disableChat() {
      const hadFocus = document.activeElement === input || document.activeElement === sendButton;
      chatSessionId = null;
      applyInteractivity();
      if (hadFocus) log.focus({ preventScroll: true });
    }

    /**
     * Choices, editor and reset only work while the server can hear them, and not while a replay
     * is rebuilding the transcript (an answer given then would vanish with the old transcript).
     */
    function applyInteractivity() {
      const connected = status === 'online';
      const usable = connected && !replaying && !config.readOnly;
      for (const button of Array.from(log.querySelectorAll('.ba-choice'))) {
        /** @type {HTMLButtonElement} */ (button).disabled = !usable;
      }
      const chatOpen = chatSessionId != null;
      const ended = usable && conversationEnded;
      input.disabled = !(usable && chatOpen);
      input.placeholder = !connected ? 'Offline: reconnecting…' : config.readOnly ? 'Replay: read-only' : chatOpen ? chatPrompt : ended ? 'Conversation ended' : 'Choose an option';
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
     */
    function scheduleEndCheck() {
      clearTimeout(endCheckTimer);
      if (conversationEnded) {
        conversationEnded = false;
        applyInteractivity();
      }
      endCheckTimer = setTimeout(() => {
        const openQuestion = log.querySelector('.ba-choice');
        const spoke = log.querySelector('.ba-row--bot') !== null;
        conversationEnded = spoke && !openQuestion && chatSessionId == null && awaitingEcho.length === 0;
        applyInteractivity();
      }, END_SETTLE_MS);
    }

    /** @param {ConnectionStatus} next */
    function setStatus(next) {
      status = next;
      root.dataset.status = next;
      statusText.textContent = next === 'online' ? 'Online' : next === 'connecting' ? 'Connecting…' : 'Offline';
      applyInteractivity();
    }

    function resizeInput() {
      input.style.height = 'auto';
      input.style.height = Math.min(input.scrollHeight, 120) + 'px';
    }

    function sendTypedText() {
      const content = input.value.trim();
      if (!content || chatSessionId == null) return;
      if (!send({ kind: 'UserText', sessionId: chatSessionId, content })) return;
      awaitingEcho.push(echoKey('UserText', chatSessionId, content));
      showUserMessage(content);
      input.value = '';
      resizeInput();
    }

    // --- replay: every (re)connection starts with the session's full history ----------------------

    function beginReplay() {
      replaying = true;
      renderRoot = el('div');
      chatSessionId = null;
      operatorChat = false;
      awaitingEcho = [];
      log.setAttribute('aria-busy', 'true');
      waitForReplayEnd(REPLAY_EMPTY_MS);
    }

    /** @param {number} ms */
    function waitForReplayEnd(ms) {
      clearTimeout(replayTimer);
      replayTimer = setTimeout(endReplay, ms);
    }

    /** Swaps the rebuilt transcript in at once, so a reconnect neither duplicates nor flickers. */
    function endReplay() {
      clearTimeout(replayTimer);
      if (!replaying) return;
      replaying = false;
      log.replaceChildren(...Array.from(renderRoot.childNodes));
      renderRoot = log;
      log.removeAttribute('aria-busy');
      applyInteractivity();
      scrollToBottom();
      if (chatSessionId != null) enableChat(chatSessionId, chatPrompt);
    }

    function clearTranscript() {
      clearTimeout(endCheckTimer);
      conversationEnded = false;
      clearTimeout(replayTimer);
      replaying = false;
      renderRoot = log;
      log.removeAttribute('aria-busy');
      log.replaceChildren();
      chatSessionId = null;
      operatorChat = false;
      applyInteractivity();
    }

    // --- protocol --------------------------------------------------------------------------------

    /** @param {string} data */
    function onFrame(data) {
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
      if (replaying) waitForReplayEnd(REPLAY_QUIET_MS);
      scheduleEndCheck();
      if (isOwnEcho(message)) return;
      switch (message.kind) {
        case 'BotText':
          showBotMessage(message.content);
          break;
        case 'ChoiceRequest':
          showBotMessage(message.question);
          if (Array.isArray(message.choices)) showChoices(message.groupId, message.choices.filter(isChoice));
          break;
        case 'ChoiceResponse':
          showAnswer(findOpenGroup(message.groupId), message.itemId, message.content);
          break;
        case 'UserText':
          showUserMessage(message.content);
          break;
        case 'StartChatSession':
          if (message.chatText) showBotMessage(message.chatText);
          enableChat(message.sessionId, message.chatPrompt);
          break;
        case 'EndChatSession':
          operatorChat = false;
          disableChat();
          break;
        case 'OperatorHandoff':
          showBotMessage(message.text);
          openOperatorChat();
          break;
        case 'OperatorJoined':
          showNotice(String(message.name) + ' joined the conversation');
          openOperatorChat();
          break;
        case 'OperatorText':
          showOperatorMessage(message.name, message.content);
          break;
        case 'OperatorLeft':
          if (message.reason === 'queue') showNotice(String(message.name) + ' had to leave. Waiting for someone else…');
          else {
            if (message.name != null) showNotice(String(message.name) + ' left the conversation');
            closeOperatorChat();
          }
          break;
        case 'SessionReset':
          reconnectAtOnce = true;
          clearTranscript();
          closeSocketSoon();
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
     * @param {any} message
     */
    function isOwnEcho(message) {
      let key = '';
      if (message.kind === 'ChoiceResponse') key = echoKey(message.kind, message.groupId, message.itemId);
      else if (message.kind === 'UserText') key = echoKey(message.kind, message.sessionId, message.content);
      else {
        awaitingEcho = [];
        return false;
      }
      const index = awaitingEcho.indexOf(key);
      if (index < 0) return false;
      awaitingEcho.splice(index, 1);
      return true;
    }

    /**
     * @param {unknown} value
     * @returns {value is Choice}
     */
    function isChoice(value) {
      return !!value && typeof value === 'object' && 'itemId' in value && 'content' in value;
    }

    /**
     * @param {object} message
     * @returns {boolean} whether it went out
     */
    function send(message) {
      if (config.readOnly) return false;
      if (!socket || socket.readyState !== WebSocket.OPEN) return false;
      socket.send(JSON.stringify(message));
      return true;
    }

    function connect() {
      clearTimeout(retryTimer);
      retryTimer = undefined;
      if (socket) return;
      setStatus('connecting');
      let ws;
      try {
        ws = new WebSocket(config.serverUrl);
      } catch (error) {
        console.warn(LOG_PREFIX, 'cannot connect to', config.serverUrl, error);
        setStatus('offline');
        scheduleReconnect();
        return;
      }
      socket = ws;
      ws.addEventListener('open', () => {
        if (socket !== ws) return;
        retryAttempt = 0;
        beginReplay();
        setStatus('online');
      });
      ws.addEventListener('message', (event) => {
        if (socket === ws) onFrame(typeof event.data === 'string' ? event.data : '');
      });
      ws.addEventListener('close', () => {
        if (socket !== ws) return;
        socket = null;
        clearTimeout(resetCloseTimer);
        endReplay();
        setStatus('offline');
        if (reconnectAtOnce) {
          reconnectAtOnce = false;
          connect();
        } else {
          scheduleReconnect();
        }
      });
    }

    /** Exponential backoff with jitter, so a restarted server is not hit by every page at once. */
    function scheduleReconnect() {
      if (retryTimer !== undefined) return;
      const ceiling = Math.min(RETRY_CAP_MS, RETRY_FIRST_MS * 2 ** retryAttempt);
      retryAttempt++;
      const delay = ceiling / 2 + Math.random() * (ceiling / 2);
      retryTimer = setTimeout(connect, delay);
    }

    function closeSocketSoon() {
      clearTimeout(resetCloseTimer);
      const ws = socket;
      resetCloseTimer = setTimeout(() => {
        if (ws && socket === ws) ws.close();
      }, RESET_CLOSE_GRACE_MS);
    }

    // --- actions ---------------------------------------------------------------------------------

    /** @param {{ focus?: boolean }} [options] focus: false leaves focus alone (opening at load) */
    function open(options) {
      if (!dialog.hidden) return;
      dialog.hidden = false;
      launcher.hidden = true;
      launcher.setAttribute('aria-expanded', 'true');
      if (!socket) connect(); // also skips the rest of a backoff wait: the user is waiting now
      scrollToBottom();
      if (options && options.focus === false) return;
      if (chatSessionId != null && !input.disabled) input.focus();
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
      if (!send({ kind: 'ResetSession' })) return;
      reconnectAtOnce = true;
      clearTranscript();
      closeSocketSoon();
    }

    launcher.addEventListener('click', () => open());
    closeButton.addEventListener('click', close);
    resetButton.addEventListener('click', reset);
    restartButton.addEventListener('click', () => {
      reset();
      input.focus();
    });
    sendButton.addEventListener('click', sendTypedText);
    dialog.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        sendTypedText();
      }
    });
    input.addEventListener('input', resizeInput);
    window.addEventListener('online', () => {
      if (!socket) connect();
    });

    setStatus('offline');
    loadStylesheet(baseUrl).then(() => {
      root.hidden = false;
    });
    if (!root.isConnected) document.body.appendChild(root);
    // Opening at load must not pull focus: in the studio the preview is an iframe beside the editor.
    if (config.openAtLoad) open({ focus: false });

    return { open: () => open(), close, reset, sanitizeHtml };
  }

  /** @type {('open' | 'close' | 'reset')[]} calls made before the page had a body */
  const early = [];
  win.BotAssistant = {
    open: () => { early.push('open'); },
    close: () => { early.push('close'); },
    reset: () => { early.push('reset'); },
    sanitizeHtml,
  };

  function start() {
    const api = createWidget(readConfig());
    win.BotAssistant = api;
    for (const call of early) api[call]();
  }

  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
})();
