/**
 * Issue 14, the studio's Live tab: the runtime the studio starts runs the operator service with
 * the author signed in by the studio's access cookie (nobody else), and preview sessions hand off
 * to them too, resuming in the draft. Real server, sockets and embedded log.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFlow } from '../../flow/parseFlow.ts';
import type { Flow } from '../../flow/types.ts';
import { createStudioHost, STUDIO_OPERATOR_ID } from '../studioHost.ts';
import { startTestServer, type TestServer } from '../../testing/testServer.ts';
import { WsTestClient } from '../../testing/wsTestClient.ts';
import { ConsoleClient, type ConsoleMessage } from '../../testing/operatorConsole.ts';

const TOKEN = 'live-tab-test-token-0123456789';
const FLOW_FILE = fileURLToPath(new URL('../../../state-machines/talk-to-a-person.json', import.meta.url));

let t: TestServer;
let root: string;
let flow: Flow;
let previewToken: string;
const closers: (() => Promise<unknown>)[] = [];

const access = () => `studio-access-${t.server.port}=${TOKEN}`;

beforeEach(async () => {
  flow = parseFlow(await readFile(FLOW_FILE, 'utf8')).flow!;
  root = await mkdtemp(path.join(tmpdir(), 'studio-live-'));
  await mkdir(path.join(root, 'workspace'));
  let server: TestServer['server'] | undefined;
  const studio = createStudioHost({ workspace: path.join(root, 'workspace'), staticDir: root, token: TOKEN, preview: () => server?.preview, operatorName: 'Ada' });
  previewToken = studio.previewToken;
  t = await startTestServer({ flow, preview: true, studio, operators: { accounts: [], hostOperator: studio.operatorOf, previews: true } });
  server = t.server;
});

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await t.stop();
  await rm(root, { recursive: true, force: true });
});

async function author(): Promise<ConsoleClient> {
  const console = await ConsoleClient.withCookie(t.url, access());
  closers.push(() => console.close());
  return console;
}

/** A preview visitor (the studio's sandboxed preview page: opaque origin, no cookie, the preview token) who asked for a person. */
async function previewAsksForPerson(): Promise<WsTestClient> {
  const visitor = await WsTestClient.connect(`${t.url}preview-socket?key=${'5'.repeat(32)}&access=${previewToken}`, { origin: 'null' });
  closers.push(() => visitor.close());
  expect((await visitor.take(2)).map((f) => f.kind)).toEqual(['BotText', 'ChoiceRequest']);
  visitor.send({ kind: 'ChoiceResponse', groupId: 'menu', itemId: 'person', content: 'Talk to a person' });
  expect((await visitor.next()).kind).toBe('OperatorHandoff');
  return visitor;
}

const isDone = (m: ConsoleMessage) => m.type === 'done' || m.type === 'refused';

