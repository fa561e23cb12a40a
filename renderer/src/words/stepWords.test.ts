import { describe, expect, it } from 'vitest';
import { checkFlowText } from '../../../runtime/flow/checkFlowText.ts';
import { shorten, stepWords } from './stepWords.ts';

const flow = checkFlowText(
  JSON.stringify({
    hi: { sendRequest: { kind: 'BotText', content: 'Welcome to <b>the café</b>!' }, next: 'ask' },
    ask: { sendRequest: { kind: 'ChoiceRequest', groupId: 'drink', question: 'What would you like today?', choices: [{ itemId: 1, content: 'Latte' }] } },
    latte: { matchResponse: { kind: 'ChoiceResponse', groupId: 'drink', itemId: '1' }, next: 'chat' },
    chat: { sendRequest: { kind: 'StartChatSession', sessionId: 's', chatPrompt: 'Tell us your name' } },
    typed: { matchResponse: { kind: 'UserText', sessionId: 's' } },
    empty: {},
  }),
).flow!;

describe('steps in words', () => {
  it('names each step by what the author wrote', () => {
    expect(stepWords(flow, 'hi')).toBe('Welcome to the café!');
    expect(stepWords(flow, 'ask')).toBe('What would you like today?');
    expect(stepWords(flow, 'latte')).toBe("When the user picks 'Latte'");
    expect(stepWords(flow, 'chat')).toBe('Tell us your name');
    expect(stepWords(flow, 'typed')).toBe('When the user types');
    expect(stepWords(flow, 'empty')).toBe('empty');
  });

  it('cuts long text on a word', () => {
    expect(shorten('one two three four five six seven eight nine ten eleven twelve', 30)).toBe('one two three four five six…');
  });
});
