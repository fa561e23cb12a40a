/**
 * Publishing to a running server, end to end: a real runtime on the embedded log, real widget
 * sockets, the signed publish API called over HTTP. Conversations finish on the version they
 * started with; new ones start on the published one; refused publishes change nothing.
 */
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializeFlow } from '../../flow/serializeFlow.ts';
import type { State } from '../../flow/types.ts';
import { flowOf } from '../../testing/testFlows.ts';
import { collectingLogger, startTestServer, type TestServer } from '../../testing/testServer.ts';
import { WsTestClient, type Frame } from '../../testing/wsTestClient.ts';
import { callPublishApi, PublishClientError, type PublishServer } from './publishClient.ts';
import { RETIRED_VERSION_NOTICE } from '../workflowService.ts';
import { signPublishRequest } from './publishAuth.ts';
import { coffeeFlow } from '../../testing/coffeeFlows.ts';

const TOKEN = 'test-publish-token-0123456789abcdef';

const coffee = coffeeFlow;

const V1 = coffee('v1');
const RENAMED = coffee('v2', { groupId: 'coffee', question: 'Which coffee?' });
const NO_LATTE = coffee('v3', { withLatte: false });

let dataDir: string;
let test: TestServer;
let server: PublishServer;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'publish-'));
  test = await startTestServer({ flow: parseFlowText(V1), publishing: { dir: path.join(dataDir, 'versions'), token: TOKEN, flowText: V1 } }, dataDir);
  server = { url: test.url, token: TOKEN, publisher: 'tester' };
});
afterEach(async () => {
  await test.stop();
  await rm(dataDir, { recursive: true, force: true });
});

function parseFlowText(text: string) {
  const object = JSON.parse(text) as Record<string, State>;
  return flowOf(object);
}

/** Open a session and read its greeting and question. */
async function openSession(): Promise<{ client: WsTestClient; question: Frame }> {
  const client = await WsTestClient.connect(test.url);
  const [, question] = await client.take(2);
  return { client, question };
}

async function midConversationAcrossPublish(next: string, expectedQuestion: string): Promise<void> {
  const sessions = await Promise.all(Array.from({ length: 200 }, openSession));
  for (const { question } of sessions) expect(question).toMatchObject({ kind: 'ChoiceRequest', groupId: 'drink' });

  await expect(callPublishApi(server, 'POST', 'publish', next)).resolves.toMatchObject({ changed: true });

  // Every open conversation finishes on v1: same question ids, v1's answers, nothing dropped.
  await Promise.all(
    sessions.map(async ({ client }, i) => {
      const itemId = i % 2 === 0 ? 'espresso' : 'latte';
      client.send({ kind: 'ChoiceResponse', groupId: 'drink', itemId, content: itemId });
      expect(await client.next()).toEqual({ kind: 'BotText', content: `${itemId === 'latte' ? 'Latte' : 'Espresso'} it is (v1)` });
      expect(await client.drain(20)).toEqual([]);
      expect(client.closeCode).toBeUndefined();
    }),
  );
  await Promise.all(sessions.map(({ client }) => client.close()));

  // A conversation started afterwards runs the new version.
  const fresh = await openSession();
  expect(fresh.question).toMatchObject({ kind: 'ChoiceRequest', question: expectedQuestion });
  await fresh.client.close();
}

