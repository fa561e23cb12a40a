import { describe, expect, it } from 'vitest';
import { addState, duplicateStates, removeStates, setStart, uniqueStateName, updateState, type FlowEditResult } from './editFlow.ts';
import { articleFlow, flowOf } from '../testing/testFlows.ts';
import type { Flow } from './types.ts';

function applied(result: FlowEditResult): Flow {
  if (!result.ok) throw new Error(result.message);
  return result.flow;
}
const names = (flow: Flow) => flow.states.map((s) => s.name);

describe('addState', () => {
  it('appends by default, inserts at an index, and keeps the other states', () => {
    const flow = flowOf({ a: {}, b: {} });
    expect(names(applied(addState(flow, 'c')))).toEqual(['a', 'b', 'c']);
    const inserted = applied(addState(flow, 'x', { sendRequest: { kind: 'BotText', content: 'hi' } }, 1));
    expect(names(inserted)).toEqual(['a', 'x', 'b']);
    expect(inserted.states[0]).toBe(flow.states[0]);
    expect(names(flow)).toEqual(['a', 'b']);
  });

  it('refuses empty and taken names', () => {
    const flow = flowOf({ a: {} });
    expect(addState(flow, '')).toMatchObject({ ok: false, message: expect.stringContaining('empty') });
    expect(addState(flow, 'a')).toMatchObject({ ok: false, message: expect.stringContaining('"a" already exists') });
  });
});

describe('uniqueStateName', () => {
  it('numbers a taken name', () => {
    const flow = flowOf({ step: {}, step2: {} });
    expect(uniqueStateName(flow, 'other')).toBe('other');
    expect(uniqueStateName(flow, 'step')).toBe('step3');
  });
});

describe('removeStates', () => {
  it('removes states, clears next that pointed at them, and says which', () => {
    const flow = articleFlow();
    const result = removeStates(flow, ['anyOtherChoices', 'ghost']);
    expect(result.removed).toEqual(['anyOtherChoices']);
    expect(result.clearedNext).toEqual(['langChoiceRust', 'langChoiceGo', 'endLangPrefSession']);
    const rust = result.flow.states.find((s) => s.name === 'langChoiceRust');
    expect(rust?.state).toEqual({ matchResponse: { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust' } });
    expect(result.flow.states[0]).toBe(flow.states[0]);
    expect(flow.states.find((s) => s.name === 'langChoiceRust')?.state.next).toBe('anyOtherChoices');
  });

  it('returns the same flow when nothing is removed', () => {
    const flow = articleFlow();
    expect(removeStates(flow, ['ghost']).flow).toBe(flow);
  });
});

describe('setStart', () => {
  it('moves the state to the top, the others keep their order', () => {
    const flow = flowOf({ a: {}, b: {}, c: {} });
    expect(names(applied(setStart(flow, 'c')))).toEqual(['c', 'a', 'b']);
    expect(applied(setStart(flow, 'a'))).toBe(flow);
    expect(setStart(flow, 'z')).toMatchObject({ ok: false, message: 'No state named "z".' });
  });
});

describe('duplicateStates', () => {
  it('inserts copies after their originals with unique names, relinking next inside the copied group', () => {
    const flow = flowOf({ a: { next: 'b' }, b: { next: 'c' }, c: {}, bCopy: {} });
    const { flow: after, copies } = duplicateStates(flow, ['a', 'b']);
    expect(names(after)).toEqual(['a', 'aCopy', 'b', 'bCopy2', 'c', 'bCopy']);
    expect(copies).toEqual(new Map([['a', 'aCopy'], ['b', 'bCopy2']]));
    expect(after.states[1].state).toEqual({ next: 'bCopy2' });
    expect(after.states[3].state).toEqual({ next: 'c' });
    expect(after.states[0]).toBe(flow.states[0]);
  });

  it('copies deeply, so the copy shares nothing with the original', () => {
    const flow = articleFlow();
    const { flow: after } = duplicateStates(flow, ['langChoices']);
    const copy = after.states.find((s) => s.name === 'langChoicesCopy');
    expect(copy?.state).toEqual(flow.states[1].state);
    expect(copy?.state.sendRequest).not.toBe(flow.states[1].state.sendRequest);
  });
});

describe('updateState', () => {
  it('replaces or computes a body, keeping other states', () => {
    const flow = articleFlow();
    const after = applied(updateState(flow, 'done', (s) => ({ ...s, next: 'greetings' })));
    expect(after.states[11].state.next).toBe('greetings');
    expect(after.states[0]).toBe(flow.states[0]);
    expect(flow.states[11].state.next).toBeUndefined();
    expect(applied(updateState(flow, 'done', (s) => s))).toBe(flow);
    expect(updateState(flow, 'ghost', {})).toMatchObject({ ok: false });
  });
});
