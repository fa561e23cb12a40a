/**
 * `npm run bench:runtime -- fluvio [closed|split|restart] [--quick] [--runs N] [--records N]`: the
 * runtime on a real Fluvio cluster (FLUVIO_ENDPOINT or the active fluvio profile), each scenario on a
 * fresh topic that is deleted afterwards. Servers are the real CLI in child processes.
 * - closed: 1,000 sessions closed loop on `serve --stream fluvio`, and the same run's embedded-log figure;
 * - split: the same load on a proxy process and a workflow process;
 * - restart: a topic of 1,000,000 records (one session of 1,000 turns among them): a first start with
 *   no cache, then a restart with it: time to serve, RSS after start, replay of the long session.
 * Every step prints a progress line (a stalled step is seen, with the servers' stderr after 60 s).
 * Prints figures with the load average, then the median of each over the runs; asserts nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { randomBytes, randomUUID } from 'node:crypto';
import { spawnServe, whenReady, type ServeProcess } from '../runtime/testing/serveProcess.ts';
import { loadFluvioClient, parseEndpoint, type FluvioAdmin, type FluvioConnection } from '../runtime/stream/fluvioClient.ts';
import { fluvioCacheDir } from '../runtime/stream/openStream.ts';
import type { StreamRecord } from '../runtime/stream/messageStream.ts';
import { LatencyHistogram } from './LatencyHistogram.ts';
import { LOAD_GENERATOR_LIMITS, LoadGroup } from './LoadGroup.ts';
import { processUsage } from './processUsage.ts';
import { timeReplay } from './timeReplay.ts';

const FLOW = fileURLToPath(new URL('../state-machines/bot-assistant.json', import.meta.url));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const mib = (bytes: number) => bytes / 1024 / 1024;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const started = performance.now();
/** A progress line: what the bench is doing now, seconds since start. */
const step = (what: string) => console.log(`   .. [${((performance.now() - started) / 1000).toFixed(1)} s] ${what}`);

interface Options {
  quick: boolean;
  records: number;
  runs: number;
  workers: number;
}

interface Proc {
  proc: ServeProcess;
  url: string;
  dir: string;
  readyMs: number;
}

type Figures = Record<string, number>;

/** Fails a step that takes longer than `ms`, naming it and showing the servers' last stderr lines. */
async function within<T>(what: string, ms: number, promise: Promise<T>, servers: Proc[] = []): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what}: no result within ${ms / 1000} s\n${stderrTails(servers)}`));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const stderrTails = (servers: Proc[]) => servers.map((s) => `--- server ${s.proc.child.pid}, last stderr lines:\n${s.proc.stderr.split('\n').slice(-15).join('\n')}`).join('\n');

async function serve(args: string[], dir?: string): Promise<Proc> {
  const dataDir = dir ?? (await mkdtemp(join(tmpdir(), 'bench-fluvio-')));
  const t0 = performance.now();
  const proc = spawnServe([FLOW, '--port', '0', '--data-dir', dataDir, ...LOAD_GENERATOR_LIMITS, ...args]);
  running.add(proc);
  const url = await whenReady(proc, 30 * 60_000);
  return { proc, url, dir: dataDir, readyMs: performance.now() - t0 };
}

/** Servers not stopped yet: a failing scenario kills them (and removes nothing else). */
const running = new Set<ServeProcess>();

async function stop(p: Proc, removeData = true): Promise<void> {
  p.proc.child.kill('SIGTERM');
  await p.proc.exited;
  running.delete(p.proc);
  if (removeData) await rm(p.dir, { recursive: true, force: true });
}

async function connect(): Promise<{ fluvio: FluvioConnection; admin: FluvioAdmin }> {
  const { Fluvio } = await loadFluvioClient();
  const endpoint = process.env.FLUVIO_ENDPOINT;
  const fluvio = new Fluvio(endpoint ? parseEndpoint(endpoint) : undefined);
  await fluvio.connect();
  return { fluvio, admin: await fluvio.admin() };
}

async function deleteTopic(topic: string): Promise<void> {
  await (await connect()).admin.deleteTopic(topic).catch((error: unknown) => console.warn(`   could not delete topic ${topic}: ${String(error)}`));
}

/** Closed loop of `sessions` against `server` for `seconds` (after a warm-up): turns/s and latencies. */
async function closedLoop(server: Proc, sessions: number, seconds: number, workers: number, watched: Proc[]) {
  step(`opening ${sessions} visitors on ${server.url}`);
  const group = await within(`opening ${sessions} visitors`, 120_000, LoadGroup.open(server.url, sessions, 'closed', workers), watched);
  group.start();
  step('warming up 3 s');
  await sleep(3000);
  if (group.turnsSoFar === 0) throw new Error(`no turn completed in the 3 s warm-up\n${stderrTails(watched)}`);
  await group.reset();
  const before = processUsage(server.proc.child.pid!);
  const t0 = performance.now();
  step(`measuring ${seconds} s (${group.turnsSoFar} turns in the warm-up)`);
  await sleep(seconds * 1000);
  const result = await within('stopping the load', 60_000, group.stop(), watched);
  const elapsed = (performance.now() - t0) / 1000;
  const after = processUsage(server.proc.child.pid!);
  await group.close();
  if (result.turns === 0) console.log(`   no turn completed while measuring; servers' stderr:\n${stderrTails(watched)}`);
  return { rate: result.turns / elapsed, latencies: result.latencies, errors: result.errors, cpu: (after.cpu - before.cpu) / elapsed, rss: after.rss };
}

