/**
 * The "abuse" scenario of `npm run bench:runtime` (issue 10): each attack runs against a fresh
 * `serve` process with its default limits while 50 normal visitors answer about once a second,
 * and the scenario prints the server's RSS and the normal visitors' p99 during the attack.
 * The attacker comes through a (pretend) trusted proxy, `X-Forwarded-For: 198.51.100.66`, so the
 * per-address limits tell it from the normal visitors on 127.0.0.1.
 *
 * - replay bomb: a session of ~600,000 records, then 12 upgrades with its cookie that never read
 * - frame flood: one socket sends 300,000 valid answers as fast as it can
 * - session flood: one address opens sessions as fast as it can for 10 s, with the default limits
 *   and with the address limits off; then the server restarts on that data and its RSS is compared
 *   with an empty server's
 * Shutdown time (SIGTERM to exit) is measured after each attack; a baseline run without attack
 * gives the visitors' p99 to compare with.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect as tcpConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { spawnServe, whenReady, type ServeProcess } from '../runtime/testing/serveProcess.ts';
import { SESSION_COOKIE } from '../runtime/server/sessionCookie.ts';
import { openEmbeddedLog } from '../runtime/stream/EmbeddedLog.ts';
import type { ChoiceRequest } from '../runtime/flow/types.ts';
import type { StreamRecord } from '../runtime/stream/messageStream.ts';
import { LoadGroup } from './LoadGroup.ts';

const ATTACKER = '198.51.100.66';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

export interface AbuseContext {
  flow: string;
  quick: boolean;
  processUsage(pid: number): { rss: number; cpu: number };
  report(title: string, lines: string[]): void;
}

export interface AbuseFigure {
  name: string;
  value: number;
  unit: string;
  target: string;
  pass: (value: number) => boolean;
}

interface Serve {
  proc: ServeProcess;
  url: string;
  dataDir: string;
}

async function serve(ctx: AbuseContext, dataDir: string, extra: string[] = []): Promise<Serve> {
  const proc = spawnServe([ctx.flow, '--port', '0', '--data-dir', dataDir, '--trust-proxy', ...extra]);
  return { proc, url: await whenReady(proc, 120_000), dataDir };
}

/** SIGTERM and time until the process exits (ms). */
async function shutdown(server: Serve): Promise<number> {
  const t0 = performance.now();
  server.proc.child.kill('SIGTERM');
  await server.proc.exited;
  return performance.now() - t0;
}

/** Run `attack` while 50 paced visitors talk; returns their p99 (ms) and the server's peak RSS (bytes). */
async function during(ctx: AbuseContext, server: Serve, attack: () => Promise<void>): Promise<{ p99: number; peakRss: number; turns: number }> {
  const group = await LoadGroup.open(server.url, 50, 'paced', 1);
  group.start();
  await sleep(1500);
  await group.reset();
  let peakRss = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peakRss = Math.max(peakRss, ctx.processUsage(server.proc.child.pid!).rss);
      await sleep(100);
    }
  })();
  await attack();
  sampling = false;
  await sampler;
  const result = await group.stop();
  await group.close();
  return { p99: result.latencies.percentile(0.99), peakRss, turns: result.latencies.count };
}

function upgradeRequest(port: string, headers: string): string {
  return `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n${headers}\r\n`;
}

