import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type RealFluvio from '@fluvio/client';
import type { Offset as RealOffset } from '@fluvio/client';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import { connectError, fluvioErrorText } from './describeFluvioError.ts';
import { FluvioStream, openFluvioStream, parseEndpoint, type FluvioClientModule, type FluvioStreamOptions } from './FluvioStream.ts';
import { inMemoryFluvio } from '../testing/inMemoryFluvio.ts';
import type { MessageStream, StoredRecord, StreamLogger } from './messageStream.ts';
import { describeMessageStreamContract } from '../testing/messageStreamContract.ts';
import { loadFluvioClient } from './fluvioClient.ts';

const logger: StreamLogger = { info: () => {}, warn: (message) => console.warn(message) };
const clusterConfigured = Boolean(process.env.FLUVIO_ENDPOINT) || existsSync(join(homedir(), '.fluvio', 'config'));
const notRun = 'Fluvio contract tests not run: no cluster configured (set FLUVIO_ENDPOINT or create a fluvio profile)';
if (!clusterConfigured) console.log(notRun);

/** Cache directories made by these tests, removed at the end. */
const cacheDirs: string[] = [];
afterAll(() => cacheDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function newCacheDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fluvio-cache-test-'));
  cacheDirs.push(dir);
  return dir;
}

/** Topics the real-cluster tests made, deleted at the end (each test has its own, so runs never see each other's records). */
const clusterTopics: string[] = [];
afterAll(async () => {
  if (clusterTopics.length === 0) return;
  const { Fluvio } = await loadFluvioClient();
  const fluvio = new Fluvio(process.env.FLUVIO_ENDPOINT ? parseEndpoint(process.env.FLUVIO_ENDPOINT) : undefined);
  await fluvio.connect();
  const admin = await fluvio.admin();
  for (const topic of clusterTopics) await admin.deleteTopic(topic).catch(() => {});
});
function clusterTopic(): string {
  const topic = `bot-assist-test-${randomUUID().slice(0, 8)}`;
  clusterTopics.push(topic);
  return topic;
}

/**
 * Opens a stream with a fresh cache (and, on a real cluster, a fresh topic); reopening uses the closed
 * stream's cache and topic, as a restarted process does.
 */
function contractOpeners(options: Omit<FluvioStreamOptions, 'logger'> = {}): [() => Promise<FluvioStream>, (closed: MessageStream) => Promise<FluvioStream>] {
  return [
    () => openFluvioStream({ ...options, topic: options.client ? options.topic : clusterTopic(), logger, cacheDir: newCacheDir() }),
    (closed) => openFluvioStream({ ...options, topic: (closed as FluvioStream).topic, logger, cacheDir: (closed as FluvioStream).cacheDir }),
  ];
}

