// @ts-check
/** Renders the conversation into the log: bot, user and operator messages, notices, choices and answers. */

/** @param {Widget} w */
function scrollToBottom(w) {
  w.view.log.scrollTop = w.view.log.scrollHeight;
}

/**
 * @param {Widget} w
 * @param {HTMLElement} row
 */
function appendRow(w, row) {
  w.renderRoot.appendChild(row);
  if (w.renderRoot === w.view.log) scrollToBottom(w);
}

/**
 * The bot's avatar sits only on the last of consecutive bot messages.
 * @param {Widget} w
 */
function takeAvatarFromPreviousBotMessage(w) {
  const last = w.renderRoot.lastElementChild;
  if (last && last.classList.contains('ba-row--bot')) {
    const avatar = last.querySelector('.ba-avatar');
    if (avatar) avatar.remove();
  }
}

/**
 * @param {Widget} w
 * @param {unknown} html
 */
function showBotMessage(w, html) {
  const content = sanitizeToFragment(html);
  if (!content.textContent || !content.textContent.trim()) return;
  takeAvatarFromPreviousBotMessage(w);
  appendRow(w, el('div', { class: 'ba-row ba-row--bot' }, [
    el('img', { src: w.botAvatarUrl, alt: '', class: 'ba-avatar', draggable: 'false' }),
    el('div', { class: 'ba-bubble' }, [content]),
  ]));
}

/**
 * User text is shown as text, never parsed.
 * @param {Widget} w
 * @param {unknown} text
 */
function showUserMessage(w, text) {
  const content = text == null ? '' : String(text);
  if (!content.trim()) return;
  appendRow(w, el('div', { class: 'ba-row ba-row--user' }, [el('div', { class: 'ba-bubble' }, [content])]));
}

/**
 * An operator's message: their initial as the avatar, their name above, the text as text.
 * @param {Widget} w
 * @param {unknown} name
 * @param {unknown} text
 */
function showOperatorMessage(w, name, text) {
  const who = name == null ? 'Operator' : String(name);
  const content = text == null ? '' : String(text);
  if (!content.trim()) return;
  const last = w.renderRoot.lastElementChild;
  const sameSpeaker = last && last.classList.contains('ba-row--operator') && last.getAttribute('data-name') === who;
  if (sameSpeaker) { const avatar = last.querySelector('.ba-operator'); if (avatar) avatar.remove(); }
  appendRow(w, el('div', { class: 'ba-row ba-row--operator', 'data-name': who }, [
    el('span', { class: 'ba-operator', 'aria-hidden': 'true' }, [who.trim().charAt(0).toUpperCase() || '?']),
    el('div', { class: 'ba-bubble' }, sameSpeaker ? [content] : [el('span', { class: 'ba-operator-name' }, [who]), content]),
  ]));
}

/**
 * @param {Widget} w
 * @param {string} text a line about the conversation itself (an operator joined or left)
 */
function showNotice(w, text) {
  appendRow(w, el('div', { class: 'ba-row ba-row--notice', role: 'status' }, [text]));
}

/**
 * @param {Widget} w
 * @param {Id} groupId
 * @param {Choice[]} choices
 */
function showChoices(w, groupId, choices) {
  const buttons = choices.map((choice) => {
    const button = el('button', { type: 'button', class: 'ba-choice' });
    button.appendChild(sanitizeToFragment(choice.content, { links: false }));
    button.addEventListener('click', () => pickChoice(w, row, choice));
    return button;
  });
  const row = el('div', { class: 'ba-row ba-row--choices', role: 'group', 'aria-label': 'Choices' }, buttons);
  w.choiceGroups.set(row, { groupId, choices });
  appendRow(w, row);
  applyInteractivity(w);
  if (!w.replaying && document.hasFocus() && document.activeElement === w.view.log && buttons[0]) buttons[0].focus();
}

/**
 * The last unanswered choice group with this id (a flow may ask the same group again).
 * @param {Widget} w
 * @param {Id} groupId
 */
function findOpenGroup(w, groupId) {
  const rows = w.renderRoot.querySelectorAll('.ba-row--choices');
  for (let i = rows.length - 1; i >= 0; i--) {
    const group = w.choiceGroups.get(rows[i]);
    if (group && String(group.groupId) === String(groupId)) return /** @type {HTMLElement} */ (rows[i]);
  }
  return null;
}

/**
 * Replaces a choice group with the chosen answer; the other choices disappear.
 * @param {Widget} w
 * @param {HTMLElement | null} row
 * @param {Id} itemId
 * @param {unknown} fallbackText shown (as text) when the choice is not in the group
 */
function showAnswer(w, row, itemId, fallbackText) {
  const group = row ? w.choiceGroups.get(row) : undefined;
  const choice = group && group.choices.find((c) => String(c.itemId) === String(itemId));
  const bubble = el('div', { class: 'ba-bubble ba-answer' });
  if (choice) bubble.appendChild(sanitizeToFragment(choice.content, { links: false }));
  else bubble.textContent = fallbackText == null ? '' : String(fallbackText);
  const answer = el('div', { class: 'ba-row ba-row--user' }, [bubble]);
  if (row) {
    const hadFocus = row.contains(document.activeElement);
    row.replaceWith(answer);
    if (hadFocus) w.view.log.focus({ preventScroll: true });
    if (w.renderRoot === w.view.log) scrollToBottom(w);
  } else {
    appendRow(w, answer);
  }
}
