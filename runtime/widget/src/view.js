// @ts-check
/** Builds the widget's elements: the launcher, and the dialog with its header, log and footer. */

/**
 * @param {WidgetConfig} config
 * @param {string} botAvatarUrl
 * @returns {WidgetView}
 */
function buildView(config, botAvatarUrl) {
  const { baseUrl } = config;

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
  return { root, launcher, statusText, resetButton, closeButton, log, input, sendButton, restartButton, dialog };
}
