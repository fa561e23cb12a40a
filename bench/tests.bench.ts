/**
 * Conversation-test figures: `npm run bench:tests`
 * - 1,000 tests of 20 turns each on a generated 2,000-state flow, all run on the pure engine
 *   (target < 1 s);
 * - the studio's re-run after one edit: the document store applies an inspector edit, then what the
 *   Tests tab's runner does on a new flow (compile, run every test) (target < 100 ms);
 * - replaying 100,000 recorded sessions (an embedded log in a temp dir, indexed once) against a
 *   draft that reroutes one answer, as `bot-assistant test --replay-sessions` does (target < 5 s).
 * Medians of 5 (3 for the replay). Figures on a shared machine are noisy: the load is printed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFlowText } from '../runtime/flow/checkFlowText.ts';
import { compileFlow, type CompiledFlow } from '../runtime/flow/compileFlow.ts';
import type { ConversationTest, ConversationTestsFile, TestTurn } from '../runtime/flow/conversationTestTypes.ts';
import { updateState } from '../runtime/flow/editFlow.ts';
import { flowHash } from '../runtime/flow/flowHash.ts';
import { expectationOf } from '../runtime/flow/matchExpectation.ts';
import { emptyPending } from '../runtime/flow/pendingState.ts';
import { rerunConversationTests, type TestRun } from '../runtime/flow/rerunConversationTests.ts';
import { runConversationTests } from '../runtime/flow/runConversationTest.ts';
import { stepSession } from '../runtime/flow/stepSession.ts';
import type { Flow } from '../runtime/flow/types.ts';
import { findRoutingChanges } from '../runtime/history/findRoutingChanges.ts';
import { sendersOf } from '../runtime/history/replaySession.ts';
import { SessionCatalog } from '../runtime/history/SessionCatalog.ts';
import { openEmbeddedLog } from '../runtime/stream/EmbeddedLog.ts';
import type { StreamRecord } from '../runtime/stream/messageStream.ts';
import { createDocumentStore } from '../renderer/src/store/createDocumentStore.ts';

const ROUNDS = 500; // 4 states each: 2,000 states
const TESTS = 1000;
const TURNS = 20;
const SESSIONS = 100_000;
const quiet = { info: () => {}, warn: (message: string) => console.warn(message) };

/** Rounds of message → question (A or B) → one answer state per choice; A goes on, B jumps ahead. */
function generateFlow(): string {
  const flow: Record<string, unknown> = {};
  for (let r = 0; r < ROUNDS; r++) {
    flow[`say${r}`] = { sendRequest: { kind: 'BotText', content: `Message number ${r}` }, next: `ask${r}` };
    flow[`ask${r}`] = { sendRequest: { kind: 'ChoiceRequest', groupId: `g${r}`, question: `Question ${r}?`, choices: [{ itemId: 'a', content: 'A' }, { itemId: 'b', content: 'B' }] } };
    flow[`ans${r}a`] = { matchResponse: { kind: 'ChoiceResponse', groupId: `g${r}`, itemId: 'a' }, next: `say${(r + 1) % ROUNDS}` };
    flow[`ans${r}b`] = { matchResponse: { kind: 'ChoiceResponse', groupId: `g${r}`, itemId: 'b' }, next: `say${(r * 7 + 3) % ROUNDS}` };
  }
  return `${JSON.stringify(flow, null, 4)}\n`;
}

/** A test clicked through the flow: starts at a round, picks A or B 19 times; expectations exact. */
function generateTest(compiled: CompiledFlow, n: number): ConversationTest {
  let seed = n * 2654435761 + 7;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const start = `say${(n * 37) % ROUNDS}`;
  const turns: TestTurn[] = [];
  let pending = emptyPending();
  let pick: 'A' | 'B' | null = null;
  for (let t = 0; t < TURNS; t++) {
    const group = pending.choiceGroups[pending.choiceGroups.length - 1];
    const event = pick === null ? ({ kind: 'start', at: start } as const) : ({ kind: 'response', response: { kind: 'ChoiceResponse', groupId: group, itemId: pick.toLowerCase() } } as const);
    const step = stepSession(compiled, pending, event);
    if (!step.ok) throw new Error(step.message);
    turns.push({ ...(pick === null ? {} : { pick }), bot: step.requests.map(expectationOf) });
    pending = step.pending;
    pick = random() < 0.7 ? 'A' : 'B';
  }
  return { name: `test ${n}`, start, turns };
}

function timeIt(runs: number, run: () => unknown): { median: number; all: number[] } {
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    run();
    all.push(performance.now() - t0);
  }
  const sorted = [...all].sort((a, b) => a - b);
  return { median: sorted[Math.floor(runs / 2)], all };
}

function report(label: string, result: { median: number; all: number[] }, target: string): void {
  console.log(`${label.padEnd(60)} ${result.median.toFixed(1).padStart(8)} ms   (target ${target})   [${result.all.map((t) => t.toFixed(1)).join(', ')}]`);
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`load average at start: ${load()}`);

// ---- 1,000 tests of 20 turns on 2,000 states ----
const flowText = generateFlow();
const flow = checkFlowText(flowText).flow!;
const compiled = compileFlow(flow);
const file: ConversationTestsFile = { tests: Array.from({ length: TESTS }, (_, n) => generateTest(compiled, n)) };
const messages = file.tests.reduce((sum, test) => sum + test.turns.reduce((s, turn) => s + turn.bot.length, 0), 0);
console.log(`flow: ${compiled.states.size} states; ${TESTS} tests of ${TURNS} turns (${messages.toLocaleString('en')} expected messages)`);
const first = runConversationTests(compiled, file);
if (first.failed !== 0) throw new Error(`generated tests should pass, ${first.failed} failed: ${first.results.find((r) => !r.passed)?.failure?.reason}`);
console.log(`all pass; ${first.unreached.length} states no test reaches`);
report(`run all ${TESTS} tests`, timeIt(5, () => runConversationTests(compiled, file)), '< 1 s');

