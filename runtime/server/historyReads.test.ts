/**
 * Reading history must leave the event loop to the sessions that are talking: a crowd of widgets
 * reconnecting at once (after a restart) replays and rebuilds long sessions, and the log's reads
 * mostly complete at once. Each test counts what is read between two turns of the event loop.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { openEmbeddedLog, type EmbeddedLog } from '../stream/EmbeddedLog.ts';
import type { MessageStream, StreamRecord } from '../stream/messageStream.ts';
import { HistoryReplayer } from './historyReplayer.ts';
import { SessionStates } from './sessionStates.ts';

const SESSIONS = 30;
const RECORDS_PER_SESSION = 160;
const CHUNK = 16;
/** the limit both history readers keep (PARALLEL_REPLAYS, PARALLEL_REBUILDS) */
const AT_ONCE = 4;
const silent = { info() {}, warn() {} };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A log holding SESSIONS sessions of RECORDS_PER_SESSION bot messages each, interleaved. */
async function logWithLongSessions(): Promise<{ log: EmbeddedLog; sids: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'history-reads-'));
  const log = await openEmbeddedLog({ dir, logger: silent });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => log.close());
  const sids = Array.from({ length: SESSIONS }, (_, i) => `session-${i}`);
  for (let n = 0; n < RECORDS_PER_SESSION; n++) {
    const batch: StreamRecord[] = sids.map((sid) => ({ sid, payload: { kind: 'Request', message: { kind: 'BotText', content: `message ${n}` } }, timestamp: '2021-01-05T17:58:46.511' }));
    await log.append(batch);
  }
  return { log, sids };
}

/** Runs `work` and returns the most that `count()` grew during one turn of the event loop. */
async function mostPerLoopTurn(count: () => number, work: Promise<unknown>): Promise<number> {
  let done = false;
  void work.finally(() => (done = true));
  let most = 0;
  let before = count();
  while (!done) {
    await new Promise((resolve) => setImmediate(resolve));
    const now = count();
    most = Math.max(most, now - before);
    before = now;
  }
  await work;
  return most;
}

/** `count` real server-side sockets, each with a client connected to it. */
async function socketPairs(count: number): Promise<{ ws: WebSocket; tcp: Duplex; received: () => number }[]> {
  const wss = new WebSocketServer({ noServer: true });
  const server: Server = createServer();
  const accepted: { ws: WebSocket; tcp: Duplex }[] = [];
  server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => accepted.push({ ws, tcp: socket })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const clients: { ws: WebSocket; frames: number }[] = [];
  cleanups.push(async () => {
    for (const client of clients) client.ws.terminate();
    await new Promise((resolve) => server.close(resolve));
  });
  for (let i = 0; i < count; i++) {
    const client = { ws: new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`), frames: 0 };
    client.ws.on('message', () => (client.frames += 1));
    clients.push(client);
    await new Promise((resolve) => client.ws.once('open', resolve));
  }
  while (accepted.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
  return accepted.map((pair, i) => ({ ...pair, received: () => clients[i].frames }));
}

describe('history reads and the sessions that are talking', () => {
  it('replays send at most a few chunks in a turn of the event loop, however many reconnect at once', async () => {
    const { log, sids } = await logWithLongSessions();
    const pairs = await socketPairs(SESSIONS);
    let sent = 0;
    for (const { ws } of pairs) {
      const send = ws.send.bind(ws);
      ws.send = ((...args: Parameters<WebSocket['send']>) => {
        sent += 1;
        return send(...args);
      }) as WebSocket['send'];
    }
    const replayer = new HistoryReplayer(log, CHUNK);
    const replays = Promise.all(pairs.map(({ ws, tcp }, i) => replayer.send(ws, tcp, sids[i], Number.MAX_SAFE_INTEGER)));
    const most = await mostPerLoopTurn(() => sent, replays);
    expect(sent).toBe(SESSIONS * RECORDS_PER_SESSION);
    // A turn of the loop may see the end of one round of chunks and the start of the next.
    expect(most).toBeLessThanOrEqual(2 * AT_ONCE * CHUNK);
    await Promise.all(pairs.map(async ({ received }) => {
      while (received() < RECORDS_PER_SESSION) await new Promise((resolve) => setTimeout(resolve, 5));
    }));
  });

  it('rebuilding many sessions at once folds at most a few chunks in a turn of the event loop', async () => {
    const { log, sids } = await logWithLongSessions();
    let chunks = 0;
    const counted: MessageStream = Object.assign(Object.create(log) as EmbeddedLog, {
      async *readSession(sid: string, options?: { chunkSize?: number }) {
        for await (const chunk of log.readSession(sid, options)) {
          chunks += 1;
          yield chunk;
        }
      },
    });
    const states = new SessionStates({ stream: counted, chunkSize: CHUNK });
    cleanups.push(() => states.close());
    const loads = Promise.all(sids.map((sid) => states.load(sid)));
    const most = await mostPerLoopTurn(() => chunks, loads);
    expect(chunks).toBe(SESSIONS * (RECORDS_PER_SESSION / CHUNK));
    expect(most).toBeLessThanOrEqual(2 * AT_ONCE);
    expect((await loads).every((state) => state.lastOffset >= 0)).toBe(true);
  });
});
