/**
 * `npm run bench:runtime [-- options] [scenario...]`: load-tests the bot runtime with real `ws`
 * clients walking the article's flow (each with its own cookie; choices and the chat path), against
 * the real CLI in a child process, so the server's RSS and CPU are measured apart from the load.
 *
 * `closed` runs the frame floor (bench/frameFloor.ts: a ws server answering with the flow's
 * precomputed frames, nothing else), the runtime without durability (bench/volatileServer.ts) and
 * then the runtime, with the same load client, and prints ours ÷ floor and each server's CPU per
 * turn: the ratio, not the absolute turns/s, is the figure; the volatile run says how much of the
 * gap is the durable log.
 * Scenarios: closed, paced, memory, replay, restart, durability, abuse (default: all; see bench/abuse.ts).
 * `npm run bench:runtime -- fluvio [closed|split|restart] ...` runs the Fluvio scenarios instead
 * (bench/fluvioScenarios.ts; needs a cluster).
 * The load scenarios lift the server's per-address limits and frame rate (every generated visitor
 * shares 127.0.0.1 and answers as fast as it can); `abuse` runs with the defaults.
 * Options:
 *   --quick          small sizes, to check the bench itself
 *   --runs N         run each scenario N times and report the median of each figure
 *   --workers N      load-generator processes for closed/paced/memory (default 2)
 *   --profile DIR    run the servers (ours and the floor) under `node --cpu-prof`, profiles written to DIR
 *   --server-node-args "FLAGS"  extra Node/V8 flags for our servers (serve and the volatile one, not the
 *                    floor), to measure a runtime setting side by side: `--server-node-args --max-semi-space-size=64`
 * Prints per scenario turns/s, latency p50/p90/p99/max, server RSS and CPU, generator CPU, then a
 * summary table of target vs measured with PASS/MISS. It asserts nothing: figures from a shared
 * machine are noisy, so the load average is printed with them.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { spawnServe, whenReady, type ServeProcess } from '../runtime/testing/serveProcess.ts';
import { SESSION_COOKIE } from '../runtime/server/sessionCookie.ts';
import { openEmbeddedLog } from '../runtime/stream/EmbeddedLog.ts';
import { nodeLogFileSystem } from '../runtime/stream/logFileSystem.ts';
import { CAN_WRITE_THROUGH, openSegmentWriter } from '../runtime/stream/segmentFiles.ts';
import type { ChoiceRequest } from '../runtime/flow/types.ts';
import type { StreamRecord } from '../runtime/stream/messageStream.ts';
import { abuse } from './abuse.ts';
import { LatencyHistogram } from './LatencyHistogram.ts';
import { LOAD_GENERATOR_LIMITS, LoadGroup, type LoadMode, type LoadResult } from './LoadGroup.ts';
import { answerTo, isRequestFrame, openVisitors, type LoadVisitor } from './LoadVisitor.ts';
import { processUsage } from './processUsage.ts';
import { timeReplay } from './timeReplay.ts';

const FLOW = fileURLToPath(new URL('../state-machines/bot-assistant.json', import.meta.url));
const FLOOR = fileURLToPath(new URL('./frameFloor.ts', import.meta.url));
const VOLATILE = fileURLToPath(new URL('./volatileServer.ts', import.meta.url));
const SCENARIOS = ['closed', 'paced', 'memory', 'replay', 'restart', 'durability', 'abuse'] as const;
type Scenario = (typeof SCENARIOS)[number];

const argv = process.argv.slice(2);
if (argv[0] === 'fluvio') {
  const { runFluvioBench } = await import('./fluvioScenarios.ts');
  await runFluvioBench(argv.slice(1));
  process.exit(0);
}
/** The value after `name` (taken out of argv); `flagsValue`: the value is itself flags, so may start with `--`. */
function option(name: string, flagsValue = false): string | undefined {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const value = argv[at + 1];
  if (value === undefined || (!flagsValue && value.startsWith('--'))) throw new Error(`${name} needs a value`);
  argv.splice(at, 2);
  return value;
}
function count(name: string, fallback: number): number {
  const text = option(name);
  if (text === undefined) return fallback;
  if (!/^[1-9]\d*$/.test(text)) throw new Error(`${name} must be a positive whole number (got "${text}")`);
  return Number(text);
}
const RUNS = count('--runs', 1);
const WORKERS = count('--workers', 2);
const PROFILE_DIR = option('--profile');
const SERVER_NODE_ARGS = option('--server-node-args', true)?.split(/\s+/).filter(Boolean) ?? [];
const QUICK = argv.includes('--quick');
const unknownOption = argv.find((a) => a.startsWith('--') && a !== '--quick');
if (unknownOption) throw new Error(`unknown option ${unknownOption}: use --quick, --runs N, --workers N, --profile DIR, --server-node-args "FLAGS"`);
const chosen = argv.filter((a) => !a.startsWith('--')) as Scenario[];
for (const name of chosen) if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario "${name}": one of ${SCENARIOS.join(', ')}`);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const scale = (full: number, quick: number) => (QUICK ? quick : full);
const mib = (bytes: number) => bytes / 1024 / 1024;
const load = () => loadavg()[0].toFixed(2);

// ---- the server under test -------------------------------------------------------------------

interface Server {
  proc: ServeProcess;
  url: string;
  dataDir: string;
}

/**
 * Node options of a server process: `--server-node-args` for ours, and the profiler (`--profile DIR`)
 * with the profile named after `who` so the three sit side by side.
 */
function serverNodeArgs(who: 'serve' | 'floor' | 'volatile'): string[] {
  const extra = who === 'floor' ? [] : SERVER_NODE_ARGS;
  return PROFILE_DIR ? [...extra, '--cpu-prof', '--cpu-prof-dir', resolve(PROFILE_DIR), '--cpu-prof-name', `${who}-\${pid}.cpuprofile`] : extra;
}

async function startServer(dataDir?: string): Promise<Server> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'bench-runtime-')));
  const proc = spawnServe([FLOW, '--port', '0', '--data-dir', dir, ...LOAD_GENERATOR_LIMITS], serverNodeArgs('serve'));
  return { proc, url: await whenReady(proc, 60_000), dataDir: dir };
}

/** A bench server (the frame floor, the volatile server) in a child process, like the real server; ready once it prints its URL. */
async function startBenchServer(script: string, args: string[], who: 'floor' | 'volatile', dataDir = ''): Promise<Server> {
  const child = spawn(process.execPath, [...serverNodeArgs(who), '--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const proc: ServeProcess = { child, stdout: '', stderr: '', exited: new Promise((r) => child.once('exit', r)) };
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      proc.stdout += chunk;
      const match = /listening at (http:\/\/\S+)/.exec(proc.stdout);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`${who} server exited ${code}`)));
  });
  return { proc, url, dataDir };
}

/** The frame floor (bench/frameFloor.ts). */
const startFloor = () => startBenchServer(FLOOR, [FLOW], 'floor');

/** Our server with the same options as `serve` over a stream that keeps nothing (bench/volatileServer.ts). */
async function startVolatile(): Promise<Server> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-volatile-')); // publishing keeps its versions there
  return startBenchServer(VOLATILE, [FLOW, '--port', '0', '--data-dir', dir, ...LOAD_GENERATOR_LIMITS], 'volatile', dir);
}

async function stopServer(server: Server, removeData = true): Promise<void> {
  server.proc.child.kill('SIGTERM');
  await server.proc.exited;
  if (removeData && server.dataDir) await rm(server.dataDir, { recursive: true, force: true });
}

// ---- figures ----------------------------------------------------------------------------------

/** One measured figure of a scenario run, with its target. */
interface Figure {
  name: string;
  value: number;
  unit: string;
  target: string;
  pass: (value: number) => boolean;
}

const figure = (name: string, value: number, unit: string, target: string, pass: (value: number) => boolean): Figure => ({ name, value, unit, target, pass });

function latencyLine(latencies: LatencyHistogram): string {
  if (latencies.count === 0) return 'no turns measured';
  const at = (p: number) => latencies.percentile(p).toFixed(2);
  return `latency p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms, max ${latencies.max.toFixed(2)} ms (${latencies.count} turns)`;
}

function report(title: string, lines: string[]): void {
  console.log(`\n== ${title}${QUICK ? ' (quick)' : ''}  [load average ${load()}]`);
  for (const line of lines) console.log(`   ${line}`);
}

/** Measures a load run: the server's and the generator's CPU over the window, and the server's RSS at the end. */
async function measureWindow(server: Server, group: LoadGroup, run: () => Promise<void>): Promise<LoadResult & { seconds: number; serverCpu: number; serverMainCpu: number; serverRss: number }> {
  await group.reset();
  const before = processUsage(server.proc.child.pid!);
  const t0 = performance.now();
  await run();
  const result = await group.stop();
  const seconds = (performance.now() - t0) / 1000;
  const after = processUsage(server.proc.child.pid!);
  return { ...result, seconds, serverCpu: (after.cpu - before.cpu) / seconds, serverMainCpu: (after.mainCpu - before.mainCpu) / seconds, serverRss: after.rss };
}

// ---- scenarios ----------------------------------------------------------------------------------

/** One closed-loop window against a running server: turns/s, latency, server CPU per turn. */
async function closedWindow(server: Server, sessions: number, seconds: number) {
  const group = await LoadGroup.open(server.url, sessions, 'closed', WORKERS);
  group.start();
  await sleep(scale(2000, 500)); // warm-up: JIT, buffers, the first segment's growth
  const m = await measureWindow(server, group, () => sleep(seconds * 1000));
  await group.close();
  const rate = m.turns / m.seconds;
  const cpuPerTurn = (1e6 * m.serverCpu * m.seconds) / m.turns; // µs of server CPU per turn
  const mainPerTurn = (1e6 * m.serverMainCpu * m.seconds) / m.turns;
  const lines = [
    `${Math.round(rate)} turns/s, ${m.errors} error frames`,
    latencyLine(m.latencies),
    `server: RSS ${mib(m.serverRss).toFixed(1)} MiB, CPU ${(100 * m.serverCpu).toFixed(0)}% of one core, ${cpuPerTurn.toFixed(1)} µs per turn (main thread ${mainPerTurn.toFixed(1)}, other threads ${(cpuPerTurn - mainPerTurn).toFixed(1)}); generator CPU ${((100 * m.cpuSeconds) / m.seconds).toFixed(0)}% of one core`,
  ];
  return { ...m, rate, cpuPerTurn, lines };
}

/**
 * The article's flow, closed loop, against the frame floor (bench/frameFloor.ts) and then the
 * runtime, with the same load client: the runtime's figure is its ratio to the floor. The
 * article's own server can't run here (it needs Fluvio), so its p99 is estimated from the floor's:
 * in a closed loop latency goes as 1/throughput, and it ran at 0.34-0.41 of the floor (issue 11).
 */
async function closedLoop(): Promise<Figure[]> {
  const sessions = scale(1000, 200);
  const seconds = scale(10, 3);
  const floorServer = await startFloor();
  const floor = await closedWindow(floorServer, sessions, seconds);
  await stopServer(floorServer);
  report(`frame floor, closed loop: ${sessions} sessions for ${seconds} s (${WORKERS} generator processes)`, floor.lines);
  const volatileServer = await startVolatile();
  const volatile = await closedWindow(volatileServer, sessions, seconds);
  await stopServer(volatileServer);
  report(`runtime without durability (a stream that keeps nothing), closed loop: ${sessions} sessions for ${seconds} s`, [
    ...volatile.lines,
    `volatile ÷ floor: ${(volatile.rate / floor.rate).toFixed(2)}; CPU per turn ${volatile.cpuPerTurn.toFixed(1)} µs vs the floor's ${floor.cpuPerTurn.toFixed(1)} µs`,
  ]);
  const server = await startServer();
  const ours = await closedWindow(server, sessions, seconds);
  await stopServer(server);
  const ratio = ours.rate / floor.rate;
  const p99 = ours.latencies.percentile(0.99);
  const articleP99 = floor.latencies.percentile(0.99) / 0.38;
  report(`runtime, closed loop: ${sessions} sessions for ${seconds} s (${WORKERS} generator processes)`, [
    ...ours.lines,
    `ours ÷ floor: ${ratio.toFixed(2)} (${Math.round(ours.rate)} / ${Math.round(floor.rate)} turns/s); CPU per turn ${ours.cpuPerTurn.toFixed(1)} µs vs the floor's ${floor.cpuPerTurn.toFixed(1)} µs`,
    `the durable log's share: ${(ours.cpuPerTurn - volatile.cpuPerTurn).toFixed(1)} µs per turn (ours − volatile); the rest of a turn: ${(volatile.cpuPerTurn - floor.cpuPerTurn).toFixed(1)} µs (volatile − floor)`,
    `the article's server (needs Fluvio) is not run here; its p99 at 0.38 of the floor would be ~${articleP99.toFixed(2)} ms`,
  ]);
  return [
    figure('ours ÷ floor', ratio, '', '>= 0.80', (v) => v >= 0.8),
    figure('turns/s', ours.rate, '', '(the ratio counts)', () => true),
    figure('floor turns/s', floor.rate, '', '(same run)', () => true),
    figure('volatile ÷ floor', volatile.rate / floor.rate, '', '(no durability)', () => true),
    figure('server CPU per turn', ours.cpuPerTurn, 'µs', '<= 25 µs', (v) => v <= 25),
    figure('p99', p99, 'ms', `<= floor p99 / 0.38`, (v) => v <= articleP99),
    figure('errors', ours.errors, '', '0', (v) => v === 0),
  ];
}

