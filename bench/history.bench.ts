/**
 * Conversation-history figures: `npm run bench:history`
 * Writes 1,000,000 records over 10,000 sessions of the article's flow (tagged like the runtime
 * writes them, sessions interleaved; session 0 runs 1,000+ messages) into an embedded log in a temp
 * dir, then times (median of 3): indexing the log, the first page of sessions (plain, filtered, and
 * by what the user typed: one session in 50 types "refund"),
 * opening the 1,000-message transcript, and coverage over every session (cold, once indexed, and
 * after one new append).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFlowText } from '../runtime/flow/checkFlowText.ts';
import { compileFlow } from '../runtime/flow/compileFlow.ts';
import { flowHash } from '../runtime/flow/flowHash.ts';
import { emptyPending } from '../runtime/flow/pendingState.ts';
import { stepSession } from '../runtime/flow/stepSession.ts';
import { CoverageCalculator } from '../runtime/history/computeCoverage.ts';
import { querySessions } from '../runtime/history/querySessions.ts';
import { readTranscript } from '../runtime/history/readTranscript.ts';
import { sendersOf } from '../runtime/history/replaySession.ts';
import { MAX_TEXT_CHARS, SessionCatalog } from '../runtime/history/SessionCatalog.ts';
import { openEmbeddedLog } from '../runtime/stream/EmbeddedLog.ts';
import type { StreamRecord } from '../runtime/stream/messageStream.ts';

const TOTAL_RECORDS = 1_000_000;
const SESSIONS = 10_000;
const LONG_SESSION_RECORDS = 1_200;
const BATCH = 50_000;
const quiet = { info: () => {}, warn: (message: string) => console.warn(message) };

const flowText = readFileSync(new URL('../state-machines/bot-assistant.json', import.meta.url), 'utf8');
const flow = checkFlowText(flowText).flow!;
const compiled = compileFlow(flow);
const hash = flowHash(flow);

/** A deterministic pseudo-random walk through the article's flow: about `length` records. */
function* conversation(sid: number, length: number): Generator<StreamRecord> {
  let seed = sid * 2654435761 + 1;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const name = `sess-${String(sid).padStart(6, '0')}`;
  const day = 1 + (sid % 28);
  let second = sid % 3600;
  const stamp = () => `2024-04-${String(day).padStart(2, '0')}T${String(8 + Math.floor(second / 3600) % 12).padStart(2, '0')}:${String(Math.floor(second / 60) % 60).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}.000`;
  let pending = emptyPending();
  let produced = 0;
  let answer: object | null = null;
  for (;;) {
    const step = stepSession(compiled, pending, answer === null ? { kind: 'start' } : { kind: 'response', response: answer as { kind: string } });
    if (!step.ok) return;
    const timestamp = stamp();
    second += 7;
    yield answer === null ? { sid: name, timestamp, flowHash: hash, ...(sid % 5 === 0 ? { preview: true } : {}) } : { sid: name, payload: { kind: 'Response', message: answer as { kind: string } }, timestamp };
    const senders = sendersOf(compiled, step.visited);
    for (let i = 0; i < step.requests.length; i++) yield { sid: name, payload: { kind: 'Request', message: step.requests[i] }, timestamp, state: senders[i] };
    produced += 1 + step.requests.length;
    pending = step.pending;
    // Answers carry what the widget shows (the choice's label, the typed text), as the widget sends them.
    if (pending.chatSessions.length > 0) answer = { kind: 'UserText', sessionId: 'langPreference', content: sid % 50 === 7 ? 'I would like a refund for my order' : `Kotlin ${Math.floor(random() * 1000)}` };
    else if (pending.choiceGroups.includes('lang')) {
      const itemId = ['rust', 'go', 'other'][Math.floor(random() * 3)];
      answer = { kind: 'ChoiceResponse', groupId: 'lang', itemId, content: itemId === 'go' ? 'Go' : itemId === 'rust' ? 'Rust' : 'Other' };
    } else if (pending.choiceGroups.includes('others')) {
      const itemId = produced + 3 >= length ? 'no' : 'yes';
      answer = { kind: 'ChoiceResponse', groupId: 'others', itemId, content: itemId === 'no' ? 'No' : 'Yes' };
    }
    else return;
    // Some visitors leave midway.
    if (sid !== 0 && random() < 0.004) return;
  }
}

