/**
 * `npm run bench:runtime -- fluvio [closed|split|restart] [--quick] [--records N]`: the runtime on a
 * real Fluvio cluster (FLUVIO_ENDPOINT or the active fluvio profile), each scenario on a fresh topic
 * that is deleted afterwards. Servers are the real CLI in child processes.
 * - closed: 1,000 sessions closed loop on `serve --stream fluvio`, and the same run's embedded-log figure;
 * - split: the same load on a proxy process and a workflow process;
 * - restart: a topic of 1,000,000 records (one session of 1,000 turns among them): first start with
 *   no cache, then a restart: time to serve, RSS after start, replay of the long session.
 * Prints figures with the load average; asserts nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { spawnServe, whenReady, type ServeProcess } from '../runtime/server/serveProcess.ts';
import { SESSION_COOKIE } from '../runtime/server/sessionCookie.ts';
import { loadFluvioClient, parseEndpoint } from '../runtime/stream/fluvioClient.ts';
import type { StreamRecord } from '../runtime/stream/MessageStream.ts';
import { LatencyHistogram } from './LatencyHistogram.ts';
import { LoadGroup } from './LoadGroup.ts';
import { processUsage } from './processUsage.ts';

const FLOW = fileURLToPath(new URL('../state-machines/bot-assistant.json', import.meta.url));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

interface Options {
  quick: boolean;
  records: number;
  workers: number;
}

interface Proc {
  proc: ServeProcess;
  url: string;
  dir: string;
}

async function serve(args: string[], dir?: string): Promise<Proc & { readyMs: number }> {
  const dataDir = dir ?? (await mkdtemp(join(tmpdir(), 'bench-fluvio-')));
  const t0 = performance.now();
  const proc = spawnServe([FLOW, '--port', '0', '--data-dir', dataDir, ...args]);
  const url = await whenReady(proc, 30 * 60_000);
  return { proc, url, dir: dataDir, readyMs: performance.now() - t0 };
}

async function stop(p: Proc, removeData = true): Promise<void> {
  p.proc.child.kill('SIGTERM');
  await p.proc.exited;
  if (removeData) await rm(p.dir, { recursive: true, force: true });
}

async function admin() {
  const { Fluvio } = await loadFluvioClient();
  const endpoint = process.env.FLUVIO_ENDPOINT;
  const fluvio = new Fluvio(endpoint ? parseEndpoint(endpoint) : undefined);
  await fluvio.connect();
  return { fluvio, admin: await fluvio.admin() };
}

async function deleteTopic(topic: string): Promise<void> {
  await (await admin()).admin.deleteTopic(topic).catch(() => {});
}

/** Closed loop of `sessions` against `url` for `seconds` (after a warm-up): turns/s and p99. */
async function closedLoop(url: string, sessions: number, seconds: number, workers: number, server: Proc) {
  const group = await LoadGroup.open(url, sessions, 'closed', workers);
  group.start();
  await sleep(3000);
  await group.reset();
  const before = processUsage(server.proc.child.pid!);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const result = await group.stop();
  const elapsed = (performance.now() - t0) / 1000;
  const after = processUsage(server.proc.child.pid!);
  await group.close();
  return { rate: result.turns / elapsed, latencies: result.latencies, errors: result.errors, cpu: (after.cpu - before.cpu) / elapsed, rss: after.rss };
}

