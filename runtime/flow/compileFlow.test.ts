import { describe, expect, it } from 'vitest';
import { choiceMatchersFor, compileFlow, textMatchersFor } from './compileFlow.ts';
import { articleFlow, flowOf } from '../testing/testFlows.ts';
import type { Flow } from './types.ts';

describe('compileFlow', () => {
  it('indexes the article flow: initial state, states, matchers', () => {
    const compiled = compileFlow(articleFlow());
    expect(compiled.initial).toBe('greetings');
    expect([...compiled.states.keys()]).toHaveLength(12);
    expect(choiceMatchersFor(compiled, 'lang', 'go').map((m) => m.state)).toEqual(['langChoiceGo']);
    expect(choiceMatchersFor(compiled, 'others', 'no').map((m) => m.state)).toEqual(['anyOtherNo']);
    expect(choiceMatchersFor(compiled, 'lang', 'no')).toEqual([]);
    expect(textMatchersFor(compiled, 'langPreference').map((m) => m.state)).toEqual(['getLangPrefResponse']);
  });

  it('lists every matching state in file order, with == filtering inside a bucket', () => {
    const compiled = compileFlow(flowOf({
      a: { matchResponse: { kind: 'ChoiceResponse', groupId: 1, itemId: '1.0' } },
      b: { matchResponse: { kind: 'ChoiceResponse', groupId: '1', itemId: 1 } },
      c: { matchResponse: { kind: 'ChoiceResponse', groupId: 1, itemId: '1' } },
    }));
    expect(choiceMatchersFor(compiled, 1, 1).map((m) => m.state)).toEqual(['a', 'b', 'c']);
    expect(choiceMatchersFor(compiled, '1', '1').map((m) => m.state)).toEqual(['b', 'c']);
  });

  it('keeps a duplicated name at its first position with its last body (as JSON.parse did)', () => {
    const flow: Flow = {
      states: [
        { name: 'x', state: { next: 'first' } },
        { name: 'y', state: {} },
        { name: 'x', state: { next: 'last' } },
      ],
    };
    const compiled = compileFlow(flow);
    expect(compiled.initial).toBe('x');
    expect(compiled.states.get('x')).toEqual({ next: 'last' });
  });

  it('does not throw on bad shapes, and leaves them out of the indexes', () => {
    const flow = {
      states: [
        null,
        { name: 5, state: {} },
        { name: 'nullState', state: null },
        { name: 'arrayState', state: [] },
        { name: 'badMatch', state: { matchResponse: 'ChoiceResponse' } },
        { name: 'noIds', state: { matchResponse: { kind: 'ChoiceResponse', groupId: {} } } },
        { name: 'badSession', state: { matchResponse: { kind: 'UserText', sessionId: true } } },
        { name: 'fine', state: { matchResponse: { kind: 'UserText', sessionId: 's' } } },
      ],
    } as unknown as Flow;
    const compiled = compileFlow(flow);
    expect(compiled.initial).toBe('nullState');
    expect(compiled.choiceMatchers.size).toBe(0);
    expect(textMatchersFor(compiled, 's').map((m) => m.state)).toEqual(['fine']);
    expect(compileFlow({} as Flow).initial).toBeUndefined();
  });
});