describe.skipIf(!clusterConfigured)(clusterConfigured ? 'Fluvio contract tests (against a real cluster)' : notRun, () => {
  describeMessageStreamContract('fluvio', ...contractOpeners());

  it('delivers to subscribers the records another producer appends', async () => {
    const topic = clusterTopic();
    const a = await openFluvioStream({ logger, topic });
    const b = await openFluvioStream({ logger, topic });
    try {
      const sid = `cross-${Date.now()}-${Math.random()}`;
      const seen: StoredRecord[] = [];
      b.subscribe((records) => seen.push(...records.filter((stored) => stored.record.sid === sid)));
      await a.append([{ sid, timestamp: '2021-01-05T17:58:46.511' }]);
      const deadline = Date.now() + 10_000;
      while (seen.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen.map((stored) => stored.record)).toEqual([{ sid, timestamp: '2021-01-05T17:58:46.511' }]);
      expect(b.hasSession(sid)).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('FluvioStream over an in-memory stand-in of the cluster (no cluster runs here)', () => {
  it('codes against the real @fluvio/client 0.14 types', () => {
    expectTypeOf<typeof RealFluvio>().toExtend<FluvioClientModule['Fluvio']>();
    expectTypeOf<typeof RealOffset>().toExtend<FluvioClientModule['Offset']>();
  });

  for (const partitions of [1, 3]) {
    const cluster = inMemoryFluvio();
    describeMessageStreamContract(`fluvio stream logic, ${partitions} partition(s), stand-in cluster`, ...contractOpeners({ partitions, client: cluster.client }));
  }

  it('creates the topic once, rebuilds the index from the beginning, and sees other producers', async () => {
    const cluster = inMemoryFluvio();
    const lines: string[] = [];
    const collecting: StreamLogger = { info: (message) => lines.push(message), warn: (message) => lines.push(message) };
    const a = await openFluvioStream({ logger: collecting, partitions: 2, client: cluster.client });
    expect(lines).toEqual(['fluvio: created topic bot-assist-messages with 2 partition(s)']);
    cluster.topics.get('bot-assist-messages')![0].values.push('not json');
    await a.append([{ sid: 's1', timestamp: '2021-01-05T17:58:46.511' }]);
    const b = await openFluvioStream({ logger: collecting, client: cluster.client });
    try {
      expect(b.hasSession('s1')).toBe(true);
      expect(lines.filter((line) => line.startsWith('fluvio: skipped a value')).length).toBeGreaterThan(0);
      const seen: StoredRecord[] = [];
      b.subscribe((records) => seen.push(...records));
      await a.append([{ sid: 's2', timestamp: '2021-01-05T17:58:47.000' }]);
      const deadline = Date.now() + 5000;
      while (seen.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(seen.map((stored) => stored.record.sid)).toEqual(['s2']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('after a restart consumes only what came after the checkpoint, and keeps no record text in memory', async () => {
    const cluster = inMemoryFluvio();
    const cacheDir = newCacheDir();
    const first = await openFluvioStream({ logger, partitions: 2, client: cluster.client, cacheDir });
    const sids = ['a', 'b', 'c', 'd'];
    for (let n = 0; n < 50; n++) await first.append(sids.map((sid) => ({ sid, timestamp: `2021-01-05T17:58:${String(n).padStart(2, '0')}.000`, n })));
    await first.close();
    expect(readdirSync(cacheDir)).toContain('fluvio-checkpoint.json');
    const covered = cluster.topics.get('bot-assist-messages')!.map((partition) => partition.values.length);
    // another process goes on while this one is down
    const other = await openFluvioStream({ logger, client: cluster.client });
    await other.append([{ sid: 'a', timestamp: '2021-01-05T18:00:00.000', n: 50 }, { sid: 'e', timestamp: '2021-01-05T18:00:00.000' }]);
    await other.close();

    cluster.streamsOpened.length = 0;
    const again = await openFluvioStream({ logger, client: cluster.client, cacheDir });
    try {
      const written = cluster.topics.get('bot-assist-messages')!.map((partition) => partition.values.length);
      expect(written.reduce((a, b) => a + b)).toBe(202);
      // each partition is consumed from where the checkpoint left it, not from 0
      expect(cluster.streamsOpened.map((opened) => opened.partition).sort()).toEqual([0, 1]);
      for (const opened of cluster.streamsOpened) expect(opened.offset).toBe(covered[opened.partition]);
      const history = [];
      for await (const chunk of again.readSession('a', { chunkSize: 16 })) history.push(...chunk);
      expect(history.map((stored) => stored.record.n)).toEqual(Array.from({ length: 51 }, (_, n) => n));
      expect(again.hasSession('e')).toBe(true);
      expect(again.endOffset()).toBe(202);
      // nothing but the cache's index is held: no copy of record texts in the stream object
      expect(JSON.stringify(Object.entries(again).filter(([key]) => key !== 'cache'))).not.toContain('2021-01-05T17:58');
    } finally {
      await again.close();
    }
  });

  it('a workflow shard follows only its partitions when the topic has enough of them', async () => {
    const cluster = inMemoryFluvio();
    const lines: string[] = [];
    const collecting: StreamLogger = { info: (message) => lines.push(message), warn: (message) => lines.push(message) };
    const writer = await openFluvioStream({ logger, partitions: 4, client: cluster.client, cacheDir: newCacheDir() });
    const sids = Array.from({ length: 40 }, (_, n) => `shard-${n}`);
    await writer.append(sids.map((sid) => ({ sid, timestamp: '2021-01-05T17:58:46.511' })));
    const second = await openFluvioStream({ logger: collecting, shard: { index: 1, count: 2 }, client: cluster.client, cacheDir: newCacheDir() });
    const everyone = await openFluvioStream({ logger, shard: { index: 1, count: 8 }, client: cluster.client, cacheDir: newCacheDir() });
    try {
      expect(second.shardedByPartition).toBe(true);
      expect(lines).toContain('fluvio: shard 2/2 follows partition(s) 1, 3 of bot-assist-messages');
      const partitions = cluster.topics.get('bot-assist-messages')!;
      const inPartition = (sid: string) => partitions.findIndex((partition) => partition.values.some((value) => JSON.parse(value).sid === sid));
      const mine = sids.filter((sid) => inPartition(sid) % 2 === 1);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.length).toBeLessThan(sids.length);
      expect(sids.filter((sid) => second.hasSession(sid))).toEqual(mine);
      // more shards than partitions: each follows every partition (the runtime then splits sessions by hash)
      expect(everyone.shardedByPartition).toBe(false);
      expect(sids.every((sid) => everyone.hasSession(sid))).toBe(true);
    } finally {
      await Promise.all([writer.close(), second.close(), everyone.close()]);
    }
  });

  it('follows a partition again after its stream fails, and reports appends that fail as stream errors', async () => {
    const cluster = inMemoryFluvio();
    const lines: string[] = [];
    const collecting: StreamLogger = { info: (message) => lines.push(message), warn: (message) => lines.push(message) };
    const stream = await openFluvioStream({ logger: collecting, client: cluster.client, cacheDir: newCacheDir(), appendTimeoutMs: 200 });
    try {
      await stream.append([{ sid: 's', timestamp: '2021-01-05T17:58:46.511' }]);
      // the cluster drops every consumer stream and refuses new ones for a while
      cluster.down.value = true;
      cluster.dropStreams();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(lines.some((line) => line.includes('consuming partition 0 of bot-assist-messages stopped at offset 1'))).toBe(true);
      await expect(stream.append([{ sid: 's', timestamp: '2021-01-05T17:58:46.900' }])).rejects.toThrow('fluvio: cannot produce to topic bot-assist-messages: Socket io Connection refused (os error 111)');
      cluster.down.value = false;
      const offsets = await stream.append([{ sid: 's', timestamp: '2021-01-05T17:58:47.000' }]);
      expect(offsets).toEqual([1]);
      expect(lines.some((line) => line.includes('consuming partition 0 of bot-assist-messages again from offset 1'))).toBe(true);
    } finally {
      await stream.close();
    }
  });

  it('never overlaps producer calls (the native producer hangs when they do): concurrent appends go out in batches', async () => {
    const cluster = inMemoryFluvio();
    const { Fluvio } = cluster.client;
    let busy = false;
    const sendAlls: number[] = [];
    // A producer like the real binary's: a call made while another is in flight never answers.
    class OneCallAtATime extends Fluvio {
      override async topicProducer(topic: string) {
        const inner = await super.topicProducer(topic);
        const exclusive = async <T>(call: () => Promise<T>): Promise<T> => {
          if (busy) return new Promise<T>(() => {});
          busy = true;
          try {
            await new Promise((resolve) => setTimeout(resolve, 5));
            return await call();
          } finally {
            busy = false;
          }
        };
        return {
          sendAll: (records: [string, string][]) => exclusive(() => (sendAlls.push(records.length), inner.sendAll(records))),
          flush: () => exclusive(() => inner.flush()),
        };
      }
    }
    const stream = await openFluvioStream({ logger, client: { ...cluster.client, Fluvio: OneCallAtATime }, cacheDir: newCacheDir(), appendTimeoutMs: 2000 });
    try {
      const offsets = await Promise.all(Array.from({ length: 50 }, (_, i) => stream.append([{ sid: `s${i}`, timestamp: '2021-01-05T17:58:46.511' }])));
      expect(offsets.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(sendAlls.reduce((sum, n) => sum + n, 0)).toBe(50);
      expect(sendAlls.length).toBeLessThan(50);
    } finally {
      await stream.close();
    }
  });

  it('drops records whose append was reported as failed when they land later (no ghost turn, nothing twice)', async () => {
    const cluster = inMemoryFluvio();
    const { Fluvio } = cluster.client;
    let slow = true;
    // A producer that answers after the append gave up, and delivers the records even so.
    class LateProducer extends Fluvio {
      override async topicProducer(topic: string) {
        const inner = await super.topicProducer(topic);
        return {
          sendAll: async (records: [string, string][]) => {
            if (slow) await new Promise((resolve) => setTimeout(resolve, 400));
            await inner.sendAll(records);
          },
          flush: () => inner.flush(),
        };
      }
    }
    const lines: string[] = [];
    const collecting: StreamLogger = { info: () => {}, warn: (message) => lines.push(message) };
    const stream = await openFluvioStream({ logger: collecting, client: { ...cluster.client, Fluvio: LateProducer }, cacheDir: newCacheDir(), appendTimeoutMs: 100 });
    const seen: StoredRecord[] = [];
    stream.subscribe((records) => seen.push(...records));
    try {
      await expect(stream.append([{ sid: 'late', timestamp: '2021-01-05T17:58:46.511' }])).rejects.toThrow('fluvio: cannot produce to topic bot-assist-messages: no answer within 100 ms');
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(cluster.topics.get('bot-assist-messages')![0].values).toHaveLength(1); // it did land
      slow = false;
      // the retry is a new record; the late one is consumed but neither cached nor delivered
      expect(await stream.append([{ sid: 'late', timestamp: '2021-01-05T17:58:47.000' }])).toEqual([0]);
      expect(seen.map((stored) => stored.record.timestamp)).toEqual(['2021-01-05T17:58:47.000']);
      const history: StoredRecord[] = [];
      for await (const chunk of stream.readSession('late')) history.push(...chunk);
      expect(history.map((stored) => stored.record.timestamp)).toEqual(['2021-01-05T17:58:47.000']);
      expect(lines.some((line) => line.includes('dropped a record of session late') && line.includes('offset 0'))).toBe(true);
    } finally {
      await stream.close();
    }
  });

  it('normalises the array the client rejects with when the cluster is down', async () => {
    const cluster = inMemoryFluvio();
    cluster.down.value = true;
    await expect(openFluvioStream({ logger, endpoint: '127.0.0.1:9003', client: cluster.client })).rejects.toThrow(
      'fluvio: cannot connect to 127.0.0.1:9003: connection refused. Start a cluster or set FLUVIO_ENDPOINT / a fluvio profile.',
    );
  });
});

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('fluvio: connection errors (real client, no cluster)', () => {
  it('gives one clear Error when nothing listens at the endpoint', async () => {
    const port = await closedPort();
    const error = await openFluvioStream({ endpoint: `127.0.0.1:${port}`, logger }).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(`fluvio: cannot connect to 127.0.0.1:${port}: connection refused. Start a cluster or set FLUVIO_ENDPOINT / a fluvio profile.`);
  });

  it('uses FLUVIO_ENDPOINT when no endpoint is passed', async () => {
    const port = await closedPort();
    const saved = process.env.FLUVIO_ENDPOINT;
    process.env.FLUVIO_ENDPOINT = `127.0.0.1:${port}`;
    try {
      await expect(openFluvioStream({ logger })).rejects.toThrow(`fluvio: cannot connect to 127.0.0.1:${port}: connection refused.`);
    } finally {
      if (saved === undefined) delete process.env.FLUVIO_ENDPOINT;
      else process.env.FLUVIO_ENDPOINT = saved;
    }
  });

  it.skipIf(clusterConfigured)('says no cluster is configured when there is no endpoint and no profile', async () => {
    const home = mkdtempSync(join(tmpdir(), 'fluvio-home-'));
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      await expect(openFluvioStream({ logger })).rejects.toThrow(
        'fluvio: no cluster configured (the fluvio config has no active profile). Start a cluster or set FLUVIO_ENDPOINT / a fluvio profile.',
      );
    } finally {
      process.env.HOME = saved;
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('rejects an endpoint that is not host:port', () => {
    expect(() => parseEndpoint('localhost')).toThrow('fluvio: the endpoint must be host:port (like 127.0.0.1:9003), got "localhost"');
    expect(() => parseEndpoint('h:99999')).toThrow(/must be host:port/);
    expect(parseEndpoint('fluvio.example:9003')).toEqual({ host: 'fluvio.example', port: 9003 });
  });

  it("turns the client's array rejections into text", () => {
    expect(fluvioErrorText(['Socket io Connection refused (os error 111)', "can't connect"])).toBe("Socket io Connection refused (os error 111); can't connect");
    expect(fluvioErrorText(new Error('boom'))).toBe('boom');
    expect(connectError(['Socket io failed to lookup address information: Name or service not known'], 'nowhere.invalid:9003').message).toBe(
      'fluvio: cannot connect to nowhere.invalid:9003: unknown host. Start a cluster or set FLUVIO_ENDPOINT / a fluvio profile.',
    );
  });
});
