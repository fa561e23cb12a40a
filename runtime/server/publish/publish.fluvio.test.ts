/**
 * Issue 16 with several processes: one publish switches every process on the stream. A proxy and
 * two workflow shards, each with its own data directory (its kept versions) and its own copy of the
 * flow file, share only the stream. The publish goes to one workflow process's API and is recorded
 * on the stream (`bot-assistant:publish`): the other processes switch when they read it.
 * - On a real Fluvio cluster, as real `serve` processes on their own topic (opt-in: FLUVIO_ENDPOINT or
 *   a fluvio profile; each has its own cache of the topic).
 * - Always: the same roles in this process over one shared embedded log (how roles.test.ts runs them).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { flowOf } from '../../testing/testFlows.ts';
import type { State } from '../../flow/types.ts';
import { openEmbeddedLog } from '../../stream/EmbeddedLog.ts';
import { clusterConfigured, clusterSuiteTitle, FluvioTestScope } from '../../testing/fluvioTestCluster.ts';
import type { MessageStream } from '../../stream/messageStream.ts';
import { spawnServe, whenReady } from '../../testing/serveProcess.ts';
import { start, type Role } from '../start.ts';
import { collectingLogger, makeDataDir } from '../../testing/testServer.ts';
import { startRecord } from '../records.ts';
import { ownsSession } from '../workflowShard.ts';
import { WsTestClient } from '../../testing/wsTestClient.ts';
import { callPublishApi, type PublishServer } from './publishClient.ts';
import { coffeeFlow } from '../../testing/coffeeFlows.ts';

const TOKEN = 'fluvio-publish-token-0123456789abcdef';
const V1 = coffeeFlow('v1');
const V2 = coffeeFlow('v2', { groupId: 'coffee', question: 'Which coffee?' });
const SHARDS = [
  { index: 0, count: 2 },
  { index: 1, count: 2 },
];

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Process {
  name: string;
  url: string;
  flowFile: string;
  api: PublishServer;
}

/** A `serve` process (the real CLI) on the scope's topic, with the publish API. */
async function serveProcess(scope: FluvioTestScope, dir: string, name: string, args: string[]): Promise<Process> {
  const dataDir = join(dir, name);
  const flowFile = join(dir, `${name}.json`);
  const tokenFile = join(dir, 'publish.token');
  await writeFile(flowFile, V1);
  const child = spawnServe([flowFile, '--port', '0', '--stream', 'fluvio', '--topic', scope.topic, '--data-dir', dataDir, '--publish-token-file', tokenFile, ...args]);
  cleanups.push(async () => {
    child.child.kill('SIGTERM');
    await child.exited;
  });
  const url = await whenReady(child, 60_000);
  return { name, url, flowFile, api: { url, token: TOKEN, publisher: 'fluvio-test' } };
}

/** Visitors through the proxy until each shard has `perShard` of them; each has its greeting and question. */
async function visitorsOnEveryShard(proxyUrl: string, perShard: number): Promise<{ client: WsTestClient; question: Record<string, unknown>; greeting: unknown }[]> {
  const visitors: { client: WsTestClient; question: Record<string, unknown>; greeting: unknown }[] = [];
  const onShard = SHARDS.map(() => 0);
  for (let tries = 0; onShard.some((n) => n < perShard); tries++) {
    if (tries > 40) throw new Error(`40 visitors and still not ${perShard} on each shard: ${onShard.join(', ')}`);
    const client = await WsTestClient.connect(proxyUrl);
    cleanups.push(() => client.close());
    const [greeting, question] = await client.take(2, 10_000);
    const shard = SHARDS.findIndex((s) => ownsSession(s, client.sid!));
    if (onShard[shard] >= perShard) {
      await client.close();
      continue;
    }
    onShard[shard]++;
    visitors.push({ client, greeting, question: question as Record<string, unknown> });
  }
  return visitors;
}

async function currentVersion(process: Process): Promise<string> {
  return ((await callPublishApi(process.api, 'GET', 'publish/status')) as { current: string }).current;
}

