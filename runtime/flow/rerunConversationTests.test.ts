import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFlowText } from './checkFlowText.ts';
import { compileFlow } from './compileFlow.ts';
import type { ConversationTestsFile } from './conversationTestTypes.ts';
import { addState, removeStates, updateState } from './editFlow.ts';
import { rerunConversationTests } from './rerunConversationTests.ts';
import { runConversationTests } from './runConversationTest.ts';
import { serializeFlow } from './serializeFlow.ts';
import { articleFlow } from '../testing/testFlows.ts';
import type { Flow } from './types.ts';

const start = { bot: [{ kind: 'BotText', content: "Hi, I'm Bot! Nice to meet you." }, { kind: 'ChoiceRequest', question: { contains: 'language' } }] } as const;
const file = {
  tests: [
    { name: 'rust', turns: [start, { pick: 'Rust', bot: [{ kind: 'ChoiceRequest', question: 'Any other?' }] }, { pick: 'No', bot: [{ kind: 'BotText', content: 'Great, thanks!' }] }] },
    { name: 'other', turns: [start, { pick: 'Other', bot: [{ kind: 'StartChatSession' }] }, { type: 'Zig', bot: [{ kind: 'EndChatSession' }, { kind: 'ChoiceRequest', question: 'Any other?' }] }] },
  ],
} as unknown as ConversationTestsFile;

function edited(flow: Flow, result: { ok: true; flow: Flow } | { ok: false; message: string }): Flow {
  if (!result.ok) throw new Error(result.message);
  return result.flow;
}

describe('rerunConversationTests', () => {
  const flow = articleFlow();
  const first = rerunConversationTests(compileFlow(flow), file, null);

  it('runs every test the first time', () => {
    expect(first.ran).toBe(2);
    expect(first.summary.results.map((r) => r.passed)).toEqual([true, true]);
  });

  it('keeps the results of tests whose states the edit did not touch, and runs the others', () => {
    const next = edited(flow, updateState(flow, 'getLangPrefResponse', (s) => ({ ...s, note: 'x' })));
    const run = rerunConversationTests(compileFlow(next), file, first);
    expect(run.ran).toBe(1);
    expect(run.summary.results[0]).toBe(first.summary.results[0]);
    expect(run.summary.results[1]).not.toBe(first.summary.results[1]);
    const broken = edited(flow, updateState(flow, 'done', (s) => ({ ...s, sendRequest: { kind: 'BotText', content: 'Bye' } })));
    const rerun = rerunConversationTests(compileFlow(broken), file, first);
    expect(rerun.ran).toBe(1);
    expect(rerun.summary.results.map((r) => r.passed)).toEqual([false, true]);
    expect(rerun.summary.failed).toBe(1);
  });

  it('notices a new state that answers a choice first (shadowing the old one) though no visited state changed', () => {
    const shadow = edited(flow, addState(flow, 'newRust', { matchResponse: { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust' }, next: 'done' }, 1));
    const run = rerunConversationTests(compileFlow(shadow), file, first);
    expect(run.summary.results[0].passed).toBe(false);
    expect(run.summary.results.map((r) => r.passed)).toEqual(runConversationTests(compileFlow(shadow), file).results.map((r) => r.passed));
  });

  it('reuses results across a re-parse of the same text, and re-runs failing tests every time', () => {
    const reparsed = checkFlowText(serializeFlow(flow)).flow!;
    expect(rerunConversationTests(compileFlow(reparsed), file, first).ran).toBe(0);
    const broken = edited(flow, updateState(flow, 'done', (s) => ({ ...s, sendRequest: { kind: 'BotText', content: 'Bye' } })));
    const failing = rerunConversationTests(compileFlow(broken), file, first);
    expect(rerunConversationTests(compileFlow(broken), file, failing).ran).toBe(1);
  });

  it('runs a test again when the test itself changed', () => {
    const changed = { tests: [file.tests[0], { ...file.tests[1], name: 'renamed' }] };
    const run = rerunConversationTests(compileFlow(flow), changed, first);
    expect(run.ran).toBe(1);
    expect(run.summary.results[1].name).toBe('renamed');
  });

  it('agrees with a full run after any sequence of edits (property)', () => {
    const names = flow.states.map((s) => s.name);
    const edit = fc.oneof(
      fc.record({ op: fc.constant('text' as const), state: fc.constantFrom(...names), text: fc.constantFrom('Great, thanks!', 'Bye', "Hi, I'm Bot! Nice to meet you.") }),
      fc.record({ op: fc.constant('next' as const), state: fc.constantFrom(...names), text: fc.constantFrom(...names) }),
      fc.record({ op: fc.constant('shadow' as const), state: fc.constantFrom('rust', 'go', 'other', 'no', 'yes'), text: fc.constantFrom(...names) }),
      fc.record({ op: fc.constant('remove' as const), state: fc.constantFrom(...names), text: fc.constant('') }),
    );
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 6 }), (edits) => {
        let current = flow;
        let run = first;
        edits.forEach((e, i) => {
          let next: Flow = current;
          // An edit of a state removed earlier in the sequence does nothing.
          const edited = (flow: Flow, result: { ok: true; flow: Flow } | { ok: false }) => (result.ok ? result.flow : flow);
          if (e.op === 'text') next = edited(current, updateState(current, e.state, (s) => (s.sendRequest?.kind === 'BotText' ? { ...s, sendRequest: { kind: 'BotText', content: e.text } } : s)));
          if (e.op === 'next') next = edited(current, updateState(current, e.state, (s) => ({ ...s, next: e.text })));
          if (e.op === 'remove') next = removeStates(current, [e.state]).flow;
          if (e.op === 'shadow') {
            const groupId = e.state === 'no' || e.state === 'yes' ? 'others' : 'lang';
            next = edited(current, addState(current, `shadow${i}`, { matchResponse: { kind: 'ChoiceResponse', groupId, itemId: e.state }, next: e.text }, 0));
          }
          const compiled = compileFlow(next);
          run = rerunConversationTests(compiled, file, run);
          const full = runConversationTests(compiled, file);
          expect(run.summary.results.map((r) => [r.passed, r.failure?.reason])).toEqual(full.results.map((r) => [r.passed, r.failure?.reason]));
          expect(run.summary.unreached).toEqual(full.unreached);
          current = next;
        });
      }),
      { numRuns: 150 },
    );
  });
});
