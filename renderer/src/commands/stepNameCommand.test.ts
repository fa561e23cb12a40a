import { describe, expect, it } from 'vitest';
import type { Flow } from '../../../runtime/flow/types.ts';
import { followTextNameCommand, nameFromWords } from './stepNameCommand.ts';

const flow: Flow = {
  states: [
    { name: 'message', state: { sendRequest: { kind: 'BotText', content: 'Welcome to the café!' }, next: 'question' } },
    { name: 'question', state: { sendRequest: { kind: 'ChoiceRequest', groupId: 'g', question: 'What would you like today?', choices: [{ itemId: 'a', content: 'A' }] } } },
    { name: 'whatWouldYouLike', state: { sendRequest: { kind: 'BotText', content: 'taken' } } },
  ],
};
const run = (name: string, text: string, savedNames: string[] = []) => followTextNameCommand.perform({ flow, positions: { message: { x: 1, y: 2 } }, selection: [name] }, { name, text, savedNames });

describe('step names from their text', () => {
  it('takes the first words in camelCase, without tags or accents, never starting with a digit', () => {
    expect(nameFromWords('Welcome to the café!')).toBe('welcomeToTheCafe');
    expect(nameFromWords('<b>One</b> espresso, coming up!')).toBe('oneEspressoComingUp');
    expect(nameFromWords('2 shots please')).toBe('step2ShotsPlease');
    expect(nameFromWords('?!')).toBe('');
  });

  it('renames the step, its links, position and selection, and picks a free name', () => {
    const renamed = run('message', 'Welcome to the café!');
    expect(renamed && 'flow' in renamed && renamed.flow.states.map((s) => s.name)).toEqual(['welcomeToTheCafe', 'question', 'whatWouldYouLike']);
    expect(renamed && 'flow' in renamed && renamed.positions).toEqual({ welcomeToTheCafe: { x: 1, y: 2 } });
    expect(renamed && 'flow' in renamed && renamed.selection).toEqual(['welcomeToTheCafe']);
    const taken = run('question', 'What would you like today?');
    expect(taken && 'flow' in taken && taken.flow.states[0].state.next).toBe('whatWouldYouLike2');
  });

  it('keeps a name that is in the saved file, one already from the text, and one the text gives nothing for', () => {
    expect(run('message', 'Welcome to the café!', ['message'])).toBeNull();
    expect(run('whatWouldYouLike', 'What would you like?')).toBeNull();
    expect(run('message', '…')).toBeNull();
  });
});
