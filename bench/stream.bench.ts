/**
 * Embedded log figures: `npx tsx bench/stream.bench.ts`
 * 1. group-commit throughput and append latency with 1,000 concurrent sessions (1 response + 2 requests a turn);
 * 2. open time and RSS of a log of 1,000,000 records over 7,500 sessions (measured in a fresh child process);
 * 3. readSession of a 1,000-record session spread over that log.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEmbeddedLog } from '../runtime/stream/EmbeddedLog.ts';
import type { StreamRecord } from '../runtime/stream/messageStream.ts';

const quiet = { info: () => {}, warn: (message: string) => console.warn(message) };

function sidOf(n: number): string {
  return `5b7f3c1e-0a4d-4c7e-9b1a-${String(n).padStart(12, '0')}`;
}

function request(sid: string, n: number): StreamRecord {
  return { sid, payload: { kind: 'Request', message: { kind: 'BotText', content: `Hi, I'm Bot Assistant, message number ${n}.` } }, timestamp: '2021-01-05T17:58:46.511' };
}

function response(sid: string, n: number): StreamRecord {
  return { sid, payload: { kind: 'Response', message: { kind: 'ChoiceResponse', groupId: 'options', itemId: `item-${n % 3}`, content: 'Talk to a person' } }, timestamp: '2021-01-05T17:58:47.102' };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

async function benchAppend(dir: string): Promise<void> {
  const log = await openEmbeddedLog({ dir, logger: quiet });
  const latencies: number[] = [];
  let records = 0;
  let turns = 0;
  const durationMs = 5000;
  const startedAt = performance.now();
  const deadline = startedAt + durationMs;
  async function session(i: number): Promise<void> {
    const sid = sidOf(i);
    for (let n = 0; performance.now() < deadline; n++) {
      let t = performance.now();
      await log.append([response(sid, n)]);
      latencies.push(performance.now() - t);
      t = performance.now();
      await log.append([request(sid, n), request(sid, n + 1)]);
      latencies.push(performance.now() - t);
      records += 3;
      turns += 1;
    }
  }
  await Promise.all(Array.from({ length: 1000 }, (_, i) => session(i)));
  const elapsed = (performance.now() - startedAt) / 1000;
  await log.close();
  latencies.sort((a, b) => a - b);
  console.log(`append, 1,000 concurrent sessions, ${elapsed.toFixed(1)} s: ${Math.round(records / elapsed).toLocaleString('en')} records/s (${Math.round(turns / elapsed).toLocaleString('en')} turns/s)`);
  console.log(`append latency: p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms (${latencies.length.toLocaleString('en')} appends)`);
}

async function buildBigLog(dir: string): Promise<void> {
  const log = await openEmbeddedLog({ dir, logger: quiet });
  const startedAt = performance.now();
  const total = 1_000_000;
  const sessions = 7500;
  const batch: StreamRecord[] = [];
  for (let i = 0; i < total; i++) {
    // One session gets exactly 1,000 records spread over the whole log; the rest go round-robin.
    const sid = i % 1000 === 0 ? 'the-long-session' : sidOf(i % sessions);
    batch.push(i % 3 === 0 ? response(sid, i) : request(sid, i));
    if (batch.length === 10_000) await log.append(batch.splice(0));
  }
  const stats = log.stats();
  await log.close();
  console.log(`wrote ${stats.records.toLocaleString('en')} records (${stats.segments} segments) in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
}

/** Runs in a fresh process so RSS is the open's, not the writer's. */
async function measureOpen(dir: string): Promise<void> {
  const rssBefore = process.memoryUsage().rss;
  const startedAt = performance.now();
  const log = await openEmbeddedLog({ dir, logger: quiet });
  const openMs = performance.now() - startedAt;
  const stats = log.stats();
  const rss = process.memoryUsage().rss;
  console.log(`open ${stats.records.toLocaleString('en')} records / ${stats.sessions.toLocaleString('en')} sessions: ${openMs.toFixed(0)} ms; RSS ${(rss / 1048576).toFixed(0)} MB after open (${(rssBefore / 1048576).toFixed(0)} MB before); index ${(stats.indexBytes / 1048576).toFixed(1)} MB`);
  for (let run = 0; run < 3; run++) {
    const t = performance.now();
    let count = 0;
    let longestChunkMs = 0;
    let chunkStart = performance.now();
    for await (const chunk of log.readSession('the-long-session')) {
      count += chunk.length;
      longestChunkMs = Math.max(longestChunkMs, performance.now() - chunkStart);
      chunkStart = performance.now();
    }
    console.log(`readSession of a ${count}-record session spread over the log (run ${run + 1}): ${(performance.now() - t).toFixed(1)} ms, slowest 256-record chunk ${longestChunkMs.toFixed(1)} ms`);
  }
  await log.close();
}

if (process.argv[2] === '--measure-open') {
  await measureOpen(process.argv[3]);
} else {
  const root = mkdtempSync(join(tmpdir(), 'stream-bench-'));
  try {
    console.log('Embedded log benchmark (noisy on a shared 2-core machine)');
    await benchAppend(join(root, 'append'));
    await buildBigLog(join(root, 'big'));
    execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--measure-open', join(root, 'big')], { stdio: 'inherit' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