function latencyLine(latencies: LatencyHistogram): string {
  const at = (p: number) => latencies.percentile(p).toFixed(1);
  return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${latencies.max.toFixed(1)} ms (${latencies.count} turns)`;
}

async function closed(options: Options): Promise<Figures> {
  const sessions = options.quick ? 100 : 1000;
  const seconds = options.quick ? 3 : 10;
  const topic = `bench-${randomUUID().slice(0, 8)}`;
  try {
    step(`serve --stream fluvio --topic ${topic}`);
    const fluvio = await serve(['--stream', 'fluvio', '--topic', topic]);
    step(`ready in ${fluvio.readyMs.toFixed(0)} ms`);
    const f = await closedLoop(fluvio, sessions, seconds, options.workers, [fluvio]);
    await stop(fluvio);
    step('serve (embedded log)');
    const embedded = await serve([]);
    const e = await closedLoop(embedded, sessions, seconds, options.workers, [embedded]);
    await stop(embedded);
    console.log(`\n== closed loop, ${sessions} sessions, ${seconds} s, one process  [load ${load()}]`);
    console.log(`   fluvio:   ${Math.round(f.rate)} turns/s, ${latencyLine(f.latencies)}, ${f.errors} errors; server CPU ${(100 * f.cpu).toFixed(0)}%, RSS ${mib(f.rss).toFixed(1)} MiB`);
    console.log(`   embedded: ${Math.round(e.rate)} turns/s, ${latencyLine(e.latencies)}, ${e.errors} errors; server CPU ${(100 * e.cpu).toFixed(0)}%, RSS ${mib(e.rss).toFixed(1)} MiB`);
    return {
      'fluvio turns/s': f.rate,
      'fluvio p99 ms': f.latencies.percentile(0.99),
      'fluvio errors': f.errors,
      'embedded turns/s': e.rate,
      'embedded p99 ms': e.latencies.percentile(0.99),
    };
  } finally {
    await deleteTopic(topic);
  }
}

async function split(options: Options): Promise<Figures> {
  const sessions = options.quick ? 100 : 1000;
  const seconds = options.quick ? 3 : 10;
  const topic = `bench-${randomUUID().slice(0, 8)}`;
  try {
    step(`serve --role workflow --topic ${topic}`);
    const workflow = await serve(['--stream', 'fluvio', '--topic', topic, '--role', 'workflow']);
    step(`serve --role proxy --topic ${topic}`);
    const proxy = await serve(['--stream', 'fluvio', '--topic', topic, '--role', 'proxy']);
    const wBefore = processUsage(workflow.proc.child.pid!);
    const t0 = performance.now();
    const m = await closedLoop(proxy, sessions, seconds, options.workers, [proxy, workflow]);
    const wAfter = processUsage(workflow.proc.child.pid!);
    const workflowCpu = (wAfter.cpu - wBefore.cpu) / ((performance.now() - t0) / 1000);
    await stop(proxy);
    await stop(workflow);
    console.log(`\n== proxy + workflow processes, ${sessions} sessions closed loop, ${seconds} s  [load ${load()}]`);
    console.log(`   ${Math.round(m.rate)} turns/s, ${latencyLine(m.latencies)}, ${m.errors} errors`);
    console.log(`   proxy CPU ${(100 * m.cpu).toFixed(0)}%, RSS ${mib(m.rss).toFixed(1)} MiB; workflow CPU ${(100 * workflowCpu).toFixed(0)}% (incl. warm-up), RSS ${mib(wAfter.rss).toFixed(1)} MiB`);
    return { 'turns/s': m.rate, 'p99 ms': m.latencies.percentile(0.99), errors: m.errors };
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

/** Fills `topic` straight through the client (sendAll batches): sessions of ~100 records, the long one early. */
async function fillTopic(fluvio: FluvioConnection, topic: string, records: number, long: string, turns: number): Promise<number> {
  const producer = await fluvio.topicProducer(topic);
  let written = 0;
  let batch: [string, string][] = [];
  let reported = 0;
  for (let n = 0; written + batch.length < records; n++) {
    const sid = n === 100 ? long : `s${n}-${randomUUID()}`;
    for (const record of n === 100 ? longSession(sid, turns) : longSession(sid, 48)) batch.push([sid, JSON.stringify(record)]);
    if (batch.length >= 5_000) {
      await producer.sendAll(batch);
      written += batch.length;
      batch = [];
      if (written - reported >= 100_000) {
        await producer.flush();
        reported = written;
        step(`${written} records produced`);
      }
    }
  }
  if (batch.length > 0) await producer.sendAll(batch);
  await producer.flush();
  return written + batch.length;
}

async function restart(options: Options): Promise<Figures> {
  const turns = 1000;
  const topic = `bench-${randomUUID().slice(0, 8)}`;
  try {
    const { fluvio, admin } = await connect();
    await admin.createTopic(topic, { partitions: 1, replicationFactor: 1, ignoreRackAssignment: false });
    await sleep(1000);
    const long = randomBytes(20).toString('hex'); // a session id as the server issues them (40 hex digits)
    const t0 = performance.now();
    step(`producing ${options.records} records to ${topic}`);
    const written = await fillTopic(fluvio, topic, options.records, long, turns);
    const fillSeconds = (performance.now() - t0) / 1000;
    console.log(`\n== restart with ${written} records in the topic  [load ${load()}]`);
    console.log(`   topic filled in ${fillSeconds.toFixed(1)} s (sendAll batches of 5,000)`);

    step('first start with an empty cache (consumes the whole topic)');
    const first = await serve(['--stream', 'fluvio', '--topic', topic]);
    const firstRss = processUsage(first.proc.child.pid!).rss;
    console.log(`   first start, empty cache: ready in ${(first.readyMs / 1000).toFixed(1)} s, RSS ${mib(firstRss).toFixed(1)} MiB  [load ${load()}]`);
    step('stopping it (SIGTERM: the checkpoint is written at close)');
    await stop(first, false);

    const figures: Figures = {};
    for (let run = 1; run <= options.runs; run++) {
      // the same run's floor: a server with an empty embedded log (Node and tsx start-up, the flow, the listener)
      step(`baseline ${run}: serve with an empty embedded log`);
      const empty = await serve([]);
      await stop(empty);
      step(`restart ${run} of ${options.runs} with its cache`);
      const again = await serve(['--stream', 'fluvio', '--topic', topic], first.dir);
      const rss = processUsage(again.proc.child.pid!).rss;
      const firstReplay = await within('replaying the long session', 60_000, timeReplay(again.url, long, 2 * turns + 2), [again]);
      // then once the start-up work (the workflow looking for unanswered sessions) is done
      await sleep(3000);
      const replays: number[] = [];
      for (let i = 0; i < 5; i++) replays.push(await within('replaying the long session', 60_000, timeReplay(again.url, long, 2 * turns + 2), [again]));
      replays.sort((x, y) => x - y);
      console.log(`   restart ${run}: serving ${again.readyMs.toFixed(0)} ms after spawn (an empty embedded-log server: ${empty.readyMs.toFixed(0)} ms), RSS after start ${mib(rss).toFixed(1)} MiB  [load ${load()}]`);
      console.log(`   replay of a ${turns}-turn session (${2 * turns + 2} frames): right after start ${firstReplay.toFixed(1)} ms; 3 s later median ${replays[2].toFixed(1)} ms (${replays.map((r) => r.toFixed(1)).join(', ')})`);
      await stop(again, false);
      // the same run's embedded-log replay: `serve` on the cache itself (an embedded log of the same records)
      const embedded = await serve([], fluvioCacheDir(first.dir, topic));
      await sleep(3000);
      const embeddedReplays: number[] = [];
      for (let i = 0; i < 5; i++) embeddedReplays.push(await within('replaying the long session (embedded)', 60_000, timeReplay(embedded.url, long, 2 * turns + 2), [embedded]));
      embeddedReplays.sort((x, y) => x - y);
      await stop(embedded, false);
      console.log(`   the same replay from the embedded log (serve on the cache's files): median ${embeddedReplays[2].toFixed(1)} ms (${embeddedReplays.map((r) => r.toFixed(1)).join(', ')})`);
      if (run === options.runs) await rm(first.dir, { recursive: true, force: true });
      figures[`serving after restart ${run} ms`] = again.readyMs;
      figures[`embedded replay ${run} ms (median of 5)`] = embeddedReplays[2];
      figures[`empty embedded serve ${run} ms`] = empty.readyMs;
      figures[`RSS after restart ${run} MiB`] = mib(rss);
      figures[`first replay ${run} ms`] = firstReplay;
      figures[`replay ${run} ms (median of 5)`] = replays[2];
    }
    return { 'fill s': fillSeconds, 'first start s': first.readyMs / 1000, ...figures };
  } finally {
    await deleteTopic(topic);
  }
}

