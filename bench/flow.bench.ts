/**
 * `npm run bench:flow`: times the flow model on a 10,000-state flow that uses every kind.
 * Targets: parse+validate (checkFlowText) < 100 ms, serialize < 50 ms. Prints medians.
 */
import { checkFlowText } from '../runtime/flow/checkFlowText.ts';
import { serializeFlow } from '../runtime/flow/serializeFlow.ts';
import type { Flow, NamedState } from '../runtime/flow/types.ts';

const BLOCKS = 1_000;
const WARMUP = 3;
const RUNS = 7;

/** 1,000 blocks of 10 states: message, question with three answers, a chat, and links between blocks. */
function generateFlow(): Flow {
  const states: NamedState[] = [];
  const add = (name: string, state: NamedState['state']) => states.push({ name, state });
  for (let i = 0; i < BLOCKS; i++) {
    const following = i + 1 < BLOCKS ? { next: `intro${i + 1}` } : {};
    add(`intro${i}`, { sendRequest: { kind: 'BotText', content: `Step <b>${i}</b> of ${BLOCKS}.` }, next: `ask${i}` });
    add(`ask${i}`, {
      sendRequest: { kind: 'ChoiceRequest', groupId: `g${i}`, question: `Question ${i}?`, choices: [{ itemId: 1, content: 'One' }, { itemId: 2, content: 'Two' }, { itemId: 'skip', content: 'Skip' }] },
    });
    add(`pickOne${i}`, { matchResponse: { kind: 'ChoiceResponse', groupId: `g${i}`, itemId: 1 }, next: `info${i}` });
    add(`info${i}`, { sendRequest: { kind: 'BotText', content: `See <a href="https://example.com/${i}">the guide</a>.` }, next: `chat${i}` });
    add(`pickTwo${i}`, { matchResponse: { kind: 'ChoiceResponse', groupId: `g${i}`, itemId: 2 }, next: `chat${i}` });
    add(`pickSkip${i}`, { matchResponse: { kind: 'ChoiceResponse', groupId: `g${i}`, itemId: 'skip' }, ...following });
    add(`chat${i}`, { sendRequest: { kind: 'StartChatSession', sessionId: `s${i}`, chatPrompt: 'Type here...', chatText: 'Tell me more.' } });
    add(`typed${i}`, { matchResponse: { kind: 'UserText', sessionId: `s${i}` }, next: `end${i}` });
    add(`end${i}`, { sendRequest: { kind: 'EndChatSession', sessionId: `s${i}` }, next: `thanks${i}` });
    add(`thanks${i}`, { sendRequest: { kind: 'BotText', content: 'Thanks!' }, ...following });
  }
  return { states };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(run: () => unknown): number {
  for (let i = 0; i < WARMUP; i++) run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return median(times);
}

const flow = generateFlow();
const text = serializeFlow(flow);
const check = checkFlowText(text);
const problems = check.diagnostics.filter((d) => d.severity !== 'info');
if (problems.length > 0) {
  console.error(`The generated flow should be valid but has ${problems.length} problems, e.g. ${problems[0].code}: ${problems[0].message}`);
  process.exit(1);
}
if (serializeFlow(check.flow!, check.format) !== text) {
  console.error('The generated flow does not round-trip.');
  process.exit(1);
}

console.log(`flow: ${flow.states.length} states, ${(text.length / 1024 / 1024).toFixed(2)} MB of JSON, ${check.diagnostics.length} infos`);
const parseValidate = time(() => checkFlowText(text));
const serialize = time(() => serializeFlow(flow));
console.log(`parse+validate: ${parseValidate.toFixed(1)} ms (median of ${RUNS}; target < 100 ms)`);
console.log(`serialize: ${serialize.toFixed(1)} ms (median of ${RUNS}; target < 50 ms)`);
