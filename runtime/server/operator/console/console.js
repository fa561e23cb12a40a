// The operator console page: lists the conversations this operator may see, shows the one picked
// with its transcript as it grows, and sends claim / say / release over the console's websocket.
// Everything from the server is shown as text (textContent), never parsed as HTML.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const conversations = new Map();
  let selected = null;
  let me = null;
  let states = [];
  let socket = null;
  let retry = 500;
  let embedded = false;

  function connect() {
    socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/operator/socket');
    socket.onopen = () => { retry = 500; $('connection').textContent = 'Connected'; };
    socket.onmessage = (event) => receive(JSON.parse(event.data));
    socket.onclose = () => {
      $('connection').textContent = 'Disconnected: reconnecting…';
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10000);
    };
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    else problem('Not connected: wait a moment and try again.');
  }

  function receive(message) {
    switch (message.type) {
      case 'hello':
        me = message.operator;
        states = message.states;
        $('me').textContent = 'Signed in as ' + me.name + ' · ' + (me.queues.includes('*') ? 'all queues' : 'queues: ' + me.queues.join(', '));
        $('bot-section').hidden = !me.queues.includes('*');
        fillResume(states);
        break;
      case 'conversations':
        conversations.clear();
        for (const c of message.list) conversations.set(c.sid, c);
        renderLists();
        if (selected && conversations.has(selected)) open(selected);
        break;
      case 'conversation':
        conversations.set(message.conversation.sid, message.conversation);
        renderLists();
        if (message.conversation.sid === selected) renderDetail();
        break;
      case 'gone':
        conversations.delete(message.sid);
        if (message.sid === selected) { selected = null; renderDetail(); }
        renderLists();
        break;
      case 'transcript':
        if (message.sid !== selected) break;
        // A preview conversation resumes in the studio's draft: its own states.
        if (Array.isArray(message.states)) fillResume(message.states);
        $('transcript').replaceChildren(...message.entries.map(entryItem));
        scrollDown();
        break;
      case 'entry':
        if (message.sid === selected) { $('transcript').appendChild(entryItem(message.entry)); scrollDown(); }
        break;
      case 'refused':
        problem(message.message);
        break;
      case 'done':
        problem('');
        break;
    }
  }

  function renderLists() {
    const groups = { waiting: [], live: [], bot: [] };
    for (const c of conversations.values()) groups[c.status].push(c);
    groups.waiting.sort((a, b) => a.since - b.since);
    for (const [status, list] of Object.entries(groups)) $(status).replaceChildren(...list.map(listItem));
    $('waiting-count').textContent = String(groups.waiting.length);
    tellHost(groups);
  }

  // Inside the studio's Live tab: tell the studio how many wait, for the badge on its Live button.
  function tellHost(groups) {
    if (!embedded || window.parent === window) return;
    const mine = groups.live.filter((c) => me && c.operator && c.operator.id === me.id).length;
    window.parent.postMessage({ source: 'bot-operator-console', waiting: groups.waiting.length, mine }, location.origin);
  }

  function listItem(c) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.sid = c.sid;
    button.setAttribute('aria-current', String(c.sid === selected));
    const title = document.createElement('span');
    title.textContent = (c.preview ? 'Preview ' : 'Visitor ') + c.sid.slice(0, 8) + (c.queue ? ' · ' + c.queue : '');
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = c.status === 'live' ? 'with ' + (c.operator ? c.operator.name : '?') : c.status === 'waiting' ? 'waiting since ' + time(c.since) : 'active ' + time(c.lastActivity);
    const last = document.createElement('span');
    last.className = 'last';
    last.textContent = c.lastText || '';
    button.append(title, meta, last);
    button.addEventListener('click', () => open(c.sid));
    const item = document.createElement('li');
    item.appendChild(button);
    return item;
  }

  function open(sid) {
    selected = sid;
    $('transcript').replaceChildren();
    fillResume(states);
    renderLists();
    renderDetail();
    send({ type: 'open', sid });
  }

  function renderDetail() {
    const c = selected ? conversations.get(selected) : null;
    $('empty').hidden = !!c;
    $('detail').hidden = !c;
    if (!c) return;
    const mine = c.status === 'live' && c.operator && me && c.operator.id === me.id;
    $('title').textContent = (c.preview ? 'Preview ' : 'Visitor ') + c.sid.slice(0, 8);
    $('state').textContent = c.status === 'waiting' ? 'waiting' + (c.queue ? ' in ' + c.queue : '') : c.status === 'live' ? 'with ' + c.operator.name : 'with the bot';
    $('claim').hidden = mine || c.status === 'live';
    $('claim').textContent = c.status === 'bot' ? 'Take over' : 'Claim';
    $('reply').hidden = !mine;
    $('release').hidden = !mine;
    if (mine && document.activeElement === $('claim')) $('reply-text').focus();
  }

  function entryItem(entry) {
    const item = document.createElement('li');
    item.className = entry.who;
    if (entry.who !== 'event') {
      const who = document.createElement('span');
      who.className = 'who';
      who.textContent = (entry.who === 'operator' ? entry.name : entry.who === 'bot' ? 'Bot' : 'Visitor') + ' · ' + entry.at.slice(11, 19);
      item.appendChild(who);
    }
    item.appendChild(document.createTextNode(entry.text));
    return item;
  }

  function fillResume(names) {
    const options = [['back', 'Back to where it was'], ['end', 'End the conversation']].concat(names.map((s) => ['at:' + s, 'Go on at "' + s + '"']));
    $('resume').replaceChildren(...options.map(([value, label]) => {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = label;
      return option;
    }));
  }

  function problem(text) { $('problem').textContent = text; }
  function scrollDown() { const t = $('transcript'); t.scrollTop = t.scrollHeight; }
  function time(ms) { return new Date(ms).toLocaleTimeString(); }

  document.addEventListener('DOMContentLoaded', () => {
    embedded = document.body.classList.contains('embedded');
    $('claim').addEventListener('click', () => selected && send({ type: 'claim', sid: selected }));
    $('reply').addEventListener('submit', (event) => {
      event.preventDefault();
      const text = $('reply-text').value.trim();
      if (!text || !selected) return;
      send({ type: 'say', sid: selected, text });
      $('reply-text').value = '';
    });
    $('reply-text').addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); $('reply').requestSubmit(); }
    });
    $('release').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = $('resume').value;
      const resume = value === 'back' ? { back: true } : value === 'end' ? { end: true } : { at: value.slice(3) };
      if (selected) send({ type: 'release', sid: selected, resume });
    });
    connect();
  });
})();