/** A role started in this process on a shared stream, as `serve` would start it (its own versions dir and flow file). */
async function roleOnStream(stream: MessageStream, dir: string, name: string, role: Role, shard?: { index: number; count: number }, logger = collectingLogger()): Promise<Process> {
  const flowFile = join(dir, `${name}.json`);
  await writeFile(flowFile, V1);
  const server = await start({
    flow: flowOf(JSON.parse(V1) as Record<string, State>),
    port: 0,
    role,
    shard,
    stream,
    logger,
    publishing: { dir: join(dir, name, 'versions'), token: TOKEN, flowFile, flowText: V1 },
  });
  cleanups.push(() => server.close());
  return { name, url: server.url, flowFile, api: { url: server.url, token: TOKEN, publisher: 'fluvio-test' } };
}

describe.skipIf(!clusterConfigured)(clusterSuiteTitle('one publish, two workflow processes'), { timeout: 120_000 }, () => {
  it('switches both workflow shards and the proxy on one publish; conversations started before finish on their version', async () => {
    const scope = new FluvioTestScope();
    cleanups.push(() => scope.cleanup());
    const dir = await scope.dir();
    await writeFile(join(dir, 'publish.token'), `${TOKEN}\n`);
    const workflows = [
      await serveProcess(scope, dir, 'workflow-1', ['--role', 'workflow', '--shard', '1/2']),
      await serveProcess(scope, dir, 'workflow-2', ['--role', 'workflow', '--shard', '2/2']),
    ];
    const proxy = await serveProcess(scope, dir, 'proxy', ['--role', 'proxy']);
    await switchOnOnePublish(workflows, proxy);
  });
});

describe('one publish, two workflow roles and a proxy on one shared embedded log', () => {
  it('switches both workflow shards and the proxy on one publish; conversations started before finish on their version', async () => {
    const dir = await makeDataDir();
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, 'log'));
    const stream = await openEmbeddedLog({ dir: join(dir, 'log'), logger: collectingLogger() });
    cleanups.push(() => stream.close());
    const workflows = [await roleOnStream(stream, dir, 'workflow-1', 'workflow', SHARDS[0]), await roleOnStream(stream, dir, 'workflow-2', 'workflow', SHARDS[1])];
    const proxy = await roleOnStream(stream, dir, 'proxy', 'proxy');
    await switchOnOnePublish(workflows, proxy);
  });
});

describe('a process that starts after a publish on a shared stream', () => {
  it('says that the stream’s last published version is not the one its flow file gives it', async () => {
    const dir = await makeDataDir();
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, 'log'));
    const stream = await openEmbeddedLog({ dir: join(dir, 'log'), logger: collectingLogger() });
    cleanups.push(() => stream.close());
    const first = await roleOnStream(stream, dir, 'workflow-1', 'workflow', SHARDS[0]);
    const published = (await callPublishApi(first.api, 'POST', 'publish', V2)) as { hash: string };
    const logger = collectingLogger();
    await roleOnStream(stream, dir, 'workflow-2', 'workflow', SHARDS[1], logger);
    expect(logger.lines.filter((line) => line.startsWith('warn'))).toEqual([
      expect.stringMatching(new RegExp(`^warn the last version published on the stream is ${published.hash} \\(by fluvio-test, .*\\), but this process starts on [0-9a-f]{16} from its flow file: publish`)),
    ]);
  });
});