function latencyLine(latencies: LatencyHistogram): string {
  const at = (p: number) => latencies.percentile(p).toFixed(1);
  return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${latencies.max.toFixed(1)} ms (${latencies.count} turns)`;
}

async function closed(options: Options): Promise<void> {
  const sessions = options.quick ? 100 : 1000;
  const seconds = options.quick ? 3 : 10;
  const topic = `bench-${randomUUID().slice(0, 8)}`;
  try {
    const fluvio = await serve(['--stream', 'fluvio', '--topic', topic]);
    const f = await closedLoop(fluvio.url, sessions, seconds, options.workers, fluvio);
    await stop(fluvio);
    const embedded = await serve([]);
    const e = await closedLoop(embedded.url, sessions, seconds, options.workers, embedded);
    await stop(embedded);
    console.log(`\n== closed loop, ${sessions} sessions, ${seconds} s, one process  [load ${load()}]`);
    console.log(`   fluvio:   ${Math.round(f.rate)} turns/s, ${latencyLine(f.latencies)}, ${f.errors} errors; server CPU ${(100 * f.cpu).toFixed(0)}%, RSS ${mib(f.rss)} MiB`);
    console.log(`   embedded: ${Math.round(e.rate)} turns/s, ${latencyLine(e.latencies)}, ${e.errors} errors; server CPU ${(100 * e.cpu).toFixed(0)}%, RSS ${mib(e.rss)} MiB`);
  } finally {
    await deleteTopic(topic);
  }
}

async function split(options: Options): Promise<void> {
  const sessions = options.quick ? 100 : 1000;
  const seconds = options.quick ? 3 : 10;
  const topic = `bench-${randomUUID().slice(0, 8)}`;
  try {
    const workflow = await serve(['--stream', 'fluvio', '--topic', topic, '--role', 'workflow']);
    const proxy = await serve(['--stream', 'fluvio', '--topic', topic, '--role', 'proxy']);
    const wBefore = processUsage(workflow.proc.child.pid!);
    const t0 = performance.now();
    const m = await closedLoop(proxy.url, sessions, seconds, options.workers, proxy);
    const wAfter = processUsage(workflow.proc.child.pid!);
    const workflowCpu = (wAfter.cpu - wBefore.cpu) / ((performance.now() - t0) / 1000);
    await stop(proxy);
    await stop(workflow);
    console.log(`\n== proxy + workflow processes, ${sessions} sessions closed loop, ${seconds} s  [load ${load()}]`);
    console.log(`   ${Math.round(m.rate)} turns/s, ${latencyLine(m.latencies)}, ${m.errors} errors`);
    console.log(`   proxy CPU ${(100 * m.cpu).toFixed(0)}%, RSS ${mib(m.rss)} MiB; workflow CPU ${(100 * workflowCpu).toFixed(0)}% (incl. warm-up), RSS ${mib(wAfter.rss)} MiB`);
  } finally {
    await deleteTopic(topic);
  }
}

/** One session's records: a start, a greeting, then `turns` answer/question pairs, as the runtime records them. */
function longSession(sid: string, turns: number): StreamRecord[] {
  const ts = '2021-01-05T17:58:46.511';
  const lang = { kind: 'ChoiceRequest', groupId: 'lang', question: 'What programming language do you use in your hobby projects?', choices: [{ itemId: 'rust', content: 'Rust' }, { itemId: 'go', content: 'Go' }, { itemId: 'other', content: 'Other' }] };
  const out: StreamRecord[] = [{ sid, timestamp: ts }, { sid, payload: { kind: 'Request', message: { kind: 'BotText', content: "Hi, I'm Bot! Nice to meet you." } }, timestamp: ts }, { sid, payload: { kind: 'Request', message: lang as never }, timestamp: ts }];
  for (let t = 0; t < turns; t++) {
    out.push({ sid, payload: { kind: 'Response', message: { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' } }, timestamp: ts });
    out.push({ sid, payload: { kind: 'Request', message: lang as never }, timestamp: ts });
  }
  return out;
}

async function restart(options: Options): Promise<void> {
  const records = options.records;
  const turns = 1000;
  const topic = `bench-${randomUUID().slice(0, 8)}`;
  try {
    // fill the topic straight through the client: sessions of ~100 records, the long one in the middle
    const { fluvio, admin: a } = await admin();
    await a.createTopic(topic, { partitions: 1, replicationFactor: 1, ignoreRackAssignment: false });
    await sleep(1000);
    const producer = await fluvio.topicProducer(topic);
    const long = `long-${randomUUID()}`;
    const t0 = performance.now();
    let written = 0;
    let batch: [string, string][] = [];
    for (let n = 0; written < records; n++) {
      const sid = n === 100 ? long : `s${n}-${randomUUID()}`;
      for (const record of n === 100 ? longSession(sid, turns) : longSession(sid, 48)) batch.push([sid, JSON.stringify(record)]);
      if (batch.length >= 10_000) {
        await producer.sendAll(batch);
        written += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) await producer.sendAll(batch);
    await producer.flush();
    written += batch.length;
    console.log(`\n== restart with ${written} records in the topic  [load ${load()}]`);
    console.log(`   topic filled in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const first = await serve(['--stream', 'fluvio', '--topic', topic]);
    const firstRss = processUsage(first.proc.child.pid!).rss;
    console.log(`   first start, empty cache (reads the whole topic): ready in ${(first.readyMs / 1000).toFixed(1)} s, RSS ${mib(firstRss)} MiB  [load ${load()}]`);
    await stop(first, false);

    const again = await serve(['--stream', 'fluvio', '--topic', topic], first.dir);
    const rss = processUsage(again.proc.child.pid!).rss;
    const replays: number[] = [];
    for (let i = 0; i < 5; i++) replays.push(await timeReplay(again.url, long, 2 * turns + 2));
    replays.sort((x, y) => x - y);
    console.log(`   restart with its cache: ready (serving) in ${again.readyMs.toFixed(0)} ms, RSS after start ${mib(rss)} MiB  [load ${load()}]`);
    console.log(`   replay of a ${turns}-turn session (${2 * turns + 2} frames): median ${replays[2].toFixed(1)} ms (${replays.map((r) => r.toFixed(1)).join(', ')})`);
    await stop(again);
  } finally {
    await deleteTopic(topic);
  }
}

/** Reconnects a session by its cookie; ms until its `frames` history frames arrived. */
function timeReplay(url: string, sid: string, frames: number): Promise<number> {
  const t0 = performance.now();
  const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers: { Cookie: `${SESSION_COOKIE}=${sid}` }, perMessageDeflate: false });
  let received = 0;
  return new Promise((resolve, reject) => {
    ws.on('message', () => {
      if (++received < frames) return;
      resolve(performance.now() - t0);
      ws.terminate();
    });
    ws.once('error', reject);
    ws.once('close', () => reject(new Error(`socket closed after ${received} of ${frames} frames`)));
  });
}

const scenarios = { closed, split, restart };

export async function runFluvioBench(args: string[]): Promise<void> {
  const options: Options = { quick: args.includes('--quick'), records: 1_000_000, workers: 2 };
  const at = args.indexOf('--records');
  if (at >= 0) options.records = Number(args[at + 1]);
  const chosen = args.filter((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--records');
  for (const name of chosen) if (!(name in scenarios)) throw new Error(`unknown fluvio scenario "${name}": one of ${Object.keys(scenarios).join(', ')}`);
  if (options.quick && at < 0) options.records = 50_000;
  console.log(`bench:runtime fluvio on ${process.env.FLUVIO_ENDPOINT ?? 'the active fluvio profile'}; load average at start ${load()}`);
  for (const name of chosen.length > 0 ? chosen : Object.keys(scenarios)) await scenarios[name as keyof typeof scenarios](options);
}