describe('publishing to a running server', () => {
  it('keeps 200 live conversations on their version while a renamed question is published', async () => {
    await midConversationAcrossPublish(RENAMED, 'Which coffee?');
  });

  it('keeps 200 live conversations on their version while a branch is removed', async () => {
    await midConversationAcrossPublish(NO_LATTE, 'What would you like?');
    const status = (await callPublishApi(server, 'GET', 'publish/status')) as { current: string; versions: { by: string }[] };
    expect(status.versions.map((v) => v.by)).toEqual(['tester', 'the flow file, at server start']);
  });

  it('refuses a version with errors and keeps serving the running one', async () => {
    const broken = V1.replace('"next": "ask"', '"next": "nowhere"');
    const refused = await callPublishApi(server, 'POST', 'publish', broken).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PublishClientError);
    expect((refused as PublishClientError).status).toBe(422);
    expect((refused as PublishClientError).body).toMatchObject({ diagnostics: expect.arrayContaining([expect.objectContaining({ code: 'next-missing', severity: 'error' })]) });
    const { question } = await openSession();
    expect(question).toMatchObject({ groupId: 'drink' });
  });

  it('refuses a wrong token, a missing one and a replayed request', async () => {
    const wrong = await callPublishApi({ ...server, token: 'another-token-of-sufficient-length' }, 'POST', 'publish', RENAMED).catch((e: PublishClientError) => e);
    expect(wrong).toMatchObject({ status: 401, message: expect.stringMatching(/wrong publish token/) });

    const missing = await fetch(new URL('publish', test.url), { method: 'POST', body: RENAMED });
    expect(missing.status).toBe(401);

    const authorization = signPublishRequest(TOKEN, { method: 'POST', path: '/publish', body: RENAMED });
    const first = await fetch(new URL('publish', test.url), { method: 'POST', body: RENAMED, headers: { Authorization: authorization } });
    expect(first.status).toBe(200);
    const replayed = await fetch(new URL('publish', test.url), { method: 'POST', body: RENAMED, headers: { Authorization: authorization } });
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toEqual({ error: 'this request was already used (replayed)' });
  });

  it('rolls back: an earlier kept version again for new conversations', async () => {
    const v1 = ((await callPublishApi(server, 'GET', 'publish/status')) as { current: string }).current;
    await callPublishApi(server, 'POST', 'publish', RENAMED);
    expect((await openSession()).question).toMatchObject({ groupId: 'coffee' });
    await expect(callPublishApi(server, 'POST', 'publish/rollback', JSON.stringify({ hash: v1 }))).resolves.toMatchObject({ hash: v1, changed: true });
    expect((await openSession()).question).toMatchObject({ groupId: 'drink' });
    await expect(callPublishApi(server, 'GET', `publish/versions/${v1}`)).resolves.toEqual(JSON.parse(V1));
  });

  it('tells a conversation whose version was dropped, and starts it over on the current one', async () => {
    const twoQuestions = (milk: boolean) =>
      serializeFlow(
        flowOf({
          size: { sendRequest: { kind: 'ChoiceRequest', groupId: 'size', question: 'Size?', choices: [{ itemId: 'small', content: 'Small' }] } },
          small: { matchResponse: { kind: 'ChoiceResponse', groupId: 'size', itemId: 'small' }, ...(milk ? { next: 'milk' } : {}) },
          ...(milk ? { milk: { sendRequest: { kind: 'ChoiceRequest', groupId: 'milk', question: 'Milk?', choices: [{ itemId: 'yes', content: 'Yes' }] } } } : {}),
        }),
      );
    await test.stop();
    test = await startTestServer({ flow: parseFlowText(twoQuestions(true)), publishing: { dir: path.join(dataDir, 'versions'), token: TOKEN, flowText: twoQuestions(true) } }, dataDir);
    const client = await WsTestClient.connect(test.url);
    await client.take(1);
    client.send({ kind: 'ChoiceResponse', groupId: 'size', itemId: 'small' });
    expect(await client.next()).toMatchObject({ groupId: 'milk' }); // durable now, and waiting on v1's "Milk?"
    await client.close();

    // The server restarts on a version without that question, and a cleanup drops the old one.
    await test.stop();
    test = await startTestServer({ flow: parseFlowText(twoQuestions(false)), publishing: { dir: path.join(dataDir, 'versions'), token: TOKEN, flowText: twoQuestions(false) } }, dataDir);
    expect(await test.server.publisher!.prune(Date.now() + 1)).toHaveLength(2); // the coffee v1 and the milk version

    const back = await WsTestClient.connect(test.url, { sid: client.sid });
    await back.drain(50);
    back.send({ kind: 'ChoiceResponse', groupId: 'milk', itemId: 'yes' });
    const frames = await back.take(2);
    expect(frames[0]).toEqual({ kind: 'BotText', content: RETIRED_VERSION_NOTICE });
    expect(frames[1]).toMatchObject({ kind: 'ChoiceRequest', groupId: 'size' });
    await back.close();
  });
});

