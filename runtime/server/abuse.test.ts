/**
 * The runtime under abuse (issue 10), against a real server, real sockets and the real embedded
 * log: a replay bomb, a frame flood, a client that leaves work queued, socket and session floods
 * from one address, and handshakes that never answer. Sizes are bounded so the suite stays fast;
 * `npm run bench:runtime abuse` runs the full-size versions and prints RSS and latency.
 */
import { randomBytes } from 'node:crypto';
import { connect as tcpConnect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamRecord } from '../stream/messageStream.ts';
import { CLOSE_RATE_LIMITED, DEFAULT_LIMITS } from './connectionLimits.ts';
import { SESSION_COOKIE } from './sessionCookie.ts';
import { makeDataDir, startTestServer, type TestServer } from '../testing/testServer.ts';
import { WsTestClient } from '../testing/wsTestClient.ts';

const RUST = { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' };
const YES = { kind: 'ChoiceResponse', groupId: 'others', itemId: 'yes', content: 'Yes' };
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let t: TestServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await t?.stop();
  t = undefined;
});

/** A session of `count` bot messages (about 200 bytes each on the socket), appended straight to the stream. */
async function bigSession(server: TestServer, count: number): Promise<string> {
  const sid = randomBytes(20).toString('hex');
  const records: StreamRecord[] = [{ sid, timestamp: '2026-01-01T00:00:00.000' }];
  for (let i = 0; i < count; i++) records.push({ sid, payload: { kind: 'Request', message: { kind: 'BotText', content: `message ${i} ${'x'.repeat(160)}` } }, timestamp: '2026-01-01T00:00:00.000' });
  await server.server.stream.append(records);
  return sid;
}