async function replayBomb(ctx: AbuseContext): Promise<AbuseFigure[]> {
  const records = ctx.quick ? 60_000 : 600_000;
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-abuse-'));
  const sid = randomBytes(20).toString('hex');
  const log = await openEmbeddedLog({ dir: dataDir, logger: { info() {}, warn: console.warn } });
  const ts = '2026-11-30T12:00:00.000';
  const question: ChoiceRequest = { kind: 'ChoiceRequest', groupId: 'lang', question: 'What programming language do you use in your hobby projects?', choices: [{ itemId: 'rust', content: 'Rust' }, { itemId: 'go', content: 'Go' }, { itemId: 'other', content: 'Other' }] };
  await log.append([{ sid, timestamp: ts }]);
  for (let written = 1; written < records; ) {
    const batch: StreamRecord[] = [];
    for (let i = 0; i < 10_000 && written < records; i++, written++) {
      batch.push(written % 2 === 1 ? { sid, payload: { kind: 'Request', message: question }, timestamp: ts } : { sid, payload: { kind: 'Response', message: { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' } }, timestamp: ts });
    }
    await log.append(batch);
  }
  await log.close();

  const server = await serve(ctx, dataDir);
  const idleRss = ctx.processUsage(server.proc.child.pid!).rss;
  const port = new URL(server.url).port;
  const sockets: Socket[] = [];
  const m = await during(ctx, server, async () => {
    for (let i = 0; i < 12; i++) {
      const socket = tcpConnect(Number(port), '127.0.0.1');
      socket.on('error', () => {});
      socket.write(upgradeRequest(port, `Cookie: ${SESSION_COOKIE}=${sid}\r\nX-Forwarded-For: ${ATTACKER}\r\n`));
      socket.pause(); // never reads
      sockets.push(socket);
    }
    await sleep(15_000); // past the 10 s a socket may stay above its unread bound
  });
  for (const socket of sockets) socket.destroy();
  const stopMs = await shutdown(server);
  await rm(dataDir, { recursive: true, force: true });
  ctx.report(`abuse: replay bomb, a session of ${records} records and 12 upgrades with its cookie that never read`, [
    `server RSS: ${mib(idleRss)} MiB before, peak ${mib(m.peakRss)} MiB during (target < 300 MiB)`,
    `50 paced visitors meanwhile: p99 ${m.p99.toFixed(2)} ms over ${m.turns} turns; shutdown ${stopMs.toFixed(0)} ms`,
  ]);
  return [
    { name: 'replay bomb: peak RSS', value: m.peakRss / 1024 / 1024, unit: 'MiB', target: '< 300 MiB', pass: (v) => v < 300 },
    { name: 'replay bomb: visitors p99', value: m.p99, unit: 'ms', target: '(shown)', pass: () => true },
  ];
}

async function frameFlood(ctx: AbuseContext): Promise<AbuseFigure[]> {
  const frames = ctx.quick ? 30_000 : 300_000;
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-abuse-'));
  const server = await serve(ctx, dataDir);
  let sid = '';
  let closeCode = 0;
  const m = await during(ctx, server, async () => {
    const ws = new WebSocket(server.url.replace(/^http/, 'ws'), { headers: { 'X-Forwarded-For': ATTACKER }, perMessageDeflate: false });
    ws.on('upgrade', (res) => (sid = /=([0-9a-f]{40})/.exec(res.headers['set-cookie']?.[0] ?? '')?.[1] ?? ''));
    const closed = new Promise<void>((resolve) => ws.once('close', (code) => ((closeCode = code), resolve())));
    await new Promise((resolve) => ws.once('message', resolve)); // the greeting
    const rust = JSON.stringify({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    const yes = JSON.stringify({ kind: 'ChoiceResponse', groupId: 'others', itemId: 'yes', content: 'Yes' });
    for (let i = 0; i < frames && ws.readyState === WebSocket.OPEN; i++) ws.send(i % 2 === 0 ? rust : yes);
    await Promise.race([closed, sleep(10_000)]);
    ws.terminate();
    await sleep(2000);
  });
  const stopMs = await shutdown(server);
  const log = await openEmbeddedLog({ dir: dataDir, readOnly: true, logger: { info() {}, warn() {} } });
  const written = [...log.sessions()].find((s) => s.sid === sid)?.count ?? 0;
  await log.close();
  await rm(dataDir, { recursive: true, force: true });
  ctx.report(`abuse: frame flood, one socket sending ${frames} valid answers`, [
    `closed by the server with ${closeCode}; records written for it: ${written}; server peak RSS ${mib(m.peakRss)} MiB`,
    `50 paced visitors meanwhile: p99 ${m.p99.toFixed(2)} ms over ${m.turns} turns; shutdown ${stopMs.toFixed(0)} ms`,
  ]);
  return [
    { name: 'frame flood: records written', value: written, unit: '', target: '< 200', pass: (v) => v < 200 },
    { name: 'frame flood: shutdown', value: stopMs, unit: 'ms', target: '< 5,000 ms', pass: (v) => v < 5000 },
    { name: 'frame flood: visitors p99', value: m.p99, unit: 'ms', target: '(shown)', pass: () => true },
  ];
}

async function sessionFlood(ctx: AbuseContext, limited: boolean): Promise<AbuseFigure[]> {
  const seconds = ctx.quick ? 3 : 10;
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-abuse-'));
  const extra = limited ? [] : ['--max-new-sessions-per-minute', '0', '--max-sockets-per-address', '0'];
  const server = await serve(ctx, dataDir, extra);
  const emptyRss = ctx.processUsage(server.proc.child.pid!).rss;
  let accepted = 0;
  let refused = 0;
  const held: WebSocket[] = [];
  const m = await during(ctx, server, async () => {
    const end = performance.now() + seconds * 1000;
    const one = () =>
      new Promise<void>((resolve) => {
        const ws = new WebSocket(server.url.replace(/^http/, 'ws'), { headers: { 'X-Forwarded-For': ATTACKER }, perMessageDeflate: false });
        ws.once('message', () => {
          accepted++;
          // Hold up to 2,000 sockets open like the flood; close the rest at once.
          if (held.length < 2000) held.push(ws);
          else ws.terminate();
          resolve();
        });
        ws.once('unexpected-response', () => (refused++, ws.terminate(), resolve()));
        ws.once('error', () => resolve());
      });
    while (performance.now() < end) await Promise.all(Array.from({ length: 50 }, one));
  });
  for (const ws of held) ws.terminate();
  const stopMs = await shutdown(server);
  const log = await openEmbeddedLog({ dir: dataDir, readOnly: true, logger: { info() {}, warn() {} } });
  const records = log.endOffset();
  await log.close();
  const again = await serve(ctx, dataDir, extra);
  await sleep(1000);
  const restartRss = ctx.processUsage(again.proc.child.pid!).rss;
  await shutdown(again);
  await rm(dataDir, { recursive: true, force: true });
  const label = limited ? 'default limits' : 'address limits off';
  ctx.report(`abuse: session flood from one address for ${seconds} s (${label})`, [
    `${accepted} handshakes accepted, ${refused} refused (429); records in the log after it, the 50 visitors' included: ${records}`,
    `server RSS: empty ${mib(emptyRss)} MiB, peak ${mib(m.peakRss)} MiB, after a restart on that data ${mib(restartRss)} MiB`,
    `50 paced visitors meanwhile: p99 ${m.p99.toFixed(2)} ms over ${m.turns} turns; shutdown ${stopMs.toFixed(0)} ms`,
  ]);
  return [
    { name: `session flood (${label}): RSS after restart - empty`, value: (restartRss - emptyRss) / 1024 / 1024, unit: 'MiB', target: '< 20 MiB', pass: (v) => v < 20 },
    { name: `session flood (${label}): visitors p99`, value: m.p99, unit: 'ms', target: '(shown)', pass: () => true },
  ];
}

/** The same 50 visitors with no attack, for comparison within the run. */
async function baseline(ctx: AbuseContext): Promise<AbuseFigure[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-abuse-'));
  const server = await serve(ctx, dataDir);
  const m = await during(ctx, server, () => sleep(ctx.quick ? 3000 : 10_000));
  const stopMs = await shutdown(server);
  await rm(dataDir, { recursive: true, force: true });
  ctx.report('abuse: baseline, no attack', [`50 paced visitors: p99 ${m.p99.toFixed(2)} ms over ${m.turns} turns; server peak RSS ${mib(m.peakRss)} MiB; shutdown ${stopMs.toFixed(0)} ms`]);
  return [{ name: 'baseline (no attack): visitors p99', value: m.p99, unit: 'ms', target: '(shown)', pass: () => true }];
}

export async function abuse(ctx: AbuseContext): Promise<AbuseFigure[]> {
  return [...(await baseline(ctx)), ...(await replayBomb(ctx)), ...(await frameFlood(ctx)), ...(await sessionFlood(ctx, true)), ...(await sessionFlood(ctx, false))];
}
