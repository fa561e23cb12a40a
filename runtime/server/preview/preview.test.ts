import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flowHash } from '../../flow/flowHash.ts';
import { parseFlow } from '../../flow/parseFlow.ts';
import { renameState } from '../../flow/renameState.ts';
import type { Flow } from '../../flow/types.ts';
import type { StoredRecord } from '../../stream/messageStream.ts';
import { randomBytes } from 'node:crypto';
import { SESSION_COOKIE } from '../sessionCookie.ts';
import { createStudioHost } from '../studioHost.ts';
import { ARTICLE_FLOW, startTestServer, type TestServer } from '../../testing/testServer.ts';
import { WsTestClient } from '../../testing/wsTestClient.ts';
import { FLOW_CHANGED_NOTICE, type PreviewStep } from './previewService.ts';

const TOKEN = 'preview-test-token-0123456789';

let t: TestServer;
let previewToken: string;
let workspace: string;
let articleText: string;
let article: Flow;
const clients: WsTestClient[] = [];
const steps: PreviewStep[] = [];

/** The studio's access cookie: previews, like the studio, answer only this launch's token holder. */
const access = () => `studio-access-${t.server.port}=${TOKEN}`;

/** fetch as the studio's page does: with the access cookie. */
const fetch = (url: string, init: RequestInit = {}) => globalThis.fetch(url, { ...init, headers: { Cookie: access(), ...(init.headers as Record<string, string>) } });

/** Opens a preview socket (the query names its conversation key, `?key=`, when it should resume one). */
async function preview(query = '', cookieHeader = access()): Promise<WsTestClient> {
  const client = await WsTestClient.connect(`${t.url.replace(/\/$/, '')}/preview-socket${query}`, { cookieHeader });
  clients.push(client);
  return client;
}

/** A conversation key as the studio draws one: 128 random bits in hex. */
const newKey = () => randomBytes(16).toString('hex');

async function history(sid: string): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  for await (const chunk of t.server.stream.readSession(sid)) records.push(...chunk);
  return records;
}

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function withState(flow: Flow, name: string, edit: (state: Record<string, any>) => void): Flow {
  const copy = structuredClone(flow);
  const named = copy.states.find((s) => s.name === name);
  if (!named) throw new Error(`no state ${name}`);
  edit(named.state as Record<string, any>);
  return copy;
}

beforeEach(async () => {
  articleText = await readFile(ARTICLE_FLOW, 'utf8');
  article = parseFlow(articleText).flow!;
  const root = await mkdtemp(path.join(tmpdir(), 'preview-host-'));
  workspace = path.join(root, 'workspace');
  await mkdir(workspace);
  let server: TestServer['server'] | undefined;
  const studio = createStudioHost({ workspace, staticDir: root, token: TOKEN, preview: () => server?.preview });
  previewToken = studio.previewToken;
  t = await startTestServer({ preview: true, studio });
  server = t.server;
  t.server.preview!.subscribe((step) => steps.push(step));
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  steps.length = 0;
  await t.stop();
  await rm(path.dirname(workspace), { recursive: true, force: true });
});