/**
 * What a commit waits for on this disk: a small record written in `dir` as the log writes its
 * commits (write-through, or write + fdatasync where the OS has no O_DSYNC) every `everyMs` until
 * `stop` resolves. A paced turn is answered after one commit, or two when it
 * arrives while one is in flight, so this bounds its latency from below.
 */
async function probeDisk(dir: string, everyMs: number, stop: Promise<void>): Promise<LatencyHistogram> {
  const latencies = new LatencyHistogram();
  const file = await openSegmentWriter(nodeLogFileSystem, join(dir, 'bench-disk-probe'), 'next', CAN_WRITE_THROUGH);
  const record = Buffer.alloc(512, 'x');
  let stopped = false;
  void stop.then(() => (stopped = true));
  for (let position = 0; !stopped; position += record.length) {
    const t0 = performance.now();
    await file.write(record, 0, record.length, position);
    if (!CAN_WRITE_THROUGH) await file.datasync();
    latencies.record(performance.now() - t0);
    await sleep(everyMs);
  }
  await file.close();
  return latencies;
}

/** One paced window against a running server (~1 answer/s a session); with `probe`, the disk's durable writes beside it. */
async function pacedWindow(server: Server, sessions: number, seconds: number, probe: boolean) {
  const group = await LoadGroup.open(server.url, sessions, 'paced' satisfies LoadMode, WORKERS);
  group.start();
  await sleep(2000); // warm-up: every visitor has answered once
  let disk: Promise<LatencyHistogram> | undefined;
  const m = await measureWindow(server, group, async () => {
    const window = sleep(seconds * 1000);
    if (probe) disk = probeDisk(server.dataDir, 20, window);
    await window;
  });
  await group.close();
  const lines = [
    `${Math.round(m.turns / m.seconds)} turns/s, ${m.errors} error frames`,
    latencyLine(m.latencies),
    `server: RSS ${mib(m.serverRss).toFixed(1)} MiB, CPU ${(100 * m.serverCpu).toFixed(0)}% of one core; generator CPU ${((100 * m.cpuSeconds) / m.seconds).toFixed(0)}% of one core`,
  ];
  return { ...m, p99: m.latencies.percentile(0.99), disk: await disk, lines };
}