async function generate(dir: string): Promise<number> {
  const log = await openEmbeddedLog({ dir, logger: quiet });
  // A little over the average, so that visitors who leave early still leave enough records.
  const average = (TOTAL_RECORDS - LONG_SESSION_RECORDS) / (SESSIONS - 1);
  // Lengths from 0.35 to 2.05 times the average: short conversations end, the longest are still going at the cap.
  const walks = Array.from({ length: SESSIONS }, (_, sid) => conversation(sid, sid === 0 ? LONG_SESSION_RECORDS : Math.round(average * (0.35 + 1.7 * ((sid * 7919) % 1000) / 1000))));
  const perRound = (sid: number) => (sid === 0 ? 48 : 4);
  let written = 0;
  let batch: StreamRecord[] = [];
  let live = true;
  while (live && written + batch.length < TOTAL_RECORDS) {
    live = false;
    for (const [sid, walk] of walks.entries()) {
      // Interleave sessions a few records at a time, as concurrent visitors do.
      for (let i = 0; i < perRound(sid) && written + batch.length < TOTAL_RECORDS; i++) {
        const next = walk.next();
        if (next.done) break;
        batch.push(next.value);
        live = true;
      }
      if (batch.length >= BATCH) {
        written += (await log.append(batch)).length;
        batch = [];
      }
    }
  }
  if (batch.length) written += (await log.append(batch)).length;
  await log.close();
  return written;
}

async function median(label: string, run: () => unknown | Promise<unknown>, target?: string): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(52)} ${times[1].toFixed(1).padStart(9)} ms${target ? `   (target ${target})` : ''}   [${times.map((t) => t.toFixed(1)).join(', ')}]`);
}

const dir = mkdtempSync(join(tmpdir(), 'history-bench-'));
try {
  const t0 = performance.now();
  const written = await generate(dir);
  console.log(`generated ${written.toLocaleString('en')} records in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const log = await openEmbeddedLog({ dir, logger: quiet });
  console.log(`log: ${JSON.stringify(log.stats())}`);
  let catalog: SessionCatalog | undefined;
  await median('index the log (catalog from one read)', async () => {
    catalog?.close();
    catalog = await SessionCatalog.open(log);
  });
  const ready = catalog!;
  console.log(`catalog: ${ready.size.toLocaleString('en')} sessions; heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
  await median('list: first page of 50, newest first', () => querySessions(ready, { limit: 50 }), '< 300 ms');
  await median('list: filtered (text "anyOther", kind real, date range)', () => querySessions(ready, { query: 'anyOther', kind: 'real', from: '2024-04-03', to: '2024-04-20', limit: 50 }), '< 300 ms');
  let digest = 0;
  for (const entry of ready.all()) digest += entry.text.length;
  console.log(`text digests: ${(digest / 2 ** 20).toFixed(1)} M characters over ${ready.size.toLocaleString('en')} sessions (cap ${MAX_TEXT_CHARS} per session)`);
  const refunds = querySessions(ready, { query: 'refund', limit: 50 });
  console.log(`text "refund": ${refunds.total} sessions match`);
  await median('list: text filter "refund" (what users typed), first page', () => querySessions(ready, { query: 'refund', limit: 50 }), '< 300 ms');
  await median('list: text filter with no match (full scan)', () => querySessions(ready, { query: 'no such words anywhere', limit: 50 }), '< 300 ms');
  await median('coverage of the sessions text "refund" matches', () => new CoverageCalculator(ready).compute(flowText, { filter: { query: 'refund' } }), '< 2 s');
  const long = ready.get('sess-000000')!;
  console.log(`long session: ${long.messages} messages`);
  await median(`transcript of ${long.messages} messages`, () => readTranscript(log, long.sid), '< 100 ms');
  await median('coverage over all sessions, cold (new calculator)', () => new CoverageCalculator(ready).compute(flowText, 'all'), '< 2 s');
  const calculator = new CoverageCalculator(ready);
  const coverage = calculator.compute(flowText, 'all');
  console.log(`coverage: ${coverage.sessions} sessions, ${coverage.reachedEnd} reached the end, never visited: ${coverage.neverVisited.join(', ') || 'none'}`);
  await median('coverage over all sessions, indexed (same answer)', () => calculator.compute(flowText, 'all'), '< 200 ms');
  let n = 0;
  await median('coverage after one new append (one session replayed)', async () => {
    const before = ready.version;
    await log.append([{ sid: `late-${n++}`, timestamp: '2024-05-01T12:00:00.000', flowHash: hash }]);
    while (ready.version === before) await new Promise((resolve) => setImmediate(resolve));
    calculator.compute(flowText, 'all');
  }, '< 200 ms');
  ready.close();
  await log.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