describe('the server replays its recorded conversations through a draft (POST /publish/routing)', () => {
  /** Conversations on the running version, each answered once (a session is recorded from its first answer). */
  async function conversations(itemIds: string[]): Promise<string[]> {
    const sids: string[] = [];
    for (const itemId of itemIds) {
      const { client } = await openSession();
      client.send({ kind: 'ChoiceResponse', groupId: 'drink', itemId, content: itemId });
      await client.next();
      sids.push(client.sid!);
      await client.close();
    }
    return sids;
  }
  // latte now goes where espresso goes
  const LATTE_CHANGED = V1.replace('"next": "latteDone"', '"next": "espressoDone"');

  it('counts the running version’s conversations a draft would route another way; refuses a wrong token and a draft with errors', async () => {
    const sids = await conversations(['espresso', 'latte', 'latte']);
    const v1 = ((await callPublishApi(server, 'GET', 'publish/status')) as { current: string }).current;

    await expect(callPublishApi(server, 'POST', 'publish/routing', V1)).resolves.toEqual({ version: v1, recorded: 3, checked: 3, limit: 1000, changed: 0, groups: [] });
    const changed = await callPublishApi(server, 'POST', 'publish/routing', LATTE_CHANGED);
    expect(changed).toEqual({ version: v1, recorded: 3, checked: 3, limit: 1000, changed: 2, groups: [{ step: 1, count: 2, reason: expect.stringMatching(/\S/) }] });
    // session ids are the visitors' cookies: never in the answer
    for (const sid of sids) expect(JSON.stringify(changed)).not.toContain(sid);

    const wrong = await callPublishApi({ ...server, token: 'another-token-of-sufficient-length' }, 'POST', 'publish/routing', V1).catch((e: PublishClientError) => e);
    expect(wrong).toMatchObject({ status: 401, message: expect.stringMatching(/wrong publish token/) });
    const unsigned = await fetch(new URL('publish/routing', test.url), { method: 'POST', body: V1 });
    expect(unsigned.status).toBe(401);

    const broken = await callPublishApi(server, 'POST', 'publish/routing', V1.replace('"next": "ask"', '"next": "nowhere"')).catch((e: PublishClientError) => e);
    expect(broken).toMatchObject({ status: 422, body: { diagnostics: expect.arrayContaining([expect.objectContaining({ code: 'next-missing' })]) } });

    // After a publish the running version is the new one: none of its conversations are recorded yet.
    const published = (await callPublishApi(server, 'POST', 'publish', RENAMED)) as { hash: string };
    await expect(callPublishApi(server, 'POST', 'publish/routing', RENAMED)).resolves.toMatchObject({ version: published.hash, recorded: 0, checked: 0, changed: 0 });
  });

  it('replays at most its limit, the most recent conversations first', async () => {
    await test.stop();
    test = await startTestServer({ flow: parseFlowText(V1), publishing: { dir: path.join(dataDir, 'versions'), token: TOKEN, flowText: V1, routingLimit: 2 } }, dataDir);
    server = { ...server, url: test.url };
    // the oldest answered latte, the two most recent espresso: only the latte one routes differently
    await conversations(['latte', 'espresso', 'espresso']);
    await expect(callPublishApi(server, 'POST', 'publish/routing', LATTE_CHANGED)).resolves.toMatchObject({ recorded: 3, checked: 2, limit: 2, changed: 0 });
  });
});

describe('the served flow file', () => {
  it('refuses a publish the flow file cannot keep, and warns at start when the file is not the last published version', async () => {
    const folder = path.join(dataDir, 'flows');
    const flowFile = path.join(folder, 'coffee.json');
    await mkdir(folder);
    await writeFile(flowFile, V1);
    const own = path.join(dataDir, 'own');
    const options = () => ({ flow: parseFlowText(V1), publishing: { dir: path.join(own, 'versions'), token: TOKEN, flowText: V1, flowFile } });
    let served = await startTestServer(options(), own);
    const at = { url: served.url, token: TOKEN, publisher: 'tester' };
    try {
      // The folder went away (a read-only mount, a deleted deploy dir): a restart could not run the publish.
      await rename(folder, `${folder}-moved`);
      await expect(callPublishApi(at, 'POST', 'publish', RENAMED)).rejects.toThrow(
        /cannot write the flow file .*coffee\.json: its folder is not writable \(no such file or directory \(ENOENT\)\): a restart would run the old version again, so nothing was published; the running version stays/,
      );
      const fresh = await WsTestClient.connect(served.url);
      expect((await fresh.take(2))[1]).toMatchObject({ question: 'What would you like?' });
      await fresh.close();
      await rename(`${folder}-moved`, folder);
      await expect(callPublishApi(at, 'POST', 'publish', RENAMED)).resolves.toMatchObject({ changed: true });
      expect(await readFile(flowFile, 'utf8')).toContain('Which coffee?');
    } finally {
      await served.stop();
    }

    // Someone puts the old file back: the server runs it, and says the published version is not lost.
    await writeFile(flowFile, V1);
    const logger = collectingLogger();
    served = await startTestServer({ ...options(), logger }, own);
    await served.stop();
    expect(logger.lines.join('\n')).toMatch(/the flow file is not the last published version [0-9a-f]{16} \(by tester, .*\): running the file's version [0-9a-f]{16}; `bot-assistant publish --rollback [0-9a-f]{16}` goes back to it/);
  });
});