/**
 * 1,000 sessions answering about once a second, against the frame floor, the runtime without
 * durability and the runtime, with the same load client: the floor's p99 is what this machine and
 * the load client alone give, the volatile server's what the rest of a turn adds.
 */
async function paced(): Promise<Figure[]> {
  const sessions = scale(1000, 200);
  const seconds = scale(15, 4);
  const floorServer = await startFloor();
  const floor = await pacedWindow(floorServer, sessions, seconds, false);
  await stopServer(floorServer);
  report(`frame floor, paced: ${sessions} sessions answering ~1/s for ${seconds} s`, floor.lines);
  const volatileServer = await startVolatile();
  const volatile = await pacedWindow(volatileServer, sessions, seconds, false);
  await stopServer(volatileServer);
  report(`runtime without durability, paced: ${sessions} sessions answering ~1/s for ${seconds} s`, volatile.lines);
  const server = await startServer();
  const ours = await pacedWindow(server, sessions, seconds, true);
  await stopServer(server);
  const disk = ours.disk!;
  report(`runtime, paced: ${sessions} sessions answering ~1/s for ${seconds} s`, [
    ...ours.lines,
    `disk meanwhile, a durable write of 512 bytes beside the log every 20 ms: ${latencyLine(disk).replace('latency ', '').replace('turns', 'probes')}`,
    `p99: ours ${ours.p99.toFixed(2)} ms, without durability ${volatile.p99.toFixed(2)} ms, the frame floor ${floor.p99.toFixed(2)} ms`,
  ]);
  return [
    figure('p99', ours.p99, 'ms', '< 5 ms', (v) => v < 5),
    figure('volatile p99', volatile.p99, 'ms', '(no durability)', () => true),
    figure('floor p99', floor.p99, 'ms', '(same run)', () => true),
    figure('disk durable write p99', disk.percentile(0.99), 'ms', '(what one commit waits)', () => true),
    figure('errors', ours.errors, '', '0', (v) => v === 0),
  ];
}