describe('a workflow role answering a start marker another process appended', () => {
  it('starts the session on the version the marker names; a version it does not keep gets a new marker on the current one', async () => {
    const dir = await makeDataDir();
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, 'log'));
    const stream = await openEmbeddedLog({ dir: join(dir, 'log'), logger: collectingLogger() });
    cleanups.push(() => stream.close());
    const workflow = await roleOnStream(stream, dir, 'workflow', 'workflow');
    const v1 = ((await callPublishApi(workflow.api, 'GET', 'publish/status')) as { current: string }).current;
    const v2 = ((await callPublishApi(workflow.api, 'POST', 'publish', V2)) as { hash: string }).hash;
    // A proxy that has not read the publish yet marks new sessions with v1; one from elsewhere names a version never seen here.
    await stream.append([startRecord('late-proxy', new Date().toISOString(), { flowHash: v1 }), startRecord('unknown-version', new Date().toISOString(), { flowHash: 'f'.repeat(16) })]);
    const sessionOf = async (sid: string) => {
      for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
        const records = [];
        for await (const chunk of stream.readSession(sid)) records.push(...chunk.map((c) => c.record));
        if (records.some((r) => r.payload?.message.kind === 'ChoiceRequest')) return records.map((r) => (r.payload ? `${r.payload.message.kind}:${String((r.payload.message as Record<string, unknown>).content ?? (r.payload.message as Record<string, unknown>).groupId)}` : `start:${r.flowHash}`));
      }
      throw new Error(`the workflow did not answer ${sid}`);
    };
    expect(await sessionOf('late-proxy')).toEqual([`start:${v1}`, 'BotText:Hi (v1)', 'ChoiceRequest:drink']);
    expect(await sessionOf('unknown-version')).toEqual([`start:${'f'.repeat(16)}`, `start:${v2}`, 'BotText:Hi (v2)', 'ChoiceRequest:coffee']);
  });
});

/** Conversations on both shards across one publish to the first workflow: the old finish on v1, new ones run v2, every process switched. */
async function switchOnOnePublish(workflows: Process[], proxy: Process): Promise<void> {
  const processes = [...workflows, proxy];
  const v1 = await currentVersion(proxy);
  for (const process of workflows) expect(await currentVersion(process)).toBe(v1);

  // Two conversations on each shard, waiting at v1's question.
  const before = await visitorsOnEveryShard(proxy.url, 2);
  for (const { greeting, question } of before) {
    expect(greeting).toEqual({ kind: 'BotText', content: 'Hi (v1)' });
    expect(question).toMatchObject({ kind: 'ChoiceRequest', groupId: 'drink', question: 'What would you like?' });
  }

  // One publish, to the first workflow process only.
  const published = (await callPublishApi(workflows[0].api, 'POST', 'publish', V2)) as { hash: string; changed: boolean };
  expect(published.changed).toBe(true);
  const deadline = Date.now() + 10_000;
  for (const process of processes) {
    while ((await currentVersion(process)) !== published.hash) {
      if (Date.now() > deadline) throw new Error(`${process.name} still runs ${await currentVersion(process)} 10 s after publishing ${published.hash}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  // The conversations started before finish on v1 (v2 has no "drink" question), on both shards.
  await Promise.all(
    before.map(async ({ client }, i) => {
      const itemId = i % 2 === 0 ? 'espresso' : 'latte';
      client.send({ kind: 'ChoiceResponse', groupId: 'drink', itemId, content: itemId });
      expect(await client.next(10_000)).toEqual({ kind: 'BotText', content: `${itemId === 'latte' ? 'Latte' : 'Espresso'} it is (v1)` });
      expect(await client.drain(100)).toEqual([]);
      expect(client.closeCode).toBeUndefined();
    }),
  );

  // Conversations started after it run v2 on both shards, to the end.
  const after = await visitorsOnEveryShard(proxy.url, 2);
  await Promise.all(
    after.map(async ({ client, greeting, question }) => {
      expect(greeting).toEqual({ kind: 'BotText', content: 'Hi (v2)' });
      expect(question).toMatchObject({ kind: 'ChoiceRequest', groupId: 'coffee', question: 'Which coffee?' });
      client.send({ kind: 'ChoiceResponse', groupId: 'coffee', itemId: 'latte', content: 'Latte' });
      expect(await client.next(10_000)).toEqual({ kind: 'BotText', content: 'Latte it is (v2)' });
    }),
  );

  // Every process kept the version and wrote it to its flow file (a restart runs it).
  for (const process of processes) {
    expect(await readFile(process.flowFile, 'utf8')).toBe(V2);
    const status = (await callPublishApi(process.api, 'GET', 'publish/status')) as { versions: { hash: string; by: string }[] };
    expect(status.versions.find((v) => v.hash === published.hash)).toMatchObject({ by: 'fluvio-test' });
  }
}
