import { describe, expect, it } from 'vitest';
import { runCommand } from '../commands/registry.ts';
import { editStepTextCommand } from '../commands/stepNameCommand.ts';
import { createDocumentStore } from '../store/createDocumentStore.ts';
import { plainProblem } from './plainProblems.ts';
import { runProblemFix } from './runProblemFix.ts';
import { clickedProblemNow, problemKey } from './sameProblem.ts';

// A question with three unanswered choices, as the coffee flow is before its answers are added.
const coffee = {
  hello: { sendRequest: { kind: 'BotText', content: 'Welcome!' }, next: 'question' },
  question: {
    sendRequest: {
      kind: 'ChoiceRequest',
      groupId: 'drink',
      question: 'What would you like?',
      choices: [
        { itemId: 'espresso', content: 'Espresso' },
        { itemId: 'latte', content: 'Latte' },
        { itemId: 'other', content: 'Something else' },
      ],
    },
  },
};

function open() {
  const store = createDocumentStore({ ref: null, displayName: 'coffee', text: JSON.stringify(coffee, null, 2) + '\n', positions: {} });
  /** The problems list as the panel renders it from the store as it is (validated or not). */
  const shown = () => {
    const { checkedFlow, diagnostics } = store.getState();
    return { checkedFlow, rows: diagnostics.map((d) => ({ d, label: plainProblem(d, checkedFlow).fix?.label })) };
  };
  /** What a click on the row labelled `label` of the `list` once shown does now, as the problems panel does it. */
  const clickFix = (list: ReturnType<typeof shown>, label: string) => {
    const row = list.rows.find((r) => r.label === label)!;
    const same = clickedProblemNow(store, row.d, list.checkedFlow);
    return same && plainProblem(same, store.getState().flow).fix;
  };
  return { store, shown, clickFix };
}

describe('the problem clicked in a list validated before the last edit', () => {
  it('is the one on the row, even when the rows above it are gone', () => {
    const { store, shown, clickFix } = open();
    const before = shown();
    expect(before.rows.map((r) => r.label)).toEqual(["Add a step for 'Espresso'", "Add a step for 'Latte'", "Add a step for 'Something else'"]);
    // Espresso is answered; validation waits 60 ms, so the list on screen still has its row.
    expect(runProblemFix(store, clickFix(before, "Add a step for 'Espresso'")!)).toBe(true);
    // (The row's index would now point at 'Something else', the row two below at nothing.)
    expect(clickFix(before, "Add a step for 'Latte'")?.label).toBe("Add a step for 'Latte'");
    expect(clickFix(before, "Add a step for 'Something else'")?.label).toBe("Add a step for 'Something else'");
  });

  it('follows its step through a rename that has not been validated yet', () => {
    const { store, shown, clickFix } = open();
    const before = shown();
    const renamed = runCommand(store, editStepTextCommand, { name: 'question', index: 1, field: 'question', value: 'What would you like today?', savedNames: [] });
    expect(renamed).toBe(true);
    expect(store.getState().flow.states.map((s) => s.name)).toEqual(['hello', 'whatWouldYouLike']);
    const fix = clickFix(before, "Add a step for 'Latte'");
    expect(fix).toMatchObject({ kind: 'addAnswerStep', source: 'whatWouldYouLike', label: "Add a step for 'Latte'" });
    expect(runProblemFix(store, fix!)).toBe(true);
    const answers = store.getState().flow.states.flatMap((s) => (s.state.matchResponse ? [s.state.matchResponse] : []));
    expect(answers).toEqual([expect.objectContaining({ kind: 'ChoiceResponse', itemId: 'latte' })]);
  });

  it('follows its step when the list was drawn after the rename but before its validation', () => {
    // The panel re-renders as soon as the flow changes; its rows are validated 60 ms later. The rows it
    // draws in between name the step as it was, and a click on one must still find it (the coffee
    // flow's e2e test caught "That problem is gone already" here).
    const { store, shown, clickFix } = open();
    runCommand(store, editStepTextCommand, { name: 'question', index: 1, field: 'question', value: 'What would you like today?', savedNames: [] });
    const between = shown();
    expect(store.getState().flow.states[1].name).toBe('whatWouldYouLike');
    expect(between.rows.map((r) => r.d.state)).toEqual(['question', 'question', 'question']);
    expect(between.rows.map((r) => r.label)).toEqual(["Add a step for 'Espresso'", "Add a step for 'Latte'", "Add a step for 'Something else'"]);
    const fix = clickFix(between, "Add a step for 'Something else'");
    expect(fix).toMatchObject({ kind: 'addAnswerStep', source: 'whatWouldYouLike' });
    expect(runProblemFix(store, fix!)).toBe(true);
  });

  it('is nothing once fixed, rather than another problem of the same kind', () => {
    const { store, shown, clickFix } = open();
    const before = shown();
    expect(runProblemFix(store, clickFix(before, "Add a step for 'Latte'")!)).toBe(true);
    expect(clickFix(before, "Add a step for 'Latte'")).toBeUndefined();
  });
});

describe('a problem row\'s key', () => {
  const keysOf = (store: ReturnType<typeof open>['store']) => {
    const { diagnostics, checkedFlow } = store.getState();
    return new Map(diagnostics.map((d) => [plainProblem(d, checkedFlow).fix?.label ?? d.code, problemKey(d, checkedFlow)]));
  };

  it('stays with its problem when the rows above it go, and through a rename', () => {
    const { store, shown, clickFix } = open();
    const before = keysOf(store);
    expect(new Set(before.values()).size).toBe(3);
    runProblemFix(store, clickFix(shown(), "Add a step for 'Espresso'")!);
    store.getState().validateNow();
    const after = keysOf(store);
    // Espresso's row is gone: Latte's row keeps its key (with index keys it took Espresso's, and a click landing then went to the wrong row).
    expect(after.has("Add a step for 'Espresso'")).toBe(false);
    expect(after.get("Add a step for 'Latte'")).toBe(before.get("Add a step for 'Latte'"));
    expect(after.get("Add a step for 'Something else'")).toBe(before.get("Add a step for 'Something else'"));
    runCommand(store, editStepTextCommand, { name: 'question', index: 1, field: 'question', value: 'What would you like today?', savedNames: [] });
    store.getState().validateNow();
    expect(store.getState().flow.states[1].name).toBe('whatWouldYouLike');
    expect(keysOf(store).get("Add a step for 'Latte'")).toBe(before.get("Add a step for 'Latte'"));
  });
});