async function memory(): Promise<Figure[]> {
  const sessions = scale(5000, 500);
  const target = scale(1_000_000, 50_000);
  const server = await startServer();
  const group = await LoadGroup.open(server.url, sessions, 'closed', WORKERS);
  const pid = server.proc.child.pid!;
  const samples: { turns: number; rss: number }[] = [{ turns: 0, rss: processUsage(pid).rss }];
  const m = await measureWindow(server, group, async () => {
    group.start();
    let next = target / 10;
    while (group.turnsSoFar < target) {
      await sleep(100);
      if (group.turnsSoFar >= next) {
        samples.push({ turns: group.turnsSoFar, rss: processUsage(pid).rss });
        next += target / 10;
      }
    }
  });
  await group.close();
  await stopServer(server);
  // "flat": what the RSS grew over the last 80% of the turns (the first 20% fill the caches and the heap)
  const early = samples.find((s) => s.turns >= target / 5) ?? samples[1];
  const late = samples[samples.length - 1];
  const peak = Math.max(...samples.map((s) => s.rss));
  report(`memory: ${target} turns across ${sessions} sessions`, [
    `RSS: ${samples.map((s) => `${Math.round(s.turns / 1000)}k ${mib(s.rss).toFixed(0)}`).join(', ')} (MiB)`,
    `${Math.round(m.turns / m.seconds)} turns/s, ${m.errors} error frames; ${latencyLine(m.latencies)}`,
    `server CPU ${(100 * m.serverCpu).toFixed(0)}% of one core; generator CPU ${((100 * m.cpuSeconds) / m.seconds).toFixed(0)}% of one core`,
  ]);
  return [
    figure('peak RSS', mib(peak), 'MiB', '< 200 MiB', (v) => v < 200),
    figure('RSS growth, last 80% of turns', mib(late.rss - early.rss), 'MiB', '< 25 MiB (flat)', (v) => v < 25),
  ];
}

