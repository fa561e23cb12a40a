import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renameState } from './renameState.ts';
import { articleFlow, flowOf } from '../testing/testFlows.ts';
import type { Flow } from './types.ts';

function renamed(flow: Flow, from: string, to: string): Flow {
  const result = renameState(flow, from, to);
  if (!result.ok) throw new Error(result.message);
  return result.flow;
}

describe('renameState', () => {
  it('renames the state and every next that points to it', () => {
    const flow = articleFlow();
    const after = renamed(flow, 'anyOtherChoices', 'askAgain');
    const names = after.states.map((s) => s.name);
    expect(names[8]).toBe('askAgain');
    expect(names).not.toContain('anyOtherChoices');
    const pointing = after.states.filter((s) => s.state.next === 'askAgain').map((s) => s.name);
    expect(pointing).toEqual(['langChoiceRust', 'langChoiceGo', 'endLangPrefSession']);
    expect(after.states.some((s) => s.state.next === 'anyOtherChoices')).toBe(false);
  });

  it('keeps untouched states (and the renamed state\'s body) by identity, and never mutates the input', () => {
    const flow = articleFlow();
    const before = structuredClone(flow);
    const after = renamed(flow, 'anyOtherChoices', 'askAgain');
    expect(flow).toEqual(before);
    after.states.forEach((named, i) => {
      const touched = ['langChoiceRust', 'langChoiceGo', 'endLangPrefSession', 'askAgain'].includes(named.name);
      expect(named === flow.states[i], named.name).toBe(!touched);
    });
    expect(after.states[8].state).toBe(flow.states[8].state);
  });

  it('keeps the key order inside a state whose next changed', () => {
    const after = renamed(articleFlow(), 'anyOtherChoices', 'askAgain');
    expect(Object.keys(after.states[7].state)).toEqual(['sendRequest', 'next']);
  });

  it('follows a self-reference', () => {
    const after = renamed(flowOf({ a: { next: 'a' } }), 'a', 'b');
    expect(after.states).toEqual([{ name: 'b', state: { next: 'b' } }]);
  });

  it('refuses an empty name, a taken name, and a missing state, with a clear message', () => {
    const flow = articleFlow();
    for (const [from, to, text] of [
      ['greetings', '', 'empty'],
      ['greetings', '   ', 'empty'],
      ['greetings', 'done', 'already exists'],
      ['ghost', 'x', 'no state has that name'],
    ]) {
      const result = renameState(flow, from, to);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.message).toContain(text);
    }
  });

  it('renaming to the same name changes nothing', () => {
    const flow = articleFlow();
    expect(renameState(flow, 'done', 'done')).toEqual({ ok: true, flow });
  });

  it('renaming there and back gives an equal flow', () => {
    const flow = articleFlow();
    const names = flow.states.map((s) => s.name);
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.string({ minLength: 1 }), (from, to) => {
        fc.pre(to.trim() !== '' && !names.includes(to));
        const there = renamed(flow, from, to);
        expect(renamed(there, to, from)).toEqual(flow);
      }),
    );
  });
});
