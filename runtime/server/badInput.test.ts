import { readdirSync } from 'node:fs';
import type { Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger, startTestServer, type TestServer } from '../testing/testServer.ts';
import { WsTestClient } from '../testing/wsTestClient.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('bad input against a real server', () => {
  let t: TestServer;
  const logger = collectingLogger();

  beforeAll(async () => {
    t = await startTestServer({ maxFrameBytes: 1024, logger, allowedOrigins: ['https://shop.example.com'] });
  });
  afterAll(async () => {
    await t.stop();
  });

  async function stillServes(): Promise<void> {
    const client = await WsTestClient.connect(t.url);
    expect(await client.next()).toMatchObject({ kind: 'BotText' });
    await client.close();
  }

  it('answers a non-JSON frame with bad-json and keeps the socket', async () => {
    const client = await WsTestClient.connect(t.url);
    await client.take(2);
    client.send('{not json');
    expect(await client.next()).toMatchObject({ kind: 'Error', code: 'bad-json' });
    client.send('[1,2]');
    expect(await client.next()).toMatchObject({ kind: 'Error', code: 'bad-frame' });
    client.send({ kind: 'ChoiceResponse', groupId: { a: 1 }, itemId: 'rust' });
    expect(await client.next()).toMatchObject({ kind: 'Error', code: 'bad-frame' });
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust' });
    expect(await client.next()).toMatchObject({ kind: 'ChoiceRequest', groupId: 'others' });
    await client.close();
  });

  it('answers an unknown kind with unknown-kind', async () => {
    const client = await WsTestClient.connect(t.url);
    await client.take(2);
    client.send({ kind: 'DropTables' });
    expect(await client.next()).toMatchObject({ kind: 'Error', code: 'unknown-kind' });
    client.send({ noKind: true });
    expect(await client.next()).toMatchObject({ kind: 'Error', code: 'unknown-kind' });
    await client.close();
  });

  it('answers a binary frame with binary-frame', async () => {
    const client = await WsTestClient.connect(t.url);
    await client.take(2);
    client.ws.send(Buffer.from(JSON.stringify({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'go' })), { binary: true });
    expect(await client.next()).toMatchObject({ kind: 'Error', code: 'binary-frame' });
    await client.close();
  });

  it('answers a ChoiceResponse for an unknown group and a UserText with no chat open with not-pending', async () => {
    const client = await WsTestClient.connect(t.url);
    await client.take(2);
    client.send({ kind: 'ChoiceResponse', groupId: 'no-such-group', itemId: 'x' });
    expect(await client.next()).toMatchObject({ kind: 'Error', code: 'not-pending' });
    client.send({ kind: 'UserText', sessionId: 'langPreference', content: 'hello' });
    expect(await client.next()).toMatchObject({ kind: 'Error', code: 'not-pending' });
    await client.close();
  });

  it('closes a socket that sends invalid UTF-8 with 1007, logs it, and keeps serving', async () => {
    const client = await WsTestClient.connect(t.url);
    await client.take(2);
    client.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect(await client.whenClosed()).toBe(1007);
    await stillServes();
    expect(logger.lines.some((line) => /UTF-8/i.test(line))).toBe(true);
  });

  it('closes a socket whose frame is over the size limit with 1009 and keeps serving', async () => {
    const client = await WsTestClient.connect(t.url);
    await client.take(2);
    client.send({ kind: 'UserText', sessionId: 'langPreference', content: 'x'.repeat(2000) });
    expect(await client.whenClosed()).toBe(1009);
    await stillServes();
  });

  it('ignores malformed Cookie headers and starts a new session', async () => {
    for (const cookieHeader of ['other=%E0%A4%A', 'garbage-without-equals', 'Fluvio-Bot-Assistant=%E0%A4%A; ;;=;', 'Fluvio-Bot-Assistant=1; Fluvio-Bot-Assistant=zz', '\u00ff\u00fe=\u00fd']) {
      const client = await WsTestClient.connect(t.url, { cookieHeader });
      expect(client.cookieSet).toBe(true);
      expect(await client.next()).toMatchObject({ kind: 'BotText' });
      await client.close();
    }
  });

  it('finds a known session among malformed and duplicate cookie pairs', async () => {
    const first = await WsTestClient.connect(t.url);
    await first.take(2);
    // A session is recorded with its first answer; until then its cookie names nothing to resume.
    first.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    await first.next();
    await first.close();
    const client = await WsTestClient.connect(t.url, { cookieHeader: `x=%E0%A4%A; bad; Fluvio-Bot-Assistant=nothex; Fluvio-Bot-Assistant=${first.sid}; Fluvio-Bot-Assistant=${'c'.repeat(40)}` });
    expect(client.cookieSet).toBe(false);
    expect((await client.take(4)).map((f) => f.kind)).toEqual(['BotText', 'ChoiceRequest', 'ChoiceResponse', 'ChoiceRequest']);
    await client.close();
  });

  it('refuses a cross-site Origin with 403 and accepts its own origin and allowed ones', async () => {
    const logged = logger.lines.length;
    for (let i = 0; i < 3; i++) await expect(WsTestClient.connect(t.url, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    await expect(WsTestClient.connect(t.url, { origin: 'null' })).rejects.toThrow(/403/);
    // One line per origin (a refused widget retries every few seconds), saying how to allow it.
    const refusals = logger.lines.slice(logged).filter((line) => line.includes('websocket upgrade refused'));
    expect(refusals).toHaveLength(2);
    expect(refusals[0]).toMatch(/a page at origin "https:\/\/evil\.example" may not talk to this server at "127\.0\.0\.1:\d+"; to allow it, start the server with --allowed-origin https:\/\/evil\.example$/);
    const own = await WsTestClient.connect(t.url, { origin: t.url.replace(/\/$/, '') });
    await own.close();
    const allowed = await WsTestClient.connect(t.url, { origin: 'https://shop.example.com' });
    await allowed.close();
    await stillServes();
  });

  it('refuses websocket upgrades on other paths', async () => {
    await expect(WsTestClient.connect(`${t.url}elsewhere`)).rejects.toThrow(/404/);
  });

  it('does not log a visitor whose connection is reset after the upgrade as an upgrade error', async () => {
    const client = await WsTestClient.connect(t.url);
    await client.next();
    const before = t.server.stats().connections;
    (client.ws as unknown as { _socket: Socket })._socket.resetAndDestroy(); // RST: the server reads ECONNRESET
    const deadline = Date.now() + 5_000;
    while (t.server.stats().connections >= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(t.server.stats().connections).toBeLessThan(before);
    expect(logger.lines.filter((line) => line.includes('socket error'))).toEqual([]);
    await stillServes();
  });

  it('cleans up after 2,000 connections dropped abruptly', { timeout: 120_000 }, async () => {
    const openFds = () => readdirSync('/proc/self/fd').length;
    gc();
    const baseFds = openFds();
    const baseHeap = process.memoryUsage().heapUsed;

    const sockets: WebSocket[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const opened = await Promise.all(
        Array.from({ length: 100 }, () => WsTestClient.connect(t.url).then(async (c) => (await c.next(), c.ws))),
      );
      sockets.push(...opened);
    }
    expect(t.server.stats().connections).toBeGreaterThanOrEqual(2000);
    for (const ws of sockets) ws.terminate(); // destroys the TCP socket: no close frame
    sockets.length = 0;

    const deadline = Date.now() + 20_000;
    while (t.server.stats().connections > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(t.server.stats()).toMatchObject({ sessions: 0, connections: 0 });
    await new Promise((r) => setTimeout(r, 200));
    gc();
    expect(openFds()).toBeLessThanOrEqual(baseFds + 10);
    expect(process.memoryUsage().heapUsed - baseHeap).toBeLessThan(30 * 1024 * 1024);
    await stillServes();
  });
});