const scenarios = { closed, split, restart };

export async function runFluvioBench(args: string[]): Promise<void> {
  const valueOf = (name: string) => {
    const at = args.indexOf(name);
    return at < 0 ? undefined : Number(args[at + 1]);
  };
  const options: Options = { quick: args.includes('--quick'), records: valueOf('--records') ?? (args.includes('--quick') ? 50_000 : 1_000_000), runs: valueOf('--runs') ?? 1, workers: 2 };
  for (const [name, value] of [['--records', options.records], ['--runs', options.runs]] as const) {
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number`);
  }
  const chosen = args.filter((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--records' && args[i - 1] !== '--runs');
  for (const name of chosen) if (!(name in scenarios)) throw new Error(`unknown fluvio scenario "${name}": one of ${Object.keys(scenarios).join(', ')}`);
  console.log(`bench:runtime fluvio on ${process.env.FLUVIO_ENDPOINT ?? 'the active fluvio profile'}; load average at start ${load()}`);
  for (const name of chosen.length > 0 ? chosen : Object.keys(scenarios)) {
    // restart measures its runs itself (the topic is filled once)
    const runs = name === 'restart' ? 1 : options.runs;
    const results: Figures[] = [];
    const loads: string[] = [];
    for (let run = 1; run <= runs; run++) {
      if (runs > 1) console.log(`\n-- fluvio ${name}, run ${run} of ${runs}`);
      try {
        results.push(await scenarios[name as keyof typeof scenarios](options));
      } catch (error) {
        for (const proc of running) proc.child.kill('SIGKILL');
        throw error;
      }
      loads.push(loadavg()[0].toFixed(2));
    }
    console.log(`\n== fluvio ${name}: ${runs > 1 ? `median of ${runs} runs` : 'one run'} (load ${loads.join(' / ')})`);
    for (const key of Object.keys(results[0])) {
      const values = results.map((r) => r[key]);
      const median = [...values].sort((a, b) => a - b)[(values.length - 1) >> 1];
      console.log(`   ${key.padEnd(32)} ${median.toFixed(1)}${values.length > 1 ? `  (${values.map((v) => v.toFixed(1)).join(' / ')})` : ''}`);
    }
  }
}