// ---- the studio's re-run after one edit ----
// What the Tests tab does (useTestRunner): compile the new flow, re-run the tests the edit can affect.
const store = createDocumentStore({ ref: null, displayName: 'bench.json', text: flowText, positions: {} });
const baseline: TestRun = rerunConversationTests(compileFlow(store.getState().flow), file, null);
let run = baseline;
let edits = 0;
const editOnce = (state: string) => {
  const content = `Message ${state}, edited ${++edits}`;
  const edited = updateState(store.getState().flow, state, (body) => ({ ...body, sendRequest: { kind: 'BotText', content } }));
  if (!edited.ok) throw new Error(edited.message);
  store.getState().applyEdit({ flow: edited.flow }, 'Edit message');
};
report('studio: applying one inspector edit (document store)', timeIt(5, () => (editOnce('say100'), store.getState().undo())), 'not part of the re-run');
report('studio: compile the edited flow (2,000 states)', timeIt(5, () => compileFlow(store.getState().flow)), 'part of the re-run');
// Each sample: one edit to a message on the all-passing draft (not timed), the re-run (timed), then undo.
const rerunTimes: number[] = [];
for (let sample = 0; sample < 7; sample++) {
  editOnce(`say${(sample * 97) % ROUNDS}`);
  const t0 = performance.now();
  run = rerunConversationTests(compileFlow(store.getState().flow), file, baseline);
  rerunTimes.push(performance.now() - t0);
  store.getState().undo();
}
report('studio: re-run after one edit (compile + affected tests)', { median: [...rerunTimes].sort((a, b) => a - b)[3], all: rerunTimes }, '< 100 ms');
console.log(`the last edit re-ran ${run.ran} of ${TESTS} tests (those through the edited message); ${run.summary.failed} fail`);
report('studio: re-run everything (for comparison)', timeIt(5, () => rerunConversationTests(compileFlow(store.getState().flow), file, null)), '-');

// ---- replaying 100,000 recorded sessions against a draft ----
const article = readFileSync(new URL('../state-machines/bot-assistant.json', import.meta.url), 'utf8');
const articleFlow = checkFlowText(article).flow!;
const articleCompiled = compileFlow(articleFlow);
const articleHash = flowHash(articleFlow);

/** One visitor's session of the article flow, recorded as the runtime writes it. */
function session(n: number): StreamRecord[] {
  const sid = `visitor-${String(n).padStart(6, '0')}`;
  const timestamp = `2024-05-${String(1 + (n % 28)).padStart(2, '0')}T10:00:00.000`;
  const lang = ['rust', 'go', 'other'][n % 3];
  const answers: object[] = [{ kind: 'ChoiceResponse', groupId: 'lang', itemId: lang }];
  if (lang === 'other') answers.push({ kind: 'UserText', sessionId: 'langPreference', content: `Zig ${n}` });
  answers.push({ kind: 'ChoiceResponse', groupId: 'others', itemId: 'no' });
  const records: StreamRecord[] = [];
  let pending = emptyPending();
  for (const answer of [null, ...answers]) {
    const step = stepSession(articleCompiled, pending, answer === null ? { kind: 'start' } : { kind: 'response', response: answer as { kind: string } });
    if (!step.ok) throw new Error(step.message);
    records.push(answer === null ? { sid, timestamp, flowHash: articleHash } : { sid, payload: { kind: 'Response', message: answer as { kind: string } }, timestamp });
    const senders = sendersOf(articleCompiled, step.visited);
    step.requests.forEach((message, i) => records.push({ sid, payload: { kind: 'Request', message }, timestamp, state: senders[i] }));
    pending = step.pending;
  }
  return records;
}

const dir = mkdtempSync(join(tmpdir(), 'tests-bench-'));
try {
  let t0 = performance.now();
  const log = await openEmbeddedLog({ dir, logger: quiet });
  let batch: StreamRecord[] = [];
  let written = 0;
  for (let n = 0; n < SESSIONS; n++) {
    batch.push(...session(n));
    if (batch.length >= 50_000) {
      written += (await log.append(batch)).length;
      batch = [];
    }
  }
  written += (await log.append(batch)).length;
  console.log(`recorded ${SESSIONS.toLocaleString('en')} sessions (${written.toLocaleString('en')} records) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  t0 = performance.now();
  const catalog = await SessionCatalog.open(log);
  console.log(`indexed them in ${((performance.now() - t0) / 1000).toFixed(1)} s (once per command run; not part of the replay figure)`);
  const draft = JSON.parse(article);
  draft.langChoiceGo.next = 'done';
  const draftCompiled = compileFlow(checkFlowText(JSON.stringify(draft, null, 4)).flow as Flow);
  let changes = findRoutingChanges(catalog, draftCompiled);
  report(`replay ${SESSIONS.toLocaleString('en')} sessions against the draft`, timeIt(3, () => (changes = findRoutingChanges(catalog, draftCompiled, { kind: 'real' }))), '< 5 s');
  console.log(`${changes.changed.toLocaleString('en')} of ${changes.sessions.toLocaleString('en')} would go another way; largest group: ${changes.groups[0]?.count} at step ${changes.groups[0]?.step}: ${changes.groups[0]?.reason}`);
  catalog.close();
  await log.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`load average at end: ${load()}`);
