/** Issue 14: the operator service on the stream, its console socket and access, with real servers and sockets. */
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'node:http';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Flow } from '../../flow/types.ts';
import { parseFlow } from '../../flow/parseFlow.ts';
import { readTranscript } from '../../history/readTranscript.ts';
import { openSessionHistory } from '../../history/sessionHistory.ts';
import { replaySession } from '../../history/replaySession.ts';
import { transcriptSteps } from '../../history/transcriptSteps.ts';
import { compileFlow } from '../../flow/compileFlow.ts';
import { openEmbeddedLog } from '../../stream/EmbeddedLog.ts';
import { clusterConfigured, clusterSuiteTitle, FluvioTestScope } from '../../testing/fluvioTestCluster.ts';
import type { StreamRecord } from '../../stream/messageStream.ts';
import { spawnServe, whenReady } from '../../testing/serveProcess.ts';
import { start, type RunningServer, type StartOptions } from '../start.ts';
import { collectingLogger, makeDataDir, startTestServer, type TestServer } from '../../testing/testServer.ts';
import { WsTestClient } from '../../testing/wsTestClient.ts';
import type { OperatorAccount } from './operatorAccounts.ts';
import { ConsoleClient, signIn, testAccounts } from '../../testing/operatorConsole.ts';

const FLOW_FILE = fileURLToPath(new URL('../../../state-machines/talk-to-a-person.json', import.meta.url));
const FLOW_TEXT = readFileSync(FLOW_FILE, 'utf8');
const flowWith = (timeoutSeconds: number): Flow => parseFlow(FLOW_TEXT.replace('"timeoutSeconds": 120', `"timeoutSeconds": ${timeoutSeconds}`)).flow!;