async function replay(): Promise<Figure[]> {
  const turnsPerSession = scale(1000, 200);
  const reconnecting = scale(100, 20);
  const others = scale(500, 100);
  const server = await startServer();

  // the long sessions: each walks closed-loop until it has its turns
  const long = await openVisitors(server.url, reconnecting, new LatencyHistogram(), 'closed');
  for (const v of long) {
    v.turnLimit = turnsPerSession;
    v.running = true;
    v.answer();
  }
  while (long.some((v) => v.turns < turnsPerSession)) await sleep(50);
  await sleep(100);
  for (const v of long) v.close();
  const frames = long[0].historyLength;

  const singles: number[] = [];
  for (const v of long.slice(0, 5)) singles.push(await timeReplay(server.url, v.sid!, v.historyLength));
  singles.sort((a, b) => a - b);
  const single = singles[singles.length >> 1];

  // other sessions walk paced (~1 answer/s) while every long session reconnects at once
  const group = await LoadGroup.open(server.url, others, 'paced', 1);
  group.start();
  await sleep(2000);
  let storm: number[] = [];
  const m = await measureWindow(server, group, async () => {
    await sleep(500);
    storm = await Promise.all(long.map((v) => timeReplay(server.url, v.sid!, v.historyLength)));
    await sleep(1000);
  });
  await group.close();
  await stopServer(server);
  storm.sort((a, b) => a - b);
  report(`replay: sessions of ${turnsPerSession} turns (${frames} frames)`, [
    `one reconnect to its last frame: ${single.toFixed(1)} ms (median of ${singles.length}: ${singles.map((s) => s.toFixed(1)).join(', ')})`,
    `${reconnecting} reconnecting at once: median ${storm[storm.length >> 1].toFixed(1)} ms, slowest ${storm[storm.length - 1].toFixed(1)} ms`,
    `${others} other sessions meanwhile: ${latencyLine(m.latencies)}`,
    `server: RSS ${mib(m.serverRss).toFixed(1)} MiB, CPU ${(100 * m.serverCpu).toFixed(0)}% of one core`,
  ]);
  return [
    figure('one replay', single, 'ms', '< 20 ms', (v) => v < 20),
    figure(`storm: ${reconnecting} replays, slowest`, storm[storm.length - 1], 'ms', '(article p50 1,900 ms)', () => true),
    figure("others' p99 during storm", m.latencies.percentile(0.99), 'ms', '< 50 ms', (v) => v < 50),
  ];
}