/** A websocket upgrade with the session's cookie from a client that never reads a byte. */
function silentUpgrade(url: string, sid: string): Socket {
  const { port } = new URL(url);
  const socket = tcpConnect(Number(port), '127.0.0.1');
  socket.on('error', () => {});
  socket.write(
    `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nCookie: ${SESSION_COOKIE}=${sid}\r\n\r\n`,
  );
  socket.pause();
  sockets.push(socket);
  return socket;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

describe('replay backpressure', () => {
  it('holds a bounded number of unread bytes per silent socket, then closes it as too slow', { timeout: 60_000 }, async () => {
    const maxBufferedBytes = 256 * 1024;
    t = await startTestServer({ limits: { maxBufferedBytes, slowSocketMs: 1500 } });
    const sid = await bigSession(t, 60_000); // ~12 MB of frames per full replay
    for (let i = 0; i < 6; i++) silentUpgrade(t.url, sid);
    await until(() => t!.server.stats().connections === 6, 10_000);
    // Sample the unread bytes until the server has closed every socket as too slow.
    let peak = 0;
    const closedAll = await until(() => {
      const stats = t!.server.stats();
      peak = Math.max(peak, stats.bufferedBytes);
      return stats.connections === 0;
    }, 20_000);
    expect(closedAll).toBe(true);
    // Each socket: the bound, plus one replay chunk (256 frames of ~200 bytes) written past it.
    expect(peak).toBeGreaterThan(maxBufferedBytes);
    expect(peak).toBeLessThan(6 * (maxBufferedBytes + 256 * 256));
  });

  it('loses nothing for a reader that stalls for a while and then reads', { timeout: 60_000 }, async () => {
    t = await startTestServer({ limits: { maxBufferedBytes: 64 * 1024, slowSocketMs: 10_000 } });
    const count = 20_000;
    const sid = await bigSession(t, count);
    const client = await WsTestClient.connect(t.url, { sid });
    const tcp = (client.ws as unknown as { _socket: Socket })._socket;
    tcp.pause();
    await sleep(1000);
    expect(t.server.stats().bufferedBytes).toBeLessThan(64 * 1024 + 256 * 256);
    tcp.resume();
    const frames = await client.take(count, 20_000);
    expect(frames[0]).toMatchObject({ kind: 'BotText', content: expect.stringMatching(/^message 0 /) });
    expect(frames[count - 1]).toMatchObject({ kind: 'BotText', content: expect.stringMatching(new RegExp(`^message ${count - 1} `)) });
    await client.close();
  });
});

describe('frame limits', () => {
  it('answers a flood with rate-limited, closes the socket, and records only the burst', async () => {
    t = await startTestServer();
    const client = await WsTestClient.connect(t.url);
    await client.take(2);
    // A person's pace is never limited.
    for (let i = 0; i < 10; i++) {
      client.send(i % 2 === 0 ? RUST : YES);
      expect(await client.next()).toMatchObject({ kind: 'ChoiceRequest' });
    }
    for (let i = 0; i < 200; i++) client.send(i % 2 === 0 ? RUST : YES);
    expect(await client.whenClosed()).toBe(CLOSE_RATE_LIMITED);
    expect(client.frames.some((f) => f.kind === 'Error' && f.code === 'rate-limited')).toBe(true);
    let answers = 0;
    for await (const chunk of t.server.stream.readSession(client.sid!)) for (const s of chunk) if (s.record.payload?.kind === 'Response') answers++;
    // The burst at most (turns still queued when the socket closed are dropped).
    expect(answers).toBeGreaterThanOrEqual(10);
    expect(answers).toBeLessThanOrEqual(10 + DEFAULT_LIMITS.frameBurst);
  });

  it("drops a gone client's queued turns, and shuts down in seconds", { timeout: 60_000 }, async () => {
    t = await startTestServer({ limits: { framesPerSecond: 1e6, frameBurst: 1e6 } });
    const client = await WsTestClient.connect(t.url);
    await client.take(2);
    const sent = 20_000;
    for (let i = 0; i < sent; i++) client.send(i % 2 === 0 ? RUST : YES);
    await client.close();
    await sleep(300);
    const afterClose = t.server.stream.endOffset();
    await sleep(700);
    expect(t.server.stream.endOffset()).toBe(afterClose);
    // Each answer is at least 2 records: far fewer were written than the client queued.
    expect(afterClose).toBeLessThan(sent * 2);
    const started = Date.now();
    await t.stop();
    t = undefined;
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('address limits', () => {
  it('refuses sockets past the per-address limit with 429 and counts closed ones out', async () => {
    t = await startTestServer({ limits: { socketsPerAddress: 3 } });
    const open = await Promise.all([1, 2, 3].map(() => WsTestClient.connect(t!.url)));
    await expect(WsTestClient.connect(t.url)).rejects.toThrow(/429/);
    await open[0].close();
    await until(() => t!.server.stats().connections === 2, 2000);
    const again = await WsTestClient.connect(t.url);
    await Promise.all([again, ...open.slice(1)].map((c) => c.close()));
  });

  it('limits new sessions per address per minute with Retry-After, but lets known sessions reconnect', async () => {
    t = await startTestServer({ limits: { newSessionsPerMinute: 4 } });
    const first = await WsTestClient.connect(t.url);
    await first.take(2);
    first.send(RUST);
    await first.next();
    await first.close();
    for (let i = 0; i < 3; i++) await (await WsTestClient.connect(t.url)).close();
    await expect(WsTestClient.connect(t.url)).rejects.toThrow(/429 \(Retry-After: \d+\)/);
    // Without --trust-proxy a forged X-Forwarded-For changes nothing.
    await expect(WsTestClient.connect(t.url, { headers: { 'X-Forwarded-For': '203.0.113.9' } })).rejects.toThrow(/429/);
    const back = await WsTestClient.connect(t.url, { sid: first.sid });
    expect(back.cookieSet).toBe(false);
    expect(await back.take(4)).toHaveLength(4);
    await back.close();
  });

  it('behind a trusted proxy, counts the address the proxy reports', async () => {
    t = await startTestServer({ limits: { newSessionsPerMinute: 2, trustProxy: true } });
    const from = (address: string) => WsTestClient.connect(t!.url, { headers: { 'X-Forwarded-For': `198.51.100.1, ${address}` } });
    for (let i = 0; i < 2; i++) await (await from('203.0.113.1')).close();
    await expect(from('203.0.113.1')).rejects.toThrow(/429/);
    await (await from('203.0.113.2')).close();
  });
});

describe('sessions that cost nothing', () => {
  it('records nothing for handshakes that never answer, and a restart holds none of them', { timeout: 60_000 }, async () => {
    const dataDir = await makeDataDir();
    t = await startTestServer({}, dataDir);
    for (let round = 0; round < 5; round++) {
      const clients = await Promise.all(Array.from({ length: 60 }, () => WsTestClient.connect(t!.url)));
      await Promise.all(clients.map((c) => c.take(2)));
      await Promise.all(clients.map((c) => c.close()));
    }
    expect(t.server.stream.endOffset()).toBe(0);
    await until(() => t!.server.stats().sessions === 0, 2000);
    await t.stop();
    t = await startTestServer({}, dataDir);
    expect([...t.server.stream.sessions()]).toEqual([]);
    expect(t.server.stats()).toMatchObject({ sessions: 0, cachedSessions: 0 });
  });

  it('evicts an idle session from memory and brings it back from the log when it reconnects', { timeout: 30_000 }, async () => {
    t = await startTestServer({ sessionIdleMs: 200 });
    const client = await WsTestClient.connect(t.url);
    await client.take(2);
    client.send(RUST);
    await client.next();
    await client.close();
    expect(await until(() => t!.server.stats().cachedSessions === 0, 5000)).toBe(true);
    const back = await WsTestClient.connect(t.url, { sid: client.sid });
    expect((await back.take(4)).map((f) => f.kind)).toEqual(['BotText', 'ChoiceRequest', 'ChoiceResponse', 'ChoiceRequest']);
    back.send(YES);
    expect(await back.next()).toMatchObject({ kind: 'ChoiceRequest', groupId: 'lang' });
    await back.close();
  });
});
