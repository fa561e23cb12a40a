import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedLog } from '../stream/EmbeddedLog.ts';
import type { MessageStream } from '../stream/messageStream.ts';
import { collectingLogger, makeDataDir, startTestServer, type TestServer } from '../testing/testServer.ts';
import { WsTestClient } from '../testing/wsTestClient.ts';

/** The real embedded log, with appends that fail while `failing` is set (the one fault injector: at the stream boundary). */
function failOnDemand(inner: MessageStream): MessageStream & { failing: boolean } {
  const wrapper = {
    failing: false,
    append: (records: Parameters<MessageStream['append']>[0]) => (wrapper.failing ? Promise.reject(new Error('disk on fire')) : inner.append(records)),
    hasSession: (sid: string) => inner.hasSession(sid),
    readSession: (sid: string, options?: { chunkSize?: number }) => inner.readSession(sid, options),
    read: (offset: number, limit: number) => inner.read(offset, limit),
    endOffset: () => inner.endOffset(),
    subscribe: (listener: Parameters<MessageStream['subscribe']>[0]) => inner.subscribe(listener),
    sessions: () => inner.sessions(),
    close: () => inner.close(),
  };
  return wrapper;
}

describe('a failing stream', () => {
  let t: TestServer | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await t?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers stream-unavailable, records nothing, stays up, and goes on once the stream is back', async () => {
    dir = await makeDataDir();
    const log = await openEmbeddedLog({ dir, logger: collectingLogger() });
    const stream = failOnDemand(log);
    const logger = collectingLogger();
    t = await startTestServer({ stream, logger });

    const client = await WsTestClient.connect(t.url);
    await client.take(2);
    const before = log.endOffset();
    stream.failing = true;
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    expect(await client.next()).toMatchObject({ kind: 'Error', code: 'stream-unavailable' });
    expect(log.endOffset()).toBe(before);
    expect(logger.lines.some((line) => line.includes('disk on fire'))).toBe(true);

    // a new session is greeted (nothing is recorded before its first answer), and its answer is refused the same way
    const newcomer = await WsTestClient.connect(t.url);
    expect((await newcomer.take(2)).map((f) => f.kind)).toEqual(['BotText', 'ChoiceRequest']);
    newcomer.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    expect(await newcomer.next()).toMatchObject({ kind: 'Error', code: 'stream-unavailable' });
    expect(log.endOffset()).toBe(before);
    await newcomer.close();

    stream.failing = false;
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    expect(await client.next()).toMatchObject({ kind: 'ChoiceRequest', groupId: 'others' });
    await client.close();
    await t.stop();
    t = undefined;
    await log.close();
  });
});
