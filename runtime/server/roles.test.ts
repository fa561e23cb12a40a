import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedLog } from '../stream/EmbeddedLog.ts';
import type { StoredRecord } from '../stream/messageStream.ts';
import { start, type RunningServer } from './start.ts';
import { ownsSession, parseShard } from './workflowShard.ts';
import { ARTICLE_FLOW, collectingLogger, makeDataDir } from '../testing/testServer.ts';
import { WsTestClient } from '../testing/wsTestClient.ts';

// The proxy and workflow roles talk only through the stream. Fluvio cannot run here, so both run
// in this process on one shared stream object (the real embedded log) passed to start().
describe('proxy and workflow roles over one shared stream', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('runs a conversation with the proxy recording answers and the workflow answering them', async () => {
    const dir = await makeDataDir();
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const stream = await openEmbeddedLog({ dir, logger: collectingLogger() });
    cleanups.push(() => stream.close());
    const workflow: RunningServer = await start({ flowPath: ARTICLE_FLOW, port: 0, role: 'workflow', stream });
    cleanups.push(() => workflow.close());
    const proxy: RunningServer = await start({ flowPath: ARTICLE_FLOW, port: 0, role: 'proxy', stream });
    cleanups.push(() => proxy.close());

    expect((await fetch(`${workflow.url}healthz`)).status).toBe(200);
    expect((await fetch(workflow.url)).status).toBe(404);
    await expect(WsTestClient.connect(workflow.url)).rejects.toThrow();

    const seen: StoredRecord[] = [];
    cleanups.push(async () => unsubscribe());
    const unsubscribe = stream.subscribe((batch) => seen.push(...batch));

    const client = await WsTestClient.connect(proxy.url);
    expect(await client.take(2)).toMatchObject([{ kind: 'BotText' }, { kind: 'ChoiceRequest', groupId: 'lang' }]);
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'other', content: 'Other' });
    expect(await client.next()).toMatchObject({ kind: 'StartChatSession' });
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust' });
    expect(await client.next()).toMatchObject({ kind: 'Error', code: 'not-pending' });
    client.send({ kind: 'UserText', sessionId: 'langPreference', content: 'Elixir' });
    expect(await client.take(2)).toMatchObject([{ kind: 'EndChatSession' }, { kind: 'ChoiceRequest', groupId: 'others' }]);

    // each append crossed the stream separately: marker, then requests; answer, then requests
    expect(seen.map((s) => (s.record.payload ? `${s.record.payload.kind}:${s.record.payload.message.kind}` : 'start'))).toEqual([
      'start',
      'Request:BotText',
      'Request:ChoiceRequest',
      'Response:ChoiceResponse',
      'Request:StartChatSession',
      'Response:UserText',
      'Request:EndChatSession',
      'Request:ChoiceRequest',
    ]);

    // a reconnect through the proxy replays from the stream
    await client.close();
    const again = await WsTestClient.connect(proxy.url, { sid: client.sid });
    expect((await again.take(7)).map((f) => f.kind)).toEqual(['BotText', 'ChoiceRequest', 'ChoiceResponse', 'StartChatSession', 'UserText', 'EndChatSession', 'ChoiceRequest']);
    await again.close();
  });

  it('splits sessions between sharded workflow processes: each turn answered once, in order', async () => {
    const dir = await makeDataDir();
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const stream = await openEmbeddedLog({ dir, logger: collectingLogger() });
    cleanups.push(() => stream.close());
    for (const shard of [{ index: 0, count: 2 }, { index: 1, count: 2 }]) {
      const workflow = await start({ flowPath: ARTICLE_FLOW, port: 0, role: 'workflow', stream, shard });
      cleanups.push(() => workflow.close());
    }
    const proxy = await start({ flowPath: ARTICLE_FLOW, port: 0, role: 'proxy', stream });
    cleanups.push(() => proxy.close());

    const clients = await Promise.all(Array.from({ length: 12 }, () => WsTestClient.connect(proxy.url)));
    for (const client of clients) {
      expect(await client.take(2)).toMatchObject([{ kind: 'BotText' }, { kind: 'ChoiceRequest', groupId: 'lang' }]);
      client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
      expect(await client.next()).toMatchObject({ kind: 'ChoiceRequest', groupId: 'others' });
    }
    // had both workflows answered a session, its history would hold its greeting twice
    const owners = new Set<number>();
    for (const client of clients) {
      const records = [];
      for await (const chunk of stream.readSession(client.sid!)) records.push(...chunk);
      expect(records.map((r) => r.record.payload?.message.kind ?? 'start')).toEqual(['start', 'BotText', 'ChoiceRequest', 'ChoiceResponse', 'ChoiceRequest']);
      owners.add(ownsSession({ index: 0, count: 2 }, client.sid!) ? 0 : 1);
      await client.close();
    }
    expect(owners.size).toBe(2);
    expect(() => parseShard('3/2')).toThrow('--shard must be i/n');
    expect(parseShard('2/2')).toEqual({ index: 1, count: 2 });
  });

  it('a workflow started later answers the turns appended while none was running', async () => {
    const dir = await makeDataDir();
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const stream = await openEmbeddedLog({ dir, logger: collectingLogger() });
    cleanups.push(() => stream.close());
    const proxy = await start({ flowPath: ARTICLE_FLOW, port: 0, role: 'proxy', stream });
    cleanups.push(() => proxy.close());

    const waiting = await WsTestClient.connect(proxy.url);
    await expect(waiting.next(300)).rejects.toThrow(); // no workflow yet: the start marker waits in the stream
    const workflow = await start({ flowPath: ARTICLE_FLOW, port: 0, role: 'workflow', stream });
    cleanups.push(() => workflow.close());
    expect(await waiting.take(2)).toMatchObject([{ kind: 'BotText' }, { kind: 'ChoiceRequest', groupId: 'lang' }]);
    // and it answers once: nothing more arrives
    await expect(waiting.next(300)).rejects.toThrow();
    await waiting.close();
  });
});

