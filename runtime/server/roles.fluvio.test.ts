/**
 * The proxy and workflow roles on a real Fluvio cluster, each "process" with its own FluvioStream
 * (its own connection and cache), so they talk only through the topic. Opt-in: FLUVIO_ENDPOINT or
 * a fluvio profile; without one the suite is reported as not run, with the reason.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { clusterConfigured, clusterSuiteTitle, deleteTestTopics, FluvioTestScope } from '../testing/fluvioTestCluster.ts';
import type { MessageStream } from '../stream/messageStream.ts';
import { start } from './start.ts';
import { ARTICLE_FLOW } from '../testing/testServer.ts';
import { ownsSession } from './workflowShard.ts';
import { WsTestClient } from '../testing/wsTestClient.ts';

async function historyOf(stream: MessageStream, sid: string): Promise<string[]> {
  const kinds: string[] = [];
  for await (const chunk of stream.readSession(sid)) kinds.push(...chunk.map((stored) => stored.record.payload?.message.kind ?? 'start'));
  return kinds;
}

describe.skipIf(!clusterConfigured)(clusterSuiteTitle('proxy and workflow roles'), { timeout: 60_000 }, () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(() => deleteTestTopics());
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  async function scope(): Promise<FluvioTestScope> {
    const made = new FluvioTestScope();
    cleanups.push(() => made.cleanup());
    return made;
  }
  async function runProcess(made: FluvioTestScope, role: 'proxy' | 'workflow', shard?: { index: number; count: number }, partitions = 1) {
    const stream = await made.open({ shard, partitions });
    cleanups.push(() => stream.close());
    const server = await start({ flowPath: ARTICLE_FLOW, port: 0, role, stream, shard });
    cleanups.push(() => server.close());
    return { stream, server };
  }

  it('runs a conversation through a proxy and a workflow that share only the topic', async () => {
    const made = await scope();
    await runProcess(made, 'workflow');
    const proxy = await runProcess(made, 'proxy');
    const client = await WsTestClient.connect(proxy.server.url);
    expect(await client.take(2, 10_000)).toMatchObject([{ kind: 'BotText' }, { kind: 'ChoiceRequest', groupId: 'lang' }]);
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'other', content: 'Other' });
    expect(await client.next(10_000)).toMatchObject({ kind: 'StartChatSession' });
    client.send({ kind: 'UserText', sessionId: 'langPreference', content: 'Elixir' });
    expect(await client.take(2, 10_000)).toMatchObject([{ kind: 'EndChatSession' }, { kind: 'ChoiceRequest', groupId: 'others' }]);
    await client.close();

    // a reconnect through the proxy replays the history from its cache
    const again = await WsTestClient.connect(proxy.server.url, { sid: client.sid });
    expect((await again.take(7, 10_000)).map((f) => f.kind)).toEqual(['BotText', 'ChoiceRequest', 'ChoiceResponse', 'StartChatSession', 'UserText', 'EndChatSession', 'ChoiceRequest']);
    await again.close();
    expect(await historyOf(proxy.stream, client.sid!)).toEqual(['start', 'BotText', 'ChoiceRequest', 'ChoiceResponse', 'StartChatSession', 'UserText', 'EndChatSession', 'ChoiceRequest']);
  });

  it.each([1, 4])('splits sessions between two sharded workflow processes, topic of %i partition(s): each turn answered once', async (partitions) => {
    const made = await scope();
    const workflows = [await runProcess(made, 'workflow', { index: 0, count: 2 }, partitions), await runProcess(made, 'workflow', { index: 1, count: 2 }, partitions)];
    expect(workflows.map((w) => (w.stream as { shardedByPartition?: boolean }).shardedByPartition)).toEqual([partitions > 1, partitions > 1]);
    const proxy = await runProcess(made, 'proxy', undefined, partitions);
    const clients = await Promise.all(Array.from({ length: 12 }, () => WsTestClient.connect(proxy.server.url)));
    await Promise.all(
      clients.map(async (client) => {
        expect(await client.take(2, 10_000)).toMatchObject([{ kind: 'BotText' }, { kind: 'ChoiceRequest', groupId: 'lang' }]);
        client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
        expect(await client.next(10_000)).toMatchObject({ kind: 'ChoiceRequest', groupId: 'others' });
      }),
    );
    const owners = new Set<number>();
    for (const client of clients) {
      // had both workflows answered a session, its history would hold its greeting twice
      expect(await historyOf(proxy.stream, client.sid!)).toEqual(['start', 'BotText', 'ChoiceRequest', 'ChoiceResponse', 'ChoiceRequest']);
      owners.add(partitions > 1 ? (workflows[0].stream.hasSession(client.sid!) ? 0 : 1) : ownsSession({ index: 0, count: 2 }, client.sid!) ? 0 : 1);
      await client.close();
    }
    expect(owners.size).toBe(2);
  });

  it('a workflow started later answers the turns appended while none was running', async () => {
    const made = await scope();
    const proxy = await runProcess(made, 'proxy');
    const waiting = await WsTestClient.connect(proxy.server.url);
    await expect(waiting.next(500)).rejects.toThrow();
    await runProcess(made, 'workflow');
    expect(await waiting.take(2, 10_000)).toMatchObject([{ kind: 'BotText' }, { kind: 'ChoiceRequest', groupId: 'lang' }]);
    await expect(waiting.next(500)).rejects.toThrow();
    await waiting.close();
  });
});
