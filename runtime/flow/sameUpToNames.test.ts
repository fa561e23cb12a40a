import { describe, expect, it } from 'vitest';
import { renameState } from './renameState.ts';
import { sameUpToNames } from './sameUpToNames.ts';
import type { Flow } from './types.ts';

const flow: Flow = {
  states: [
    { name: 'message', state: { sendRequest: { kind: 'BotText', content: 'Hi' }, next: 'question' } },
    { name: 'question', state: { sendRequest: { kind: 'ChoiceRequest', groupId: 'g', question: 'Tea?', choices: [{ itemId: 'y', content: 'Yes' }] } } },
  ],
};

describe('flows that differ only in their state names', () => {
  it('are the same when steps are renamed with their links', () => {
    const renamed = renameState(flow, 'question', 'teaOrNot');
    expect(renamed.ok && sameUpToNames(flow, renamed.flow)).toBe(true);
  });

  it('differ when a text, an id or a link changes', () => {
    const text = structuredClone(flow);
    text.states[0].state.sendRequest = { kind: 'BotText', content: 'Hello' };
    expect(sameUpToNames(flow, text)).toBe(false);
    const unlinked = structuredClone(flow);
    delete unlinked.states[0].state.next;
    expect(sameUpToNames(flow, unlinked)).toBe(false);
    const reordered: Flow = { states: [flow.states[1], flow.states[0]] };
    expect(sameUpToNames(flow, reordered)).toBe(false);
  });
});
