import { describe, expect, it } from 'vitest';
import { compileFlow } from '../flow/compileFlow.ts';
import { runConversationTest } from '../flow/runConversationTest.ts';
import { articleFlow } from '../testing/testFlows.ts';
import type { TranscriptEntry } from './historyTypes.ts';
import { transcriptToTest } from './transcriptToTest.ts';

const compiled = compileFlow(articleFlow());
let offset = 0;
const at = (kind: TranscriptEntry['kind'], message?: unknown, state?: string): TranscriptEntry => ({ offset: offset++, timestamp: '2024-05-01T10:00:00.000', kind, ...(message ? { message: message as TranscriptEntry['message'] } : {}), ...(state ? { state } : {}) });
const greeting = { kind: 'BotText', content: "Hi, I'm Bot! Nice to meet you." };
const langs = { kind: 'ChoiceRequest', groupId: 'lang', question: 'What programming language do you use in your hobby projects?', choices: [{ itemId: 'rust', content: 'Rust' }, { itemId: 'go', content: 'Go' }, { itemId: 'other', content: 'Other' }] };
const others = { kind: 'ChoiceRequest', groupId: 'others', question: 'Any other?', choices: [{ itemId: 'yes', content: 'Yes' }, { itemId: 'no', content: 'No' }] };

describe('transcriptToTest', () => {
  it('turns a clicked-through conversation into a test that passes on the flow it was recorded on', () => {
    const entries = [
      at('start'), at('request', greeting, 'greetings'), at('request', langs, 'langChoices'),
      at('response', { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'other' }),
      at('request', { kind: 'StartChatSession', sessionId: 'langPreference', chatPrompt: 'Type your preferred language here...' }, 'startLangPrefSession'),
      at('response', { kind: 'UserText', sessionId: 'langPreference', content: 'Zig' }),
      at('request', { kind: 'EndChatSession', sessionId: 'langPreference' }, 'endLangPrefSession'), at('request', others, 'anyOtherChoices'),
    ];
    const result = transcriptToTest(entries, 'Zig fan', compiled);
    if (!result.ok) throw new Error(result.message);
    expect(result.test).toEqual({
      name: 'Zig fan',
      turns: [
        { bot: [{ kind: 'BotText', content: "Hi, I'm Bot! Nice to meet you." }, { kind: 'ChoiceRequest', question: langs.question, choices: ['Rust', 'Go', 'Other'] }] },
        { pick: 'Other', bot: [{ kind: 'StartChatSession', chatPrompt: 'Type your preferred language here...' }] },
        { type: 'Zig', bot: [{ kind: 'EndChatSession' }, { kind: 'ChoiceRequest', question: 'Any other?', choices: ['Yes', 'No'] }] },
      ],
    });
    expect(runConversationTest(compiled, result.test).passed).toBe(true);
  });

  it('keeps the last conversation after a reset, and a start state when the preview started elsewhere', () => {
    const entries = [
      at('start'), at('request', greeting, 'greetings'), at('reset'),
      at('start'), at('request', others, 'anyOtherChoices'), at('response', { kind: 'ChoiceResponse', groupId: 'others', itemId: 'no' }), at('request', { kind: 'BotText', content: 'Great, thanks!' }, 'done'),
    ];
    const result = transcriptToTest(entries, 'From the middle', compiled);
    if (!result.ok) throw new Error(result.message);
    expect(result.test.start).toBe('anyOtherChoices');
    expect(result.test.turns.map((t) => t.pick ?? null)).toEqual([null, 'No']);
    expect(runConversationTest(compiled, result.test).passed).toBe(true);
  });

  it('says why when there is nothing to save', () => {
    expect(transcriptToTest([], 'x', compiled)).toEqual({ ok: false, message: 'This session has no start: there is no conversation to save as a test.' });
    expect(transcriptToTest([at('start')], 'x', compiled)).toEqual({ ok: false, message: 'The bot said nothing in this session yet: there is nothing to test.' });
  });
});