describe("the studio's Live tab", () => {
  it('signs the author in by the studio access cookie; the console page may be framed by the studio only then', async () => {
    const console = await author();
    expect(await console.until((m) => m.type === 'hello')).toMatchObject({ operator: { id: STUDIO_OPERATOR_ID, name: 'Ada', queues: ['*'] } });

    const page = await fetch(`${t.url}operator/`, { headers: { Cookie: access() } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<body class="embedded">');
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
  });

  it('refuses anyone without the token: the sign-in page (never framed), and no socket', async () => {
    const anonymous = await fetch(`${t.url}operator/`);
    expect(await anonymous.text()).toContain('Operator sign-in');
    expect(anonymous.headers.get('x-frame-options')).toBe('DENY');
    const wrong = await fetch(`${t.url}operator/`, { headers: { Cookie: `studio-access-${t.server.port}=${'x'.repeat(TOKEN.length)}` } });
    expect(await wrong.text()).toContain('Operator sign-in');
    // The preview token (what the sandboxed preview page holds) signs nobody in.
    expect(await (await fetch(`${t.url}operator/?access=${previewToken}`)).text()).toContain('Operator sign-in');
    await expect(WsTestClient.connect(`${t.url}operator/socket?access=${previewToken}`, { origin: 'null' })).rejects.toThrow(/403/);
    await expect(WsTestClient.connect(`${t.url}operator/socket?access=${previewToken}`, { origin: t.url.replace(/\/$/, '') })).rejects.toThrow(/403/);

    await expect(WsTestClient.connect(`${t.url}operator/socket`, { origin: t.url.replace(/\/$/, '') })).rejects.toThrow(/403/);
    // The right cookie from another site's page: refused too.
    await expect(WsTestClient.connect(`${t.url}operator/socket`, { cookieHeader: access(), origin: 'http://evil.example' })).rejects.toThrow(/403/);
    // A DNS-rebinding page names its own host.
    await expect(WsTestClient.connect(`${t.url}operator/socket`, { cookieHeader: access(), origin: 'http://rebound.example:1', headers: { Host: 'rebound.example:1' } })).rejects.toThrow(/403/);
  });

  it('a preview visitor reaches the author: claim, talk both ways, hand back at a state of the draft', async () => {
    const console = await author();
    const visitor = await previewAsksForPerson();
    const waiting = await console.until((m) => m.type === 'conversation' && (m.conversation as { status: string }).status === 'waiting');
    const conversation = waiting.conversation as { sid: string; preview?: boolean; queue: string };
    expect(conversation).toMatchObject({ preview: true, queue: 'billing' });
    const sid = conversation.sid;

    console.send({ type: 'claim', sid });
    expect(await console.until(isDone)).toMatchObject({ type: 'done', action: 'claim' });
    expect(await visitor.next()).toEqual({ kind: 'OperatorJoined', name: 'Ada' });
    console.send({ type: 'say', sid, text: 'Hello from the studio' });
    expect(await console.until(isDone)).toMatchObject({ type: 'done', action: 'say' });
    expect(await visitor.next()).toEqual({ kind: 'OperatorText', name: 'Ada', content: 'Hello from the studio' });

    console.send({ type: 'open', sid });
    visitor.send({ kind: 'UserText', sessionId: 'operator', content: 'Thanks!' });
    expect(await console.until((m) => m.type === 'entry' && (m.entry as { who: string }).who === 'visitor')).toMatchObject({ sid, entry: { text: 'Thanks!' } });

    // The draft gains a state the server's flow lacks: the preview resumes there, in the draft.
    const draft = structuredClone(flow);
    draft.states.push({ name: 'draftOnly', state: { sendRequest: { kind: 'BotText', content: 'Only in the draft' }, next: 'menu' } });
    await t.server.preview!.setFlow(draft);
    console.send({ type: 'open', sid });
    const transcript = await console.until((m) => m.type === 'transcript');
    expect(transcript.states).toContain('draftOnly');
    console.send({ type: 'release', sid, resume: { at: 'draftOnly' } });
    expect(await console.until(isDone)).toMatchObject({ type: 'done', action: 'release' });
    expect((await visitor.take(3)).map((f) => f.kind === 'BotText' ? f.content : f.kind)).toEqual(['OperatorLeft', 'Only in the draft', 'ChoiceRequest']);
  });

  it('the author takes over a preview the bot is running and hands it back where it was', async () => {
    const console = await author();
    const visitor = await WsTestClient.connect(`${t.url}preview-socket`, { cookieHeader: access() });
    closers.push(() => visitor.close());
    await visitor.take(2);
    visitor.send({ kind: 'ChoiceResponse', groupId: 'menu', itemId: 'invoice', content: 'Where is my invoice?' });
    await visitor.take(2);
    const running = await console.until((m) => m.type === 'conversation' && (m.conversation as { status: string; preview?: boolean }).status === 'bot');
    const sid = (running.conversation as { sid: string; preview?: boolean }).sid;
    expect(running.conversation).toMatchObject({ preview: true });

    console.send({ type: 'claim', sid });
    expect(await console.until(isDone)).toMatchObject({ type: 'done', action: 'claim' });
    expect(await visitor.next()).toEqual({ kind: 'OperatorJoined', name: 'Ada' });
    console.send({ type: 'release', sid, resume: { back: true } });
    expect(await console.until(isDone)).toMatchObject({ type: 'done', action: 'release' });
    expect(await visitor.next()).toMatchObject({ kind: 'OperatorLeft', name: 'Ada' });
    // The menu question still stands, and the preview's bot answers it.
    visitor.send({ kind: 'ChoiceResponse', groupId: 'menu', itemId: 'invoice', content: 'Where is my invoice?' });
    expect((await visitor.take(2)).map((f) => f.kind)).toEqual(['BotText', 'ChoiceRequest']);
  });

  it('a server without previews for operators keeps preview sessions out of the console', async () => {
    const plain = await startTestServer({ flow, preview: true, operators: { accounts: [], hostOperator: () => ({ id: 'x', name: 'X', queues: ['*'] }) } });
    closers.push(() => plain.stop());
    const console = await ConsoleClient.withCookie(plain.url, '');
    await console.until((m) => m.type === 'conversations');
    const visitor = await WsTestClient.connect(`${plain.url}preview-socket`);
    closers.push(() => visitor.close());
    await visitor.take(2);
    visitor.send({ kind: 'ChoiceResponse', groupId: 'menu', itemId: 'person', content: 'Talk to a person' });
    expect((await visitor.next()).kind).toBe('OperatorHandoff');
    await expect(console.until((m) => m.type === 'conversation', 500)).rejects.toThrow();
  });
});