describe('the preview page', () => {
  it('serves the real widget, open, on the preview socket with the start state, framable by this origin only', async () => {
    // Opened with the studio's cookie, the page is first sent to its address with the preview token.
    const redirect = await fetch(`${t.url}preview/?start=anyOtherChoices`, { redirect: 'manual' });
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe(`/preview/?start=anyOtherChoices&access=${previewToken}`);
    const response = await fetch(`${t.url}preview/?start=anyOtherChoices`);
    expect(response.status).toBe(200);
    const html = await response.text();
    const host = new URL(t.url).host;
    expect(html).toContain('<script src="/widget/assistant.js"');
    expect(html).toContain('data-open="true"');
    expect(html).toContain(`data-server="ws://${host}/preview-socket?start=anyOtherChoices&amp;access=${previewToken}"`);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    expect(response.headers.get('content-security-policy')).toContain(`connect-src 'self' ws://${host}`);
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('is sandboxed by its own policy (an opaque origin, framed or not), and hands its key and preview token on', async () => {
    const key = newKey();
    const response = await globalThis.fetch(`${t.url}preview/?key=${key}&start=langChoices&access=${previewToken}`);
    const policy = response.headers.get('content-security-policy')!;
    expect(policy).toMatch(/^sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox;/);
    expect(policy).not.toContain('allow-same-origin');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await response.text();
    const host = new URL(t.url).host;
    // No cookies reach a sandboxed page's requests: its files and socket carry the token instead.
    expect(html).toContain(`data-server="ws://${host}/preview-socket?key=${key}&amp;start=langChoices&amp;access=${previewToken}"`);
    expect(html).toContain(`<link rel="stylesheet" href="/preview/preview.css?access=${previewToken}">`);
    expect(html).toContain(`<script src="/preview/preview.js?access=${previewToken}" defer></script>`);
    const script = await fetch(`${t.url}preview/preview.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain("postMessage({ source: 'bot-preview', settled: true }, '*')");
  });

  it('escapes what the query carries into the page', async () => {
    const html = await (await fetch(`${t.url}preview/?start=${encodeURIComponent('"><script>alert(1)</script>')}`)).text();
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('start=%22%3E%3Cscript%3E');
  });

  it('is not served without previews', async () => {
    const plain = await startTestServer();
    try {
      expect((await fetch(`${plain.url}preview/`)).status).toBe(404);
    } finally {
      await plain.stop();
    }
  });
});

describe('preview sessions', () => {
  it('set no cookie and tag the records: preview and flowHash on the start, state on requests, resumedAt on answers', async () => {
    const { WebSocket } = await import('ws');
    const setCookie = await new Promise<string[] | undefined>((resolve, reject) => {
      const ws = new WebSocket(`${t.url.replace('http', 'ws')}preview-socket?key=${newKey()}`, { headers: { Cookie: access() } });
      ws.once('upgrade', (res) => resolve(res.headers['set-cookie']));
      ws.once('open', () => ws.close());
      ws.once('error', reject);
    });
    expect(setCookie).toBeUndefined();

    const client = await preview();
    const [greeting, question] = await client.take(2);
    expect(greeting).toMatchObject({ kind: 'BotText' });
    expect(question).toMatchObject({ kind: 'ChoiceRequest', groupId: 'lang' });
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    expect(await client.next()).toMatchObject({ kind: 'ChoiceRequest', groupId: 'others' });
    const answered = await waitFor(() => steps.find((s) => s.event === 'response'), 'the answer step');
    expect(answered).toMatchObject({ visited: ['langChoiceRust', 'anyOtherChoices'], waiting: ['anyOtherChoices'], resumedAt: 'langChoiceRust' });
    // (the socket opened above may have started a session of its own)
    const started = steps.find((s) => s.event === 'start' && s.sid === answered.sid)!;
    expect(started).toMatchObject({ visited: ['greetings', 'langChoices'], waiting: ['langChoices'], flowHash: flowHash(article) });

    const records = (await history(started.sid)).map((r) => r.record);
    expect(records[0]).toEqual({ sid: started.sid, timestamp: records[0].timestamp, preview: true, flowHash: flowHash(article) });
    expect(records.slice(1, 3).map((r) => r.state)).toEqual(['greetings', 'langChoices']);
    expect(records[3]).toMatchObject({ payload: { kind: 'Response' }, resumedAt: 'langChoiceRust' });
    expect(records[4]).toMatchObject({ payload: { kind: 'Request' }, state: 'anyOtherChoices' });
  });

  it('leave the demo page sessions untagged as previews, but with the flowHash and states', async () => {
    const client = await WsTestClient.connect(t.url);
    clients.push(client);
    await client.take(2);
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    await client.next();
    const records = (await history(client.sid!)).map((r) => r.record);
    expect(records[0]).toEqual({ sid: client.sid, timestamp: records[0].timestamp, flowHash: flowHash(article) });
    expect(records[0]).not.toHaveProperty('preview');
    expect(records[2].state).toBe('langChoices');
    expect(steps).toEqual([]);
  });

  it('start at the state `?start=` names, and from the beginning when it names none', async () => {
    const there = await preview('?start=anyOtherChoices');
    expect(await there.next()).toMatchObject({ kind: 'ChoiceRequest', groupId: 'others', question: 'Any other?' });
    const missing = await preview('?start=noSuchState');
    expect(await missing.next()).toMatchObject({ kind: 'BotText', content: "Hi, I'm Bot! Nice to meet you." });
    await waitFor(() => (steps.length === 2 ? true : undefined), 'two start steps');
    expect(steps.find((s) => s.visited[0] === 'anyOtherChoices')?.waiting).toEqual(['anyOtherChoices']);
  });

});

describe('the preview conversation key (the sandboxed page has no cookie to resume by)', () => {
  /** Opens a conversation under `key`, answers Rust, and returns its sid. */
  async function converse(key: string): Promise<string> {
    const client = await preview(`?key=${key}`);
    await client.take(2);
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    await client.next();
    const sid = (await waitFor(() => steps.find((s) => s.event === 'response'), 'the answer')).sid;
    await client.close();
    return sid;
  }

  it('resumes the session its key started: a reload replays the conversation, and starts nothing', async () => {
    const key = newKey();
    const sid = await converse(key);
    const stepsBefore = steps.length;
    const reload = await preview(`?key=${key}`);
    expect(reload.sid).toBeUndefined(); // no cookie is set
    const replayed = await reload.take(4);
    expect(replayed.map((f) => f.kind)).toEqual(['BotText', 'ChoiceRequest', 'ChoiceResponse', 'ChoiceRequest']);
    reload.send({ kind: 'ChoiceResponse', groupId: 'others', itemId: 'no', content: 'No' });
    await reload.next();
    const last = await waitFor(() => steps.slice(stepsBefore).find((s) => s.event === 'response'), 'the next answer');
    expect(last.sid).toBe(sid);
    expect(steps.slice(stepsBefore).filter((s) => s.event === 'start')).toEqual([]);
  });

  it('gives a missing, unknown or malformed key a new session, never another one\'s', async () => {
    const key = newKey();
    const sid = await converse(key);
    const isNew = async (query: string, cookieHeader = access()) => {
      const startsBefore = steps.filter((s) => s.event === 'start').length;
      const client = await preview(query, cookieHeader);
      const [greeting, question] = await client.take(2);
      expect({ query, greeting, question }).toMatchObject({ greeting: { kind: 'BotText' }, question: { kind: 'ChoiceRequest', groupId: 'lang' } });
      const start = await waitFor(() => steps.filter((s) => s.event === 'start')[startsBefore], `a new session for ${query}`);
      expect(start.sid).not.toBe(sid);
      await client.close();
      return start.sid;
    };
    await isNew(''); // no key
    await isNew(`?key=${newKey()}`); // a key never seen
    await isNew(`?key=${sid}`); // a session id is not a key
    await isNew(`?key=${key.toUpperCase()}`); // malformed: not the studio's hex
    await isNew(`?key=${key.slice(0, 16)}`); // malformed: too short to be unguessable
    // Cookies naming the session resume nothing either (the old preview cookie, the demo page's).
    await isNew('', `Bot-Assistant-Preview=${sid}; ${SESSION_COOKIE}=${sid}; ${access()}`);
    // A malformed key is not remembered: each socket with it is new.
    const first = await isNew('?key=short');
    expect(await isNew('?key=short')).not.toBe(first);
    // The real key still resumes its own session.
    const again = await preview(`?key=${key}`);
    expect((await again.take(4))[2]).toMatchObject({ kind: 'ChoiceResponse', itemId: 'rust' });
  });

  it('moves to the new session once its session is reset (the widget\'s Reset)', async () => {
    const key = newKey();
    const client = await preview(`?key=${key}`);
    await client.take(2);
    const sid = (await waitFor(() => steps[0], 'a start')).sid;
    client.send({ kind: 'ResetSession' });
    expect(await client.next()).toEqual({ kind: 'SessionReset' });
    await waitFor(() => (client.closeCode !== undefined ? true : undefined), 'the socket to close');
    const reconnected = await preview(`?key=${key}`);
    await reconnected.take(2);
    const next = await waitFor(() => steps.find((s) => s.event === 'start' && s.sid !== sid), 'the new session');
    // Answered, so it is recorded (an unanswered preview leaves with its last socket: deferred start).
    reconnected.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    await reconnected.next();
    await reconnected.close();
    const reload = await preview(`?key=${key}`);
    await reload.take(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The reload replayed the new session: no third session started.
    expect(steps.filter((s) => s.event === 'start').map((s) => s.sid)).toEqual([sid, next.sid]);
  });
});

describe('hot reload of the draft', () => {
  it('records nothing until the author answers; a change of the draft quietly shows the new opening', async () => {
    const key = newKey();
    const client = await preview(`?key=${key}`);
    await client.take(2);
    const sid = (await waitFor(() => steps[0], 'the opening shown')).sid;
    expect(steps[0]).toMatchObject({ event: 'start', visited: ['greetings', 'langChoices'] });
    expect(await history(sid)).toEqual([]);

    const greeted = withState(article, 'greetings', (s) => (s.sendRequest.content = 'Welcome to the coffee bar'));
    expect(await t.server.preview!.setFlow(greeted, 'coffee.json')).toEqual({ flowHash: flowHash(greeted), restarted: 0 });
    expect(await client.next()).toEqual({ kind: 'SessionReset' });
    await waitFor(() => (client.closeCode !== undefined ? true : undefined), 'the socket to close');
    const reopened = await preview(`?key=${key}`);
    // No notice: the author never talked to the old draft.
    const [greeting] = await reopened.take(2);
    expect(greeting).toEqual({ kind: 'BotText', content: 'Welcome to the coffee bar' });
    // Nothing of the first opening was kept: the page starts a session of its own.
    expect(await history(sid)).toEqual([]);
    const started = steps.at(-1)!.sid;
    expect(await history(started)).toEqual([]);

    reopened.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'go', content: 'Go' });
    await reopened.next();
    const records = await history(started);
    expect(records[0].record).toEqual({ sid: started, timestamp: expect.any(String), preview: true, flowHash: flowHash(greeted), flow: 'coffee.json' });
    expect(Object.keys(records[0].record).slice(0, 2)).toEqual(['sid', 'timestamp']);
  });

  it('keeps an unanswered session whose opening reads the same: an answer sent as the draft changes is taken, not lost to a restart', async () => {
    const key = newKey();
    const client = await preview(`?key=${key}`);
    await client.take(2);
    // The author clicks an answer in the pane just as an edit elsewhere in the flow reaches the server.
    const edited = withState(article, 'done', (s) => (s.sendRequest.content = 'Thanks a lot!'));
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    const changed = t.server.preview!.setFlow(edited, 'coffee.json');
    expect(await client.next()).toMatchObject({ kind: 'ChoiceRequest', question: 'Any other?' });
    expect(await changed).toEqual({ flowHash: flowHash(edited), restarted: 0 });
    // Recorded as run by the new draft (the opening it kept is the new draft's), and on it goes.
    const sid = steps.at(-1)!.sid;
    const records = await history(sid);
    expect(records[0].record).toMatchObject({ preview: true, flowHash: flowHash(edited), flow: 'coffee.json' });
    client.send({ kind: 'ChoiceResponse', groupId: 'others', itemId: 'no', content: 'No' });
    expect(await client.next()).toEqual({ kind: 'BotText', content: 'Thanks a lot!' });
    expect(client.frames.some((frame) => frame.kind === 'SessionReset')).toBe(false);
  });

  it('keeps an unanswered session through any number of edits that leave its opening as it reads', async () => {
    const client = await preview(`?key=${newKey()}`);
    await client.take(2);
    for (const text of ['Bye!', 'See you!', 'Take care!']) {
      const edited = withState(article, 'done', (s) => (s.sendRequest.content = text));
      expect((await t.server.preview!.setFlow(edited)).restarted).toBe(0);
    }
    expect(await client.drain(100)).toEqual([]);
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    await client.next();
    client.send({ kind: 'ChoiceResponse', groupId: 'others', itemId: 'no', content: 'No' });
    expect(await client.next()).toEqual({ kind: 'BotText', content: 'Take care!' });
  });

  it('lets a session whose question still exists carry on under the new text', async () => {
    const client = await preview();
    await client.take(2);
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust' });
    expect(await client.next()).toMatchObject({ kind: 'ChoiceRequest', question: 'Any other?' });
    const edited = withState(article, 'done', (s) => (s.sendRequest.content = 'Thanks a lot!'));
    expect(await t.server.preview!.setFlow(edited)).toEqual({ flowHash: flowHash(edited), restarted: 0 });
    client.send({ kind: 'ChoiceResponse', groupId: 'others', itemId: 'no' });
    expect(await client.next()).toEqual({ kind: 'BotText', content: 'Thanks a lot!' });
    // The demo page keeps the saved flow.
    const demo = await WsTestClient.connect(t.url);
    clients.push(demo);
    demo.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'go' });
    const frames = await demo.take(3);
    expect(frames[2]).toMatchObject({ question: 'Any other?' });
  });

  it('restarts a session whose question is gone, with a notice first', async () => {
    const key = newKey();
    const client = await preview(`?key=${key}`);
    await client.take(2);
    const sid = (await waitFor(() => steps[0], 'a start')).sid;
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust' });
    await client.next();
    const renamed = withState(article, 'anyOtherChoices', (s) => (s.sendRequest.groupId = 'more'));
    expect((await t.server.preview!.setFlow(renamed)).restarted).toBe(1);
    expect(await client.next()).toEqual({ kind: 'SessionReset' });
    await waitFor(() => (client.closeCode !== undefined ? true : undefined), 'the socket to close');

    const reconnected = await preview(`?key=${key}`);
    const [notice, greeting, question] = await reconnected.take(3);
    expect(notice).toEqual({ kind: 'BotText', content: FLOW_CHANGED_NOTICE });
    expect(greeting).toMatchObject({ kind: 'BotText' });
    expect(question).toMatchObject({ groupId: 'lang' });
    expect(steps.at(-1)).toMatchObject({ event: 'start', flowHash: flowHash(renamed) });
    expect(steps.at(-1)!.sid).not.toBe(sid);
  });
});

describe('an ended preview conversation', () => {
  it('restarts on the next change of the draft, with the notice, so the edit reaches the pane', async () => {
    const key = newKey();
    const client = await preview(`?key=${key}`);
    await client.take(2);
    const sid = (await waitFor(() => steps[0], 'a start')).sid;
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    await client.next();
    client.send({ kind: 'ChoiceResponse', groupId: 'others', itemId: 'no', content: 'No' });
    expect(await client.next()).toMatchObject({ kind: 'BotText' }); // the last message: nothing left to answer
    await waitFor(() => steps.find((s) => s.sid === sid && s.event === 'response' && s.waiting.length === 0), 'the end');
    // Steps renamed after their text (the studio does it as the author writes): nothing to restart for.
    const renamed = renameState(article, 'greetings', 'hiImBot');
    expect(renamed.ok && (await t.server.preview!.setFlow(renamed.flow)).restarted).toBe(0);
    const edited = withState(article, 'greetings', (s) => (s.sendRequest.content = 'Hello again!'));
    expect((await t.server.preview!.setFlow(edited)).restarted).toBe(1);
    expect(await client.next()).toEqual({ kind: 'SessionReset' });
    await waitFor(() => (client.closeCode !== undefined ? true : undefined), 'the socket to close');
    const reconnected = await preview(`?key=${key}`);
    const [notice, greeting] = await reconnected.take(2);
    expect(notice).toEqual({ kind: 'BotText', content: FLOW_CHANGED_NOTICE });
    expect(greeting).toMatchObject({ kind: 'BotText', content: 'Hello again!' });
  });
});

describe('replaying a recorded session in the preview (read-only)', () => {
  /** A real preview conversation to the end: start (2 requests), Rust (1), No (1). Returns its sid and records. */
  async function recordConversation(): Promise<{ sid: string; key: string; records: StoredRecord[] }> {
    const key = newKey();
    const client = await preview(`?key=${key}`);
    await client.take(2);
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    await client.next();
    client.send({ kind: 'ChoiceResponse', groupId: 'others', itemId: 'no', content: 'No' });
    await client.next();
    const sid = (await waitFor(() => steps.find((s) => s.event === 'response'), 'an answer')).sid;
    await client.close();
    return { sid, key, records: await history(sid) };
  }

  it('sends the frames up to the offset exactly as a reconnect replays them, then nothing', async () => {
    const { sid, key, records } = await recordConversation();
    // Through the first answer's reply: greeting, question, the user's Rust, the next question.
    const upto = records[4].offset;
    const view = await preview(`?replay=${sid}&upto=${upto}`);
    expect(view.sid).toBeUndefined();
    const frames = await view.take(4);
    expect(frames.map((f) => f.kind)).toEqual(['BotText', 'ChoiceRequest', 'ChoiceResponse', 'ChoiceRequest']);
    expect(frames[2]).toMatchObject({ groupId: 'lang', itemId: 'rust' });
    expect(await view.drain(150)).toEqual([]);

    const reconnect = await preview(`?key=${key}`);
    const all = await reconnect.take(6);
    expect(all.slice(0, 4)).toEqual(frames);
    const whole = await preview(`?replay=${sid}`);
    expect(await whole.take(6)).toEqual(all);
  });

  it('refuses every frame with replay-read-only and records nothing', async () => {
    const { sid } = await recordConversation();
    const before = t.server.stream.endOffset();
    const stepsBefore = steps.length;
    const view = await preview(`?replay=${sid}&upto=0`);
    expect(await view.drain(150)).toEqual([]);
    view.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'go' });
    expect(await view.next()).toMatchObject({ kind: 'Error', code: 'replay-read-only' });
    view.send({ kind: 'ResetSession' });
    expect(await view.next()).toMatchObject({ kind: 'Error', code: 'replay-read-only' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(t.server.stream.endOffset()).toBe(before);
    expect(steps).toHaveLength(stepsBefore);
  });

  it('serves a read-only page for a known sid and a clear message otherwise', async () => {
    const { sid, records } = await recordConversation();
    const host = new URL(t.url).host;
    const page = await fetch(`${t.url}preview/?replay=${sid}&upto=${records[2].offset}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`data-server="ws://${host}/preview-socket?replay=${sid}&amp;upto=${records[2].offset}&amp;access=${previewToken}"`);
    expect(html).toContain('data-readonly="true"');

    const unknown = await fetch(`${t.url}preview/?replay=no-such-session`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('No recorded session has the id &quot;no-such-session&quot;: it cannot be replayed.');
    const badOffset = await fetch(`${t.url}preview/?replay=${sid}&upto=three`);
    expect(badOffset.status).toBe(400);
    expect(await badOffset.text()).toContain('upto must be a record offset');

    const socket = await preview('?replay=no-such-session');
    expect(await socket.next()).toMatchObject({ kind: 'Error', code: 'replay-unknown-session' });
  });
});

describe('the studio preview API', () => {
  const api = (method: string, route: string, body?: unknown, token: string | null = TOKEN) =>
    fetch(`${t.url}studio/api/${route}`, {
      method,
      headers: { ...(token ? { 'X-Studio-Token': token } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });

  it('runs a valid draft and refuses a broken one, keeping the last valid version', async () => {
    const edited = withState(article, 'greetings', (s) => (s.sendRequest.content = 'Hello from the draft'));
    const { serializeFlow } = await import('../../flow/serializeFlow.ts');
    const ok = await api('POST', 'preview/flow', { text: serializeFlow(edited) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, flowHash: flowHash(edited), restarted: 0 });

    const broken = await api('POST', 'preview/flow', { text: '{ "a": ' });
    expect(broken.status).toBe(422);
    expect((await broken.json()).error).toMatch(/keeps its last valid version/);
    expect(t.server.preview!.flowHash).toBe(flowHash(edited));

    const client = await preview();
    expect(await client.next()).toEqual({ kind: 'BotText', content: 'Hello from the draft' });
  });

  it('refuses preview calls without the token', async () => {
    expect((await api('POST', 'preview/flow', { text: articleText }, null)).status).toBe(403);
    expect((await api('GET', 'preview/events', undefined, 'wrong-token-000000000000000')).status).toBe(403);
  });

  it('streams each preview step as a server-sent event', async () => {
    const response = await api('GET', 'preview/events');
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended: ${text}`);
        text += new TextDecoder().decode(value);
      }
    };
    await readUntil(/event: hello\ndata: .*\n\n/);
    const client = await preview();
    await client.take(2);
    await readUntil(/\ndata: \{.*"event":"start".*\}\n\n/);
    const line = text.split('\n').find((l) => l.startsWith('data: {"sid"'))!;
    expect(JSON.parse(line.slice(6))).toMatchObject({ event: 'start', visited: ['greetings', 'langChoices'], waiting: ['langChoices'] });
    await reader.cancel();
  });
});

