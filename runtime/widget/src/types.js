// @ts-check
/**
 * The widget's shared types (JSDoc only, no code). The files in this folder are classic scripts
 * that the runtime serves as one `assistant.js` (see runtime/server/widgetBundle.ts).
 */

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
/**
 * The widget's elements, built once by `buildView`.
 * @typedef {object} WidgetView
 * @property {HTMLElement} root
 * @property {HTMLButtonElement} launcher
 * @property {HTMLSpanElement} statusText
 * @property {HTMLButtonElement} resetButton
 * @property {HTMLButtonElement} closeButton
 * @property {HTMLDivElement} log
 * @property {HTMLTextAreaElement} input
 * @property {HTMLButtonElement} sendButton
 * @property {HTMLButtonElement} restartButton  shown instead of the send button once the conversation has ended
 * @property {HTMLElement} dialog
 */
/**
 * One widget: its configuration, its elements and what it knows about the conversation and the
 * connection. The functions in this folder take it as their first argument.
 * @typedef {object} Widget
 * @property {WidgetConfig} config
 * @property {WidgetView} view
 * @property {string} botAvatarUrl
 * @property {WeakMap<Element, { groupId: Id, choices: Choice[] }>} choiceGroups
 * @property {ConnectionStatus} status
 * @property {WebSocket | null} socket
 * @property {number} retryAttempt
 * @property {ReturnType<typeof setTimeout> | undefined} retryTimer
 * @property {ReturnType<typeof setTimeout> | undefined} resetCloseTimer
 * @property {boolean} reconnectAtOnce
 * @property {HTMLElement} renderRoot  where messages are rendered: the visible log, or a detached buffer while a replay arrives
 * @property {boolean} replaying
 * @property {ReturnType<typeof setTimeout> | undefined} replayTimer
 * @property {Id | null} chatSessionId  chat session opened by StartChatSession, or null when the editor is off
 * @property {string} chatPrompt
 * @property {boolean} operatorChat  the text box was opened for a person ("Talk to a person", or an operator's takeover)
 * @property {string[]} awaitingEcho  answers this tab sent whose live echo (if the server sends one) must not show
 *   twice. An echo comes before the bot's reply to it, so the bot's next request ends the wait.
 * @property {boolean} conversationEnded
 * @property {ReturnType<typeof setTimeout> | undefined} endCheckTimer
 */