/** About 100 records of a session that walked the flow, as the runtime records them. */
function sessionRecords(sid: string): StreamRecord[] {
  const ts = '2021-01-05T17:58:46.511';
  const lang: ChoiceRequest = { kind: 'ChoiceRequest', groupId: 'lang', question: 'What programming language do you use in your hobby projects?', choices: [{ itemId: 'rust', content: 'Rust' }, { itemId: 'go', content: 'Go' }, { itemId: 'other', content: 'Other' }] };
  const others: ChoiceRequest = { kind: 'ChoiceRequest', groupId: 'others', question: 'Any other?', choices: [{ itemId: 'yes', content: 'Yes' }, { itemId: 'no', content: 'No' }] };
  const out: StreamRecord[] = [{ sid, timestamp: ts }];
  out.push({ sid, payload: { kind: 'Request', message: { kind: 'BotText', content: "Hi, I'm Bot! Nice to meet you." } }, timestamp: ts });
  while (out.length < 98) {
    out.push({ sid, payload: { kind: 'Request', message: lang }, timestamp: ts });
    out.push({ sid, payload: { kind: 'Response', message: { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' } }, timestamp: ts });
    out.push({ sid, payload: { kind: 'Request', message: others }, timestamp: ts });
    out.push({ sid, payload: { kind: 'Response', message: { kind: 'ChoiceResponse', groupId: 'others', itemId: 'yes', content: 'Yes' } }, timestamp: ts });
  }
  out.push({ sid, payload: { kind: 'Request', message: lang }, timestamp: ts });
  return out;
}

async function restart(): Promise<Figure[]> {
  const records = scale(1_000_000, 50_000);
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-restart-'));
  const log = await openEmbeddedLog({ dir: dataDir, logger: { info() {}, warn: console.warn } });
  let sid = '';
  let frames = 0;
  for (let written = 0, n = 0; written < records; n++) {
    sid = n.toString(16).padStart(40, '0');
    const batch = sessionRecords(sid);
    frames = batch.length - 1; // the start marker is not shown
    written += batch.length;
    await log.append(batch);
  }
  await log.close();

  const t0 = performance.now();
  const server = await startServer(dataDir);
  const ready = performance.now() - t0;
  const replayed = await timeReplay(server.url, sid, frames);
  const served = performance.now() - t0;
  const rss = processUsage(server.proc.child.pid!).rss;
  await stopServer(server);
  report(`restart with ${records} records`, [
    `spawn -> ready line ${ready.toFixed(0)} ms; -> an old session replayed (${frames} frames, ${replayed.toFixed(1)} ms) ${served.toFixed(0)} ms`,
    `server RSS after open: ${mib(rss).toFixed(1)} MiB`,
  ]);
  return [figure('spawn to serving', served, 'ms', '< 3,000 ms', (v) => v < 3000)];
}

async function durability(): Promise<Figure[]> {
  const sessions = scale(1000, 100);
  const server = await startServer();
  const visitors = await openVisitors(server.url, sessions, new LatencyHistogram(), 'closed', true);
  for (const v of visitors) {
    v.running = true;
    v.answer();
  }
  await sleep(scale(3000, 1000));
  server.proc.child.kill('SIGKILL');
  await server.proc.exited;
  for (const v of visitors) v.running = false;
  const turns = visitors.reduce((n, v) => n + v.turns, 0);
  const t0 = performance.now();
  const again = await startServer(server.dataDir);
  const restartMs = performance.now() - t0;
  let intact = 0;
  let resumed = 0;
  const problems: string[] = [];
  for (let i = 0; i < visitors.length; i += 100) {
    await Promise.all(visitors.slice(i, i + 100).map(async (v) => {
      const check = await checkSession(again.url, v);
      if (check.intact) intact++;
      else problems.push(`${v.sid!.slice(0, 8)}: ${check.why}`);
      if (check.resumed) resumed++;
    }));
  }
  await stopServer(again);
  report(`durability: kill -9 during a ${sessions}-session closed-loop run after ${turns} turns`, [
    `restart to ready: ${restartMs.toFixed(0)} ms`,
    `${intact}/${sessions} histories hold every bot message their client saw; ${resumed}/${sessions} resumed at their pending question`,
    ...problems.slice(0, 5),
  ]);
  return [
    figure('histories intact', intact, `/${sessions}`, `${sessions}/${sessions}`, (v) => v === sessions),
    figure('resumed at pending question', resumed, `/${sessions}`, `${sessions}/${sessions}`, (v) => v === sessions),
  ];
}

/**
 * Reconnects a visitor's session after the crash: the replay must start with every bot frame the
 * client saw (it may hold one more reply, durable but not delivered before the kill) and end on a
 * question, and answering it must get the next question.
 */
async function checkSession(url: string, v: LoadVisitor): Promise<{ intact: boolean; resumed: boolean; why?: string }> {
  const shown = v.requests!;
  const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers: { Cookie: `${SESSION_COOKIE}=${v.sid}` }, perMessageDeflate: false });
  const requests: string[] = [];
  let onRequest = () => {};
  ws.on('message', (data) => {
    const text = (data as Buffer).toString();
    if (isRequestFrame(text)) {
      requests.push(text);
      onRequest();
    }
  });
  const waitFor = (n: number, ms: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(requests.length >= n), ms);
      onRequest = () => {
        if (requests.length >= n) {
          clearTimeout(timer);
          resolve(true);
        }
      };
      onRequest();
    });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  await waitFor(shown.length, 10_000);
  await sleep(50); // a reply that became durable just before the kill arrives right after
  const prefix = requests.slice(0, shown.length);
  const intact = prefix.length === shown.length && prefix.every((frame, i) => frame === shown[i]);
  const last = requests.at(-1);
  let resumed = false;
  if (intact && last && /^\{"kind":"(ChoiceRequest|StartChatSession)"/.test(last)) {
    const before = requests.length;
    ws.send(answerTo(last));
    resumed = await waitFor(before + 1, 10_000);
  }
  ws.terminate();
  const why = intact ? undefined : `replayed ${requests.length} bot frames, the client had seen ${shown.length}; first difference at ${prefix.findIndex((frame, i) => frame !== shown[i])}`;
  return { intact, resumed, why };
}

// ---- runs and summary -------------------------------------------------------------------------

const abuseScenario = () => abuse({ flow: FLOW, quick: QUICK, processUsage, report });
const run: Record<Scenario, () => Promise<Figure[]>> = { closed: closedLoop, paced, memory, replay, restart, durability, abuse: abuseScenario };
console.log(`bench:runtime on ${process.version}, ${RUNS} run(s) per scenario; load average at start ${load()}; figures from a shared machine are noisy${SERVER_NODE_ARGS.length ? `; our servers run with ${SERVER_NODE_ARGS.join(' ')}` : ''}`);
const summary: { scenario: Scenario; figure: Figure; values: number[]; loads: string[] }[] = [];
for (const name of chosen.length > 0 ? chosen : SCENARIOS) {
  const runs: Figure[][] = [];
  const loads: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    if (RUNS > 1) console.log(`\n-- ${name}, run ${i + 1} of ${RUNS}`);
    runs.push(await run[name]());
    loads.push(load());
  }
  runs[0].forEach((figure, k) => summary.push({ scenario: name, figure, values: runs.map((r) => r[k].value), loads }));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[(values.length - 1) >> 1];
const show = (value: number, unit: string) => {
  const number = Number.isInteger(value) ? String(value) : value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(value >= 10 ? 1 : 2);
  return `${number}${unit && !unit.startsWith('/') ? ' ' : ''}${unit}`;
};
const rows = summary.map(({ scenario, figure, values, loads }) => {
  const value = median(values);
  return [scenario, figure.name, figure.target, show(value, figure.unit) + (values.length > 1 ? ` (median of ${values.map((v) => show(v, '')).join(' / ')})` : ''), figure.pass(value) ? 'PASS' : 'MISS', loads.join(' / ')];
});
const header = ['scenario', 'figure', 'target', 'measured', 'result', 'load avg'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(`\n== summary${QUICK ? ' (quick: sizes are not the targets\')' : ''}${RUNS > 1 ? `, median of ${RUNS} runs` : ''}`);
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of rows) console.log(line(row));
