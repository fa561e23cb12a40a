import { describe, expect, it } from 'vitest';
import type { Flow } from '../../../runtime/flow/types.ts';
import type { CommandOutcome } from './registry.ts';
import { editStepTextCommand, nameFromWords, type StepTextField } from './stepNameCommand.ts';

const flow: Flow = {
  states: [
    { name: 'message', state: { sendRequest: { kind: 'BotText', content: 'New message' }, next: 'question' } },
    { name: 'question', state: { sendRequest: { kind: 'ChoiceRequest', groupId: 'g', question: 'What would you like?', choices: [{ itemId: 'a', content: 'A' }] } } },
    { name: 'whatWouldYouLike', state: { sendRequest: { kind: 'BotText', content: 'taken' } } },
    { name: 'openChat', state: { sendRequest: { kind: 'StartChatSession', sessionId: 'chat', chatPrompt: 'Type here...' } } },
  ],
};
const edit = (name: string, field: StepTextField, value: string, savedNames: string[] = []): CommandOutcome =>
  editStepTextCommand.perform({ flow, positions: { message: { x: 1, y: 2 } }, selection: [name] }, { name, index: 0, field, value, savedNames });
const names = (outcome: CommandOutcome) => (outcome && 'flow' in outcome ? outcome.flow.states.map((s) => s.name) : outcome);

describe('step names from their text', () => {
  it('takes the first words in camelCase, without tags or accents, never starting with a digit', () => {
    expect(nameFromWords('Welcome to the café!')).toBe('welcomeToTheCafe');
    expect(nameFromWords('<b>One</b> espresso, coming up!')).toBe('oneEspressoComingUp');
    expect(nameFromWords('2 shots please')).toBe('step2ShotsPlease');
    expect(nameFromWords('?!')).toBe('');
  });

  it('renames the step with its text in one edit: links, position and selection follow, the name is free', () => {
    const renamed = edit('message', 'content', 'Welcome to the café!');
    expect(names(renamed)).toEqual(['welcomeToTheCafe', 'question', 'whatWouldYouLike', 'openChat']);
    expect(renamed && 'flow' in renamed && renamed.flow.states[0].state.sendRequest).toEqual({ kind: 'BotText', content: 'Welcome to the café!' });
    expect(renamed && 'flow' in renamed && renamed.positions).toEqual({ welcomeToTheCafe: { x: 1, y: 2 } });
    expect(renamed && 'flow' in renamed && renamed.selection).toEqual(['welcomeToTheCafe']);
    const taken = edit('question', 'question', 'What would you like today?');
    expect(taken && 'flow' in taken && taken.flow.states[0].state.next).toBe('whatWouldYouLike2');
    // A chat is named after what it says, else its prompt.
    expect(names(edit('openChat', 'chatPrompt', 'Your order'))).toContain('yourOrder');
  });

  it('keeps a name in the saved file, one already from the text, and one the text gives nothing for; edits the text anyway', () => {
    const saved = edit('message', 'content', 'Welcome!', ['message']);
    expect(names(saved)).toEqual(['message', 'question', 'whatWouldYouLike', 'openChat']);
    expect(saved && 'flow' in saved && saved.flow.states[0].state.sendRequest).toEqual({ kind: 'BotText', content: 'Welcome!' });
    expect(names(edit('whatWouldYouLike', 'content', 'What would you like?'))).toEqual(['message', 'question', 'whatWouldYouLike', 'openChat']);
    expect(names(edit('message', 'content', '…'))).toEqual(['message', 'question', 'whatWouldYouLike', 'openChat']);
  });

  it('coalesces typing in one field of one step, across the renames it makes', () => {
    const key = (name: string) => editStepTextCommand.coalesce!({ name, index: 3, field: 'content', value: '', savedNames: [] });
    expect(key('w')).toBe(key('welcome'));
  });
});
