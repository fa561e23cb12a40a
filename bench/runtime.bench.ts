/**
 * `npm run bench:runtime [-- --quick] [-- scenario...]`: load-tests the bot runtime with real `ws`
 * clients walking the article's flow (each with its own cookie; choices and the chat path), against
 * the real CLI in a child process so the server's RSS and CPU are measured apart from the load.
 *
 * Scenarios: closed, paced, memory, replay, restart, durability (default: all). Prints figures;
 * asserts nothing (targets are printed next to them).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { answerFor } from '../runtime/server/answerFor.ts';
import { spawnServe, whenReady, type ServeProcess } from '../runtime/server/serveProcess.ts';
import { WsTestClient, type Frame } from '../runtime/server/wsTestClient.ts';
import { openEmbeddedLog } from '../runtime/stream/EmbeddedLog.ts';
import type { StreamRecord } from '../runtime/stream/MessageStream.ts';

const FLOW = fileURLToPath(new URL('../state-machines/bot-assistant.json', import.meta.url));
const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const SCENARIOS = ['closed', 'paced', 'memory', 'replay', 'restart', 'durability'] as const;
type Scenario = (typeof SCENARIOS)[number];
const chosen = argv.filter((a) => !a.startsWith('--')) as Scenario[];
for (const name of chosen) if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario "${name}": one of ${SCENARIOS.join(', ')}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const scale = (full: number, quick: number) => (QUICK ? quick : full);

// ---- the server under test -------------------------------------------------------------------

interface Server {
  proc: ServeProcess;
  url: string;
  dataDir: string;
}

async function startServer(dataDir?: string): Promise<Server> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'bench-runtime-')));
  const proc = spawnServe([FLOW, '--port', '0', '--data-dir', dir]);
  return { proc, url: await whenReady(proc, 60_000), dataDir: dir };
}

async function stopServer(server: Server, removeData = true): Promise<void> {
  server.proc.child.kill('SIGTERM');
  await server.proc.exited;
  if (removeData) await rm(server.dataDir, { recursive: true, force: true });
}

/** RSS (bytes) and CPU time (s) of a process, from /proc. */
function processUsage(pid: number): { rss: number; cpu: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpu = (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in CLK_TCK (100/s)
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
  return { rss, cpu };
}

// ---- simulated visitors -----------------------------------------------------------------------

/** "Any other?" is always yes (the walk never ends); languages are random, so the chat path runs too. */
const pick = (count: number, frame: Frame) => (frame.groupId === 'others' ? 0 : Math.floor(Math.random() * count));

class Visitor {
  client!: WsTestClient;
  turns = 0;
  /** frames received + answers sent: what a replay of this session holds */
  historyLength = 0;
  errors = 0;
  private question: Frame | undefined;
  private sentAt = 0;
  private ready!: () => void;
  readonly firstQuestion = new Promise<void>((resolve) => (this.ready = resolve));

  constructor(
    private readonly latencies: number[],
    private readonly mode: 'closed' | 'manual',
  ) {}

  async connect(url: string, sid?: string): Promise<void> {
    this.client = await WsTestClient.connect(url, { sid });
    this.client.onFrame((frame) => this.onFrame(frame));
  }

  private onFrame(frame: Frame): void {
    if (frame.kind === 'Error') {
      this.errors++;
      return;
    }
    this.historyLength++;
    if (!answerFor(frame, pick)) return;
    if (this.sentAt) {
      this.latencies.push(performance.now() - this.sentAt);
      this.turns++;
      this.sentAt = 0;
    }
    this.question = frame;
    this.ready();
    if (this.mode === 'closed' && running) this.answer();
  }

  /** Answer the question on screen (if any). */
  answer(): void {
    const question = this.question;
    if (!question || this.client.ws.readyState !== 1) return;
    this.question = undefined;
    this.sentAt = performance.now();
    this.historyLength++;
    this.client.send(answerFor(question, pick));
  }

  close(): void {
    this.client.ws.terminate();
  }
}

let running = false;

async function openVisitors(url: string, count: number, latencies: number[], mode: 'closed' | 'manual'): Promise<Visitor[]> {
  const visitors: Visitor[] = [];
  for (let i = 0; i < count; i += 100) {
    const batch = Array.from({ length: Math.min(100, count - i) }, () => new Visitor(latencies, mode));
    await Promise.all(batch.map((v) => v.connect(url)));
    await Promise.all(batch.map((v) => v.firstQuestion));
    visitors.push(...batch);
  }
  return visitors;
}

function percentiles(values: number[]): string {
  if (values.length === 0) return 'no samples';
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(2);
  return `p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms, max ${sorted[sorted.length - 1].toFixed(2)} ms (${values.length} turns)`;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function report(name: string, lines: string[]): void {
  console.log(`\n== ${name}${QUICK ? ' (quick)' : ''}`);
  for (const line of lines) console.log(`   ${line}`);
}

// ---- scenarios ----------------------------------------------------------------------------------

async function closedLoop(): Promise<void> {
  const sessions = scale(1000, 200);
  const seconds = scale(10, 3);
  const server = await startServer();
  const latencies: number[] = [];
  const visitors = await openVisitors(server.url, sessions, latencies, 'closed');
  const before = processUsage(server.proc.child.pid!);
  const t0 = performance.now();
  running = true;
  for (const v of visitors) v.answer();
  await sleep(seconds * 1000);
  running = false;
  const elapsed = (performance.now() - t0) / 1000;
  const after = processUsage(server.proc.child.pid!);
  const turns = latencies.length;
  const errors = visitors.reduce((n, v) => n + v.errors, 0);
  report(`closed loop: ${sessions} sessions for ${seconds} s`, [
    `${Math.round(turns / elapsed)} turns/s (target >= 20,000 at 1,000 sessions), ${errors} error frames`,
    percentiles(latencies),
    `server RSS ${mib(after.rss)}, server CPU ${((100 * (after.cpu - before.cpu)) / elapsed).toFixed(0)}% of one core`,
  ]);
  for (const v of visitors) v.close();
  await stopServer(server);
}

async function paced(): Promise<void> {
  const sessions = scale(1000, 200);
  const seconds = scale(15, 4);
  const server = await startServer();
  const latencies: number[] = [];
  const visitors = await openVisitors(server.url, sessions, latencies, 'manual');
  const before = processUsage(server.proc.child.pid!);
  const t0 = performance.now();
  // each visitor answers about once a second, spread evenly over the second
  const timers = visitors.map((v, i) =>
    setTimeout(() => {
      v.answer();
      timers[i] = setInterval(() => v.answer(), 1000);
    }, (1000 * i) / sessions),
  );
  await sleep(seconds * 1000);
  for (const timer of timers) clearInterval(timer);
  const elapsed = (performance.now() - t0) / 1000;
  const after = processUsage(server.proc.child.pid!);
  report(`paced: ${sessions} sessions answering ~1/s for ${seconds} s`, [
    `${percentiles(latencies)} (target p99 < 5 ms)`,
    `server RSS ${mib(after.rss)}, server CPU ${((100 * (after.cpu - before.cpu)) / elapsed).toFixed(0)}% of one core`,
  ]);
  for (const v of visitors) v.close();
  await stopServer(server);
}

async function memory(): Promise<void> {
  const sessions = scale(5000, 500);
  const target = scale(1_000_000, 20_000);
  const server = await startServer();
  const latencies: number[] = [];
  const visitors = await openVisitors(server.url, sessions, latencies, 'closed');
  const samples: string[] = [];
  const t0 = performance.now();
  running = true;
  for (const v of visitors) v.answer();
  let next = target / 10;
  while (latencies.length < target) {
    await sleep(100);
    if (latencies.length >= next) {
      samples.push(`${latencies.length} turns: RSS ${mib(processUsage(server.proc.child.pid!).rss)}`);
      next += target / 10;
    }
    if (latencies.length > 200_000) latencies.splice(0, 100_000); // keep the generator's own memory flat
  }
  running = false;
  const elapsed = (performance.now() - t0) / 1000;
  report(`memory: ${target} turns across ${sessions} sessions`, [...samples, `${Math.round(target / elapsed)} turns/s overall (target: RSS < 250 MiB and flat)`]);
  for (const v of visitors) v.close();
  await stopServer(server);
}

async function replay(): Promise<void> {
  const turnsPerSession = scale(1000, 200);
  const reconnecting = scale(100, 20);
  const others = scale(500, 100);
  const server = await startServer();

  // build the long sessions, closed loop until each has its turns
  const buildLatencies: number[] = [];
  const long = await openVisitors(server.url, reconnecting, buildLatencies, 'manual');
  await Promise.all(
    long.map(async (v) => {
      while (v.turns < turnsPerSession) {
        v.answer();
        const turns = v.turns;
        while (v.turns === turns) await sleep(0);
      }
    }),
  );
  for (const v of long) v.close();

  const timeReplay = async (v: Visitor): Promise<number> => {
    const t0 = performance.now();
    const client = await WsTestClient.connect(server.url, { sid: v.client.sid });
    let count = 0;
    await new Promise<void>((resolve) =>
      client.onFrame(() => {
        if (++count === v.historyLength) resolve();
      }),
    );
    const ms = performance.now() - t0;
    client.ws.terminate();
    return ms;
  };
  const single = await timeReplay(long[0]);

  // others walk paced at ~1 answer/s while every long session reconnects at once
  const latencies: number[] = [];
  const background = await openVisitors(server.url, others, latencies, 'manual');
  const timers = background.map((v) => setInterval(() => v.answer(), 1000));
  await sleep(1000);
  latencies.length = 0;
  const storm = await Promise.all(long.map(timeReplay));
  await sleep(1000);
  for (const timer of timers) clearInterval(timer);
  report(`replay: sessions of ${turnsPerSession} turns (${long[0].historyLength} frames)`, [
    `one reconnect to its last frame: ${single.toFixed(1)} ms (target < 20 ms)`,
    `${reconnecting} reconnecting at once: slowest ${Math.max(...storm).toFixed(1)} ms, median ${storm.sort((a, b) => a - b)[storm.length >> 1].toFixed(1)} ms`,
    `${others} other sessions meanwhile: ${percentiles(latencies)} (target p99 < 50 ms)`,
  ]);
  for (const v of background) v.close();
  await stopServer(server);
}

async function restart(): Promise<void> {
  const records = scale(1_000_000, 50_000);
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-restart-'));
  const log = await openEmbeddedLog({ dir: dataDir, logger: { info() {}, warn: console.warn } });
  const flowRecords = (sid: string): StreamRecord[] => {
    const ts = '2021-01-05T17:58:46.511';
    const out: StreamRecord[] = [{ sid, timestamp: ts }];
    out.push({ sid, payload: { kind: 'Request', message: { kind: 'BotText', content: "Hi, I'm Bot! Nice to meet you." } }, timestamp: ts });
    for (let i = 0; out.length < 100; i++) {
      out.push({ sid, payload: { kind: 'Request', message: { kind: 'ChoiceRequest', groupId: 'lang', question: 'What programming language do you use in your hobby projects?', choices: [{ itemId: 'rust', content: 'Rust' }, { itemId: 'go', content: 'Go' }, { itemId: 'other', content: 'Other' }] } }, timestamp: ts });
      out.push({ sid, payload: { kind: 'Response', message: { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' } }, timestamp: ts });
      out.push({ sid, payload: { kind: 'Request', message: { kind: 'ChoiceRequest', groupId: 'others', question: 'Any other?', choices: [{ itemId: 'yes', content: 'Yes' }, { itemId: 'no', content: 'No' }] } }, timestamp: ts });
      out.push({ sid, payload: { kind: 'Response', message: { kind: 'ChoiceResponse', groupId: 'others', itemId: 'yes', content: 'Yes' } }, timestamp: ts });
    }
    out.push({ sid, payload: { kind: 'Request', message: { kind: 'ChoiceRequest', groupId: 'lang', question: 'What programming language do you use in your hobby projects?', choices: [{ itemId: 'rust', content: 'Rust' }] } }, timestamp: ts });
    return out;
  };
  let sid = '';
  for (let written = 0, n = 0; written < records; n++) {
    sid = n.toString(16).padStart(40, '0');
    const batch = flowRecords(sid);
    written += batch.length;
    await log.append(batch);
  }
  await log.close();

  const t0 = performance.now();
  const server = await startServer(dataDir);
  const ready = performance.now() - t0;
  const client = await WsTestClient.connect(server.url, { sid });
  const replayed = await client.drain(200);
  const served = performance.now() - t0 - 200;
  client.ws.terminate();
  report(`restart with ${records} records`, [
    `spawn -> ready line: ${ready.toFixed(0)} ms; -> an old session replayed (${replayed.length} frames): ${served.toFixed(0)} ms (target < 3 s)`,
    `server RSS after open: ${mib(processUsage(server.proc.child.pid!).rss)}`,
  ]);
  await stopServer(server);
}

async function durability(): Promise<void> {
  const sessions = scale(1000, 100);
  const server = await startServer();
  const latencies: number[] = [];
  const visitors = await openVisitors(server.url, sessions, latencies, 'closed');
  running = true;
  for (const v of visitors) v.answer();
  await sleep(scale(3000, 1000));
  server.proc.child.kill('SIGKILL');
  await server.proc.exited;
  running = false;
  const t0 = performance.now();
  const again = await startServer(server.dataDir);
  const restartMs = performance.now() - t0;
  const requestKinds = new Set(['BotText', 'ChoiceRequest', 'StartChatSession', 'EndChatSession']);
  let intact = 0;
  let resumed = 0;
  for (let i = 0; i < visitors.length; i += 100) {
    await Promise.all(
      visitors.slice(i, i + 100).map(async (v) => {
        const client = await WsTestClient.connect(again.url, { sid: v.client.sid });
        const replay = (await client.drain(300)).filter((f) => requestKinds.has(f.kind));
        const shown = v.client.frames.filter((f) => requestKinds.has(f.kind));
        if (JSON.stringify(replay.slice(0, shown.length)) === JSON.stringify(shown)) intact++;
        const answer = answerFor(replay.at(-1)!, pick);
        if (answer) {
          client.send(answer);
          const reply = await client.next(5000).catch(() => undefined);
          if (reply && requestKinds.has(reply.kind)) resumed++;
        }
        client.ws.terminate();
      }),
    );
  }
  report(`durability: kill -9 during a ${sessions}-session run after ${latencies.length} turns`, [
    `restart to ready: ${restartMs.toFixed(0)} ms`,
    `${intact}/${sessions} histories hold every message their client saw; ${resumed}/${sessions} resumed at their pending question`,
  ]);
  await stopServer(again);
}

const run: Record<Scenario, () => Promise<void>> = { closed: closedLoop, paced, memory, replay, restart, durability };
console.log(`bench:runtime on ${process.version}; figures are from a shared machine, treat them as noisy`);
for (const name of chosen.length > 0 ? chosen : SCENARIOS) await run[name]();
