import { describe, expect, it } from 'vitest';
import { checkFlowText } from '../../../runtime/flow/checkFlowText.ts';
import { editChoiceTextCommand, idFromWords } from './choiceTextCommand.ts';
import type { CommandState } from './registry.ts';

const flow = checkFlowText(
  JSON.stringify({
    ask: { sendRequest: { kind: 'ChoiceRequest', groupId: 'drink', question: 'What would you like?', choices: [{ itemId: 'yes', content: 'Yes' }, { itemId: 'no', content: 'No' }] } },
    picked: { matchResponse: { kind: 'ChoiceResponse', groupId: 'drink', itemId: 'no' }, next: 'ask' },
  }),
).flow!;
const state: CommandState = { flow, positions: {}, selection: [] };
const applied = (outcome: ReturnType<typeof editChoiceTextCommand.perform>) => {
  if (!outcome || 'error' in outcome) throw new Error(JSON.stringify(outcome));
  return outcome.flow;
};

describe('editing a choice text', () => {
  it('derives the id from the words while it is not saved, matchers included', () => {
    const result = applied(editChoiceTextCommand.perform(state, { name: 'ask', index: 1, content: 'Café latte', savedIds: [] }));
    expect(JSON.stringify(result)).toContain('"itemId":"cafeLatte"');
    expect((result.states[1].state.matchResponse as { itemId: string }).itemId).toBe('cafeLatte');
    expect(JSON.stringify(result)).not.toContain('"no"');
  });

  it('keeps an id the saved file uses', () => {
    const result = applied(editChoiceTextCommand.perform(state, { name: 'ask', index: 1, content: 'Latte', savedIds: ['no'] }));
    expect((result.states[1].state.matchResponse as { itemId: string }).itemId).toBe('no');
  });

  it('never gives two choices one id', () => {
    const result = applied(editChoiceTextCommand.perform(state, { name: 'ask', index: 1, content: 'Yes', savedIds: [] }));
    expect((result.states[1].state.matchResponse as { itemId: string }).itemId).toBe('yes2');
  });

  it('makes ids from words', () => {
    expect(idFromWords('Something else')).toBe('somethingElse');
    expect(idFromWords('2 shots')).toBe('choice2Shots');
    expect(idFromWords('!!')).toBe('');
  });
});