let accounts: OperatorAccount[];
beforeAll(async () => {
  accounts = await testAccounts();
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(options: Partial<StartOptions> = {}, timeoutSeconds = 120): Promise<TestServer> {
  const server = await startTestServer({ flow: flowWith(timeoutSeconds), operators: { accounts, graceMs: 200 }, ...options });
  cleanups.push(() => server.stop());
  return server;
}

/** A visitor who asked for a person: the widget got the greeting, the menu, then the handoff. */
async function visitorAsksForPerson(url: string): Promise<WsTestClient> {
  const visitor = await WsTestClient.connect(url);
  cleanups.push(() => visitor.close());
  expect((await visitor.take(2)).map((f) => f.kind)).toEqual(['BotText', 'ChoiceRequest']);
  visitor.send({ kind: 'ChoiceResponse', groupId: 'menu', itemId: 'person', content: 'Talk to a person' });
  expect(await visitor.next()).toEqual({ kind: 'OperatorHandoff', queue: 'billing', text: 'Let me find someone for you…', timeoutSeconds: expect.any(Number) });
  return visitor;
}

async function openConsole(url: string, id: string): Promise<ConsoleClient> {
  const console = await ConsoleClient.open(url, id);
  cleanups.push(() => console.close());
  return console;
}

async function records(server: RunningServer, sid: string): Promise<StreamRecord[]> {
  const out: StreamRecord[] = [];
  for await (const chunk of server.stream.readSession(sid)) out.push(...chunk.map((s) => s.record));
  return out;
}

const kinds = (list: StreamRecord[]) => list.map((r) => (r.payload ? `${r.payload.kind}:${r.payload.message.kind}` : 'start'));

describe('talk to a person, in one process (embedded log)', () => {
  it('queues the visitor, lets an operator claim, talk and hand back at a chosen state; all as records', async () => {
    const { server, url } = await serve();
    const sam = await openConsole(url, 'sam');
    const visitor = await visitorAsksForPerson(url);
    const sid = visitor.sid!;
    await sam.conversation(sid, 'waiting');

    sam.send({ type: 'claim', sid });
    expect(await sam.until((m) => m.type === 'done' || m.type === 'refused')).toMatchObject({ type: 'done', action: 'claim' });
    expect(await visitor.next()).toEqual({ kind: 'OperatorJoined', name: 'Sam' });
    sam.send({ type: 'open', sid });
    const transcript = await sam.until((m) => m.type === 'transcript');
    expect((transcript.entries as { who: string; text: string }[]).map((e) => e.who)).toEqual(['event', 'bot', 'bot', 'visitor', 'event', 'event']);

    sam.send({ type: 'say', sid, text: "Hello, I'm Sam" });
    expect(await visitor.next()).toEqual({ kind: 'OperatorText', name: 'Sam', content: "Hello, I'm Sam" });
    visitor.send({ kind: 'UserText', sessionId: 'operator', content: 'My invoice is wrong' });
    expect(await sam.until((m) => m.type === 'entry' && (m.entry as { who: string }).who === 'visitor')).toMatchObject({ entry: { who: 'visitor', text: 'My invoice is wrong' } });
    // The bot stays quiet while a person has the conversation.
    expect(await visitor.drain(150)).toEqual([]);

    sam.send({ type: 'release', sid, resume: { at: 'menu' } });
    expect(await visitor.take(2)).toMatchObject([{ kind: 'OperatorLeft', name: 'Sam', reason: 'released' }, { kind: 'ChoiceRequest', groupId: 'menu' }]);
    // back with the bot, out of the billing queue: it leaves the list of an operator who sees billing only
    expect(await sam.until((m) => m.type === 'gone')).toEqual({ type: 'gone', sid });
    visitor.send({ kind: 'ChoiceResponse', groupId: 'menu', itemId: 'invoice' });
    expect(await visitor.take(2)).toMatchObject([{ kind: 'BotText' }, { kind: 'ChoiceRequest' }]);

    expect(kinds(await records(server, sid))).toEqual([
      'start', 'Request:BotText', 'Request:ChoiceRequest', 'Response:ChoiceResponse', 'Request:OperatorHandoff',
      'Operator:OperatorClaim', 'Operator:OperatorText', 'Response:UserText', 'Operator:OperatorRelease', 'Request:ChoiceRequest',
      'Response:ChoiceResponse', 'Request:BotText', 'Request:ChoiceRequest',
    ]);
    const release = (await records(server, sid))[8];
    expect(release).toMatchObject({ sid, payload: { kind: 'Operator', message: { kind: 'OperatorRelease', reason: 'released', operator: 'sam', resumeAt: 'menu' } }, timestamp: expect.any(String) });
    // the studio's Sessions panel reads who said what
    const history = await readTranscript(server.stream, sid);
    expect(history.entries.filter((e) => e.kind === 'operator').map((e) => e.message?.kind)).toEqual(['OperatorClaim', 'OperatorText', 'OperatorRelease']);
    // and its replay against the same flow routes every step the same, the release included
    const replay = replaySession(compileFlow(flowWith(120)), transcriptSteps(history.entries));
    expect(replay.steps.map((s) => s.difference)).toEqual(replay.steps.map(() => null));
    expect(replay.steps.map((s) => s.visited.join('>'))).toEqual(['greetings>menu', 'personChosen>talkToPerson', '', 'menu', 'invoiceChosen>invoiceAnswer>menu']);
    // and the Sessions panel's coverage counts the release as a step too: nothing routes differently
    const sessions = openSessionHistory(server.stream);
    try {
      const coverage = await sessions.getCoverage(FLOW_TEXT, [sid]);
      expect(coverage.differing).toEqual([]);
      expect(coverage.states.filter((c) => c.passed > 0).map((c) => c.state).sort()).toEqual(['greetings', 'invoiceAnswer', 'invoiceChosen', 'menu', 'personChosen', 'talkToPerson']);
      // the session waits at the menu again, after the release: not at the handoff
      expect(coverage.states.find((c) => c.droppedOff > 0)?.state).toBe('menu');
    } finally {
      sessions.close();
    }
  });

  it('lets exactly one of two operators claiming at the same instant have the conversation', async () => {
    const { server, url } = await serve();
    const [sam, kim] = await Promise.all([openConsole(url, 'sam'), openConsole(url, 'kim')]);
    const visitor = await visitorAsksForPerson(url);
    const sid = visitor.sid!;
    await Promise.all([sam.conversation(sid, 'waiting'), kim.conversation(sid, 'waiting')]);
    sam.send({ type: 'claim', sid });
    kim.send({ type: 'claim', sid });
    const answers = await Promise.all([sam, kim].map((c) => c.until((m) => m.type === 'done' || m.type === 'refused')));
    expect(answers.map((a) => a.type).sort()).toEqual(['done', 'refused']);
    expect(answers.find((a) => a.type === 'refused')).toMatchObject({ code: 'already-claimed', message: expect.stringMatching(/(Sam|Kim) already has this conversation/) });
    expect(kinds(await records(server, sid)).filter((k) => k === 'Operator:OperatorClaim')).toHaveLength(1);
  });

  it('runs an operator’s actions on a conversation in the order sent: a reply right behind the claim waits for it', async () => {
    const { url } = await serve();
    const sam = await openConsole(url, 'sam');
    const visitor = await visitorAsksForPerson(url);
    const sid = visitor.sid!;
    await sam.conversation(sid, 'waiting');
    // No waiting for the claim's answer (another process's proxy may show the claim before this one has read it back).
    sam.send({ type: 'claim', sid });
    sam.send({ type: 'say', sid, text: 'Right away' });
    sam.send({ type: 'release', sid, resume: { at: 'menu' } });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await sam.until((m) => m.type === 'done' || m.type === 'refused'));
    expect(answers.map((a) => `${a.action}:${a.type}`)).toEqual(['claim:done', 'say:done', 'release:done']);
    expect((await visitor.take(4)).map((f) => f.kind)).toEqual(['OperatorJoined', 'OperatorText', 'OperatorLeft', 'ChoiceRequest']);
  });

  it('puts a conversation back in the queue when its operator’s console stays away past the grace period', async () => {
    const { url } = await serve();
    const sam = await openConsole(url, 'sam');
    const visitor = await visitorAsksForPerson(url);
    const sid = visitor.sid!;
    await sam.conversation(sid, 'waiting');
    sam.send({ type: 'claim', sid });
    await sam.conversation(sid, 'live');
    await sam.close();
    expect(await visitor.take(2)).toEqual([{ kind: 'OperatorJoined', name: 'Sam' }, { kind: 'OperatorLeft', name: 'Sam', reason: 'queue' }]);
    const kim = await openConsole(url, 'kim');
    await kim.conversation(sid, 'waiting');
    kim.send({ type: 'claim', sid });
    expect(await visitor.next()).toEqual({ kind: 'OperatorJoined', name: 'Kim' });
  });

  it('keeps a visitor who reloads with the operator: the whole conversation is replayed and their text still goes to the operator', async () => {
    const { url } = await serve();
    const sam = await openConsole(url, 'sam');
    const visitor = await visitorAsksForPerson(url);
    const sid = visitor.sid!;
    await sam.conversation(sid, 'waiting');
    sam.send({ type: 'claim', sid });
    await visitor.next();
    sam.send({ type: 'say', sid, text: "Hello, I'm Sam" });
    await visitor.next();
    await visitor.close();

    const again = await WsTestClient.connect(url, { sid });
    cleanups.push(() => again.close());
    expect((await again.take(6)).map((f) => f.kind)).toEqual(['BotText', 'ChoiceRequest', 'ChoiceResponse', 'OperatorHandoff', 'OperatorJoined', 'OperatorText']);
    sam.send({ type: 'open', sid });
    await sam.until((m) => m.type === 'transcript');
    again.send({ kind: 'UserText', sessionId: 'operator', content: 'still there?' });
    expect(await sam.until((m) => m.type === 'entry' && (m.entry as { who: string }).who === 'visitor')).toMatchObject({ entry: { text: 'still there?' } });
    expect(await again.drain(150)).toEqual([]);
  });

  it('goes on at the fallback step when no operator claims in time', async () => {
    const { server, url } = await serve({}, 0.3);
    const visitor = await visitorAsksForPerson(url);
    expect(await visitor.take(3)).toMatchObject([
      { kind: 'OperatorLeft', reason: 'timeout' },
      { kind: 'BotText', content: expect.stringContaining('Everyone is busy') },
      { kind: 'ChoiceRequest', groupId: 'menu' },
    ]);
    const release = (await records(server, visitor.sid!)).find((r) => r.payload?.kind === 'Operator');
    expect(release?.payload?.message).toEqual({ kind: 'OperatorRelease', reason: 'timeout', resumeAt: 'noOperator' });
  });

  it('records at once a conversation that starts by asking for a person: it is queued, and falls back in time', async () => {
    const flow = parseFlow(JSON.stringify({
      hand: { sendRequest: { kind: 'OperatorHandoff', queue: 'billing', text: 'Connecting you…', timeoutSeconds: 0.5 }, next: 'fallback' },
      fallback: { sendRequest: { kind: 'BotText', content: 'Nobody is free: write to us instead.' } },
    })).flow!;
    const { server, url } = await serve({ flow });
    const sam = await openConsole(url, 'sam');
    const visitor = await WsTestClient.connect(url);
    cleanups.push(() => visitor.close());
    expect(await visitor.next()).toMatchObject({ kind: 'OperatorHandoff', queue: 'billing' });
    // Nobody answers a handoff, so waiting for an answer to record it would leave the visitor alone.
    await sam.conversation(visitor.sid!, 'waiting');
    expect(await visitor.take(2)).toMatchObject([{ kind: 'OperatorLeft', reason: 'timeout' }, { kind: 'BotText', content: 'Nobody is free: write to us instead.' }]);
    expect((await records(server, visitor.sid!)).map((r) => r.payload?.kind ?? 'start')).toEqual(['start', 'Request', 'Operator', 'Request']);
  });

  it('lets a "*" operator take over a conversation the bot runs, and hand it back where it was', async () => {
    const { url } = await serve();
    const boss = await openConsole(url, 'boss');
    const visitor = await WsTestClient.connect(url);
    cleanups.push(() => visitor.close());
    await visitor.take(2);
    // A session is recorded from its first answer: until then there is nothing to take over.
    visitor.send({ kind: 'ChoiceResponse', groupId: 'menu', itemId: 'invoice' });
    await visitor.take(2);
    const sid = visitor.sid!;
    await boss.conversation(sid, 'bot');
    boss.send({ type: 'claim', sid });
    expect(await visitor.next()).toEqual({ kind: 'OperatorJoined', name: 'Boss' });
    visitor.send({ kind: 'UserText', sessionId: 'operator', content: 'hi person' });
    expect(await visitor.drain(150)).toEqual([]);
    boss.send({ type: 'release', sid, resume: { back: true } });
    expect(await visitor.next()).toEqual({ kind: 'OperatorLeft', name: 'Boss', reason: 'released' });
    // back where it was: the menu question is still open, and the bot answers it
    visitor.send({ kind: 'ChoiceResponse', groupId: 'menu', itemId: 'invoice' });
    expect(await visitor.take(2)).toMatchObject([{ kind: 'BotText' }, { kind: 'ChoiceRequest', groupId: 'menu' }]);
  });
});

describe('console access', () => {
  it('refuses the socket without a sign-in, from another origin, or on another host name; refuses bad passwords', async () => {
    const { url } = await serve();
    const origin = url.replace(/\/$/, '');
    await expect(WsTestClient.connect(`${url}operator/socket`, { origin })).rejects.toThrow(/403/);
    const { cookie } = await signIn(url, 'sam');
    await expect(WsTestClient.connect(`${url}operator/socket`, { origin: 'https://evil.example', cookieHeader: cookie })).rejects.toThrow(/403/);
    await expect(WsTestClient.connect(`${url}operator/socket`, { cookieHeader: cookie })).rejects.toThrow(/403/);
    // fetch will not send another Host: a raw request stands in for a DNS-rebinding page
    const rebound = await new Promise<number>((resolve, reject) => request(`${url}operator/`, { headers: { Host: 'evil.example' } }, (res) => resolve(res.statusCode ?? 0)).on('error', reject).end());
    expect(rebound).toBe(421);
    expect(await signIn(url, 'sam', 'wrong')).toMatchObject({ status: 303, cookie: undefined, location: '/operator/?failed=1&id=sam' });
    // the sign-in page after a wrong password keeps the id (escaped) and asks for the password again
    const again = await (await fetch(`${url}operator/?failed=1&id=${encodeURIComponent('sam"><b>')}`)).text();
    expect(again).toContain('That id and password do not match');
    expect(again).toContain('name="id" autocomplete="username" required value="sam&quot;&gt;&lt;b&gt;"');
    expect(again).toMatch(/name="password"[^>]*autofocus/);
    expect(await signIn(url, 'nobody', 'wrong')).toMatchObject({ status: 303, cookie: undefined });
    const crossSite = await fetch(`${url}operator/login`, { method: 'POST', headers: { Origin: 'https://evil.example' }, body: 'id=sam&password=x', redirect: 'manual' });
    expect(crossSite.status).toBe(403);
    const page = await fetch(`${url}operator/`);
    expect(await page.text()).toContain('action="/operator/login"');
    const console = await fetch(`${url}operator/`, { headers: { Cookie: cookie! } });
    expect(await console.text()).toContain('/operator/console.js');
  });

  it('shows an operator only the queues they are assigned to', async () => {
    const { url } = await serve();
    const lee = await openConsole(url, 'lee');
    const sam = await openConsole(url, 'sam');
    const visitor = await visitorAsksForPerson(url);
    const sid = visitor.sid!;
    await sam.conversation(sid, 'waiting');
    lee.send({ type: 'claim', sid });
    expect(await lee.until((m) => m.type === 'refused' || m.type === 'conversation')).toMatchObject({ type: 'refused', code: 'unknown-conversation' });
  });
});

describe('the operator role on its own, beside proxy and workflow processes (one shared stream)', () => {
  it('runs a handoff with every service talking only through the stream', async () => {
    const dir = await makeDataDir();
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const stream = await openEmbeddedLog({ dir, logger: collectingLogger() });
    cleanups.push(() => stream.close());
    const flow = flowWith(120);
    for (const role of ['workflow', 'proxy', 'operator'] as const) {
      const server = await start({ flow, port: 0, role, stream, operators: role === 'operator' ? { accounts } : undefined });
      cleanups.push(() => server.close());
      if (role === 'proxy') var proxyUrl = server.url;
      if (role === 'operator') var operatorUrl = server.url;
    }
    await handOffAcrossProcesses(proxyUrl!, operatorUrl!);
  });
});

describe.skipIf(!clusterConfigured)(clusterSuiteTitle('the operator service as its own process'), () => {
  it('hands off, claims, talks and hands back across workflow, proxy and operator processes', async () => {
    // One topic for this run (deleted after it); each process keeps its own cache of it (a data directory each).
    const scope = new FluvioTestScope();
    cleanups.push(() => scope.cleanup());
    const dir = await scope.dir();
    const accountsFile = join(dir, 'operators.json');
    await writeFile(accountsFile, JSON.stringify({ operators: accounts }));
    const urls: string[] = [];
    for (const role of ['workflow', 'proxy', 'operator']) {
      const extra = role === 'operator' ? ['--operators', accountsFile] : [];
      const child = spawnServe([FLOW_FILE, '--port', '0', '--stream', 'fluvio', '--topic', scope.topic, '--data-dir', join(dir, role), '--role', role, ...extra]);
      cleanups.push(async () => {
        child.child.kill('SIGTERM');
        await child.exited;
      });
      urls.push(await whenReady(child));
    }
    await handOffAcrossProcesses(urls[1], urls[2]);
  }, 60_000);
});

/** The handoff through a proxy at `proxyUrl`, with the console of a separate operator service at `operatorUrl`. */
async function handOffAcrossProcesses(proxyUrl: string, operatorUrl: string): Promise<void> {
  expect((await fetch(operatorUrl)).status).toBe(404);
  const sam = await openConsole(operatorUrl, 'sam');
  const visitor = await visitorAsksForPerson(proxyUrl);
  const sid = visitor.sid!;
  await sam.conversation(sid, 'waiting');
  sam.send({ type: 'claim', sid });
  expect(await visitor.next()).toEqual({ kind: 'OperatorJoined', name: 'Sam' });
  // At once: the proxy may show the claim before the operator process has read it back.
  sam.send({ type: 'say', sid, text: 'Hi from another process' });
  expect(await sam.until((m) => m.action === 'say')).toMatchObject({ type: 'done' });
  expect(await visitor.next()).toEqual({ kind: 'OperatorText', name: 'Sam', content: 'Hi from another process' });
  visitor.send({ kind: 'UserText', sessionId: 'operator', content: 'hello' });
  expect(await sam.until((m) => m.type === 'conversation' && (m.conversation as { lastText?: string }).lastText === 'hello')).toBeTruthy();
  expect(await visitor.drain(150)).toEqual([]);
  sam.send({ type: 'release', sid, resume: { at: 'menu' } });
  expect(await visitor.take(2)).toMatchObject([{ kind: 'OperatorLeft', reason: 'released' }, { kind: 'ChoiceRequest', groupId: 'menu' }]);
}
