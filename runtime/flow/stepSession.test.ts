import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFlow } from './compileFlow.ts';
import { emptyPending, type PendingState } from './pendingState.ts';
import { stepSession, type StepEvent, type StepResult } from './stepSession.ts';
import { articleFlow, flowOf } from '../testing/testFlows.ts';

type Ok = Extract<StepResult, { ok: true }>;

function ok(result: StepResult): Ok {
  if (!result.ok) throw new Error(`step failed: ${result.code}: ${result.message}`);
  return result;
}

const choice = (groupId: unknown, itemId: unknown): StepEvent => ({ kind: 'response', response: { kind: 'ChoiceResponse', groupId, itemId } });
const userText = (sessionId: unknown, content = 'Zig'): StepEvent => ({ kind: 'response', response: { kind: 'UserText', sessionId, content } });

describe('stepSession on the article flow', () => {
  const compiled = compileFlow(articleFlow());

  it('starts with the greeting and the language question', () => {
    const start = ok(stepSession(compiled, emptyPending(), { kind: 'start' }));
    expect(start.visited).toEqual(['greetings', 'langChoices']);
    expect(start.requests.map((r) => r.kind)).toEqual(['BotText', 'ChoiceRequest']);
    expect(start.requests[0]).toEqual({ kind: 'BotText', content: "Hi, I'm Bot! Nice to meet you." });
    expect(start.requests[1]).toMatchObject({ groupId: 'lang', question: 'What programming language do you use in your hobby projects?' });
    expect(start.resumedAt).toBeUndefined();
    expect(start.pending).toEqual({ choiceGroups: ['lang'], chatSessions: [] });
  });

  it('passes the flow\'s own request objects to the user', () => {
    const start = ok(stepSession(compiled, emptyPending(), { kind: 'start' }));
    expect(start.requests[1]).toBe(compiled.states.get('langChoices')?.sendRequest);
  });

  it('answers "rust" with "Any other?"', () => {
    const start = ok(stepSession(compiled, emptyPending(), { kind: 'start' }));
    const rust = ok(stepSession(compiled, start.pending, choice('lang', 'rust')));
    expect(rust.resumedAt).toBe('langChoiceRust');
    expect(rust.visited).toEqual(['langChoiceRust', 'anyOtherChoices']);
    expect(rust.requests).toHaveLength(1);
    expect(rust.requests[0]).toMatchObject({ kind: 'ChoiceRequest', groupId: 'others', question: 'Any other?' });
    expect(rust.pending).toEqual({ choiceGroups: ['others'], chatSessions: [] });
  });

  it('walks other → chat → user text → close chat → "no" → thanks', () => {
    let pending = ok(stepSession(compiled, emptyPending(), { kind: 'start' })).pending;

    const other = ok(stepSession(compiled, pending, choice('lang', 'other')));
    expect(other.visited).toEqual(['langChoiceOther', 'startLangPrefSession']);
    expect(other.requests).toEqual([
      { kind: 'StartChatSession', sessionId: 'langPreference', chatPrompt: 'Type your preferred language here...', chatText: 'I enabled chat editor' },
    ]);
    expect(other.pending).toEqual({ choiceGroups: [], chatSessions: ['langPreference'] });
    pending = other.pending;

    const typed = ok(stepSession(compiled, pending, userText('langPreference')));
    expect(typed.resumedAt).toBe('getLangPrefResponse');
    expect(typed.visited).toEqual(['getLangPrefResponse', 'endLangPrefSession', 'anyOtherChoices']);
    expect(typed.requests.map((r) => r.kind)).toEqual(['EndChatSession', 'ChoiceRequest']);
    expect(typed.requests[1]).toMatchObject({ question: 'Any other?' });
    expect(typed.pending).toEqual({ choiceGroups: ['others'], chatSessions: [] });
    pending = typed.pending;

    const no = ok(stepSession(compiled, pending, choice('others', 'no')));
    expect(no.visited).toEqual(['anyOtherNo', 'done']);
    expect(no.requests).toEqual([{ kind: 'BotText', content: 'Great, thanks!' }]);
    expect(no.pending).toEqual(emptyPending());
  });

  it('asks the language question again after "yes"', () => {
    const start = ok(stepSession(compiled, emptyPending(), { kind: 'start' }));
    const rust = ok(stepSession(compiled, start.pending, choice('lang', 'go')));
    const yes = ok(stepSession(compiled, rust.pending, choice('others', 'yes')));
    expect(yes.visited).toEqual(['anyOtherYes', 'langChoices']);
    expect(yes.pending.choiceGroups).toEqual(['lang']);
  });

  it('starts at a given state (the studio preview)', () => {
    const at = ok(stepSession(compiled, emptyPending(), { kind: 'start', at: 'startLangPrefSession' }));
    expect(at.visited).toEqual(['startLangPrefSession']);
    expect(at.pending).toEqual({ choiceGroups: [], chatSessions: ['langPreference'] });
    const fromMatcher = ok(stepSession(compiled, emptyPending(), { kind: 'start', at: 'anyOtherNo' }));
    expect(fromMatcher.visited).toEqual(['anyOtherNo', 'done']);
  });

  it('does not change the pending state it was given', () => {
    const pending: PendingState = { choiceGroups: ['lang'], chatSessions: [] };
    const frozen = structuredClone(pending);
    stepSession(compiled, pending, choice('lang', 'rust'));
    stepSession(compiled, pending, choice('lang', 'nope'));
    expect(pending).toEqual(frozen);
  });
});

describe('loose matching (the original server compared with ==)', () => {
  const flow = flowOf({
    ask: { sendRequest: { kind: 'ChoiceRequest', groupId: 7, question: 'Pick', choices: [{ itemId: 1, content: 'One' }, { itemId: 2, content: 'Two' }] } },
    one: { matchResponse: { kind: 'ChoiceResponse', groupId: 7, itemId: 1 }, next: 'chat' },
    two: { matchResponse: { kind: 'ChoiceResponse', groupId: '7', itemId: '2.0' } },
    chat: { sendRequest: { kind: 'StartChatSession', sessionId: 42 } },
    typed: { matchResponse: { kind: 'UserText', sessionId: 42 } },
  });
  const compiled = compileFlow(flow);
  const asked = ok(stepSession(compiled, emptyPending(), { kind: 'start' })).pending;

  it('matches string ids from the widget against numeric ids in the flow', () => {
    const one = ok(stepSession(compiled, asked, choice('7', '1')));
    expect(one.resumedAt).toBe('one');
    const typed = ok(stepSession(compiled, one.pending, userText(' 42')));
    expect(typed.resumedAt).toBe('typed');
  });

  it('matches numeric ids from the widget against string ids in the flow', () => {
    expect(ok(stepSession(compiled, asked, choice(7, 2))).resumedAt).toBe('two');
  });

  it('keeps ==\'s answer for two strings ("2" is not "2.0")', () => {
    const result = stepSession(compiled, asked, choice('7', '2'));
    expect(result).toMatchObject({ ok: false, code: 'no-match' });
  });

  it('resumes at the first matching state in file order', () => {
    const twice = compileFlow(flowOf({
      ask: { sendRequest: { kind: 'ChoiceRequest', groupId: 'g', question: 'Q', choices: [{ itemId: 'a', content: 'A' }] } },
      first: { matchResponse: { kind: 'ChoiceResponse', groupId: 'g', itemId: 'a' } },
      second: { matchResponse: { kind: 'ChoiceResponse', groupId: 'g', itemId: 'a' } },
    }));
    const pending = ok(stepSession(twice, emptyPending(), { kind: 'start' })).pending;
    expect(ok(stepSession(twice, pending, choice('g', 'a'))).resumedAt).toBe('first');
  });
});

describe('stepSession errors', () => {
  const compiled = compileFlow(articleFlow());
  const asked = ok(stepSession(compiled, emptyPending(), { kind: 'start' })).pending;

  it('unknown-kind: a response that is neither ChoiceResponse nor UserText (ResetSession is the server\'s)', () => {
    for (const kind of ['ResetSession', 'BotText', 'choiceresponse', '']) {
      expect(stepSession(compiled, asked, { kind: 'response', response: { kind } })).toMatchObject({ ok: false, code: 'unknown-kind' });
    }
    const result = stepSession(compiled, asked, { kind: 'response', response: { kind: 'ResetSession' } });
    expect(!result.ok && result.message).toContain('"ResetSession"');
  });

  it('bad-response: missing or non-string, non-number ids', () => {
    const bad = [choice(undefined, 'rust'), choice('lang', undefined), choice('lang', null), choice({}, 'rust'), choice('lang', ['rust']), choice(true, 'rust'), userText(undefined), userText(null)];
    for (const event of bad) expect(stepSession(compiled, asked, event)).toMatchObject({ ok: false, code: 'bad-response' });
    const result = stepSession(compiled, asked, choice('lang', undefined));
    expect(!result.ok && result.message).toMatch(/itemId/);
  });

  it('not-pending: an answer to a question not asked, or text with no chat open', () => {
    expect(stepSession(compiled, asked, choice('others', 'yes'))).toMatchObject({ ok: false, code: 'not-pending' });
    expect(stepSession(compiled, emptyPending(), choice('lang', 'rust'))).toMatchObject({ ok: false, code: 'not-pending' });
    expect(stepSession(compiled, asked, userText('langPreference'))).toMatchObject({ ok: false, code: 'not-pending' });
    const answered = ok(stepSession(compiled, asked, choice('lang', 'rust'))).pending;
    expect(stepSession(compiled, answered, choice('lang', 'go'))).toMatchObject({ ok: false, code: 'not-pending' });
  });

  it('no-match: pending, but no state matches the answer', () => {
    const result = stepSession(compiled, asked, choice('lang', 'cobol'));
    expect(result).toMatchObject({ ok: false, code: 'no-match' });
    expect(!result.ok && result.message).toContain('"cobol"');
    const noTextMatcher = compileFlow(flowOf({ open: { sendRequest: { kind: 'StartChatSession', sessionId: 's' } } }));
    const open = ok(stepSession(noTextMatcher, emptyPending(), { kind: 'start' })).pending;
    expect(stepSession(noTextMatcher, open, userText('s'))).toMatchObject({ ok: false, code: 'no-match' });
  });

  it('missing-state: a next or a start state that does not exist, or an empty flow', () => {
    const broken = compileFlow(flowOf({ a: { sendRequest: { kind: 'BotText', content: 'hi' }, next: 'b' }, b: { next: 'nowhere' } }));
    const result = stepSession(broken, emptyPending(), { kind: 'start' });
    expect(result).toMatchObject({ ok: false, code: 'missing-state' });
    expect(!result.ok && result.message).toContain('"nowhere"');
    expect(stepSession(compiled, emptyPending(), { kind: 'start', at: 'ghost' })).toMatchObject({ ok: false, code: 'missing-state' });
    expect(stepSession(compileFlow({ states: [] }), emptyPending(), { kind: 'start' })).toMatchObject({ ok: false, code: 'missing-state' });
    const badNext = compileFlow(flowOf({ a: { next: 5 as unknown as string } }));
    expect(stepSession(badNext, emptyPending(), { kind: 'start' })).toMatchObject({ ok: false, code: 'missing-state' });
  });

  it('loop: a → b → a fails at once and names the cycle', () => {
    const looping = compileFlow(flowOf({ a: { sendRequest: { kind: 'BotText', content: 'a' }, next: 'b' }, b: { next: 'a' } }));
    const result = stepSession(looping, emptyPending(), { kind: 'start' });
    expect(result).toMatchObject({ ok: false, code: 'loop' });
    expect(!result.ok && result.message).toContain('a → b → a');
    expect(stepSession(compileFlow(flowOf({ self: { next: 'self' } })), emptyPending(), { kind: 'start' })).toMatchObject({ ok: false, code: 'loop' });
  });

  it('loop: a long chain ending in a cycle fails, and a long chain without one succeeds', () => {
    const n = 20_000;
    const states: Record<string, { next?: string; sendRequest?: { kind: 'BotText'; content: string } }> = {};
    for (let i = 0; i < n; i++) states[`s${i}`] = { sendRequest: { kind: 'BotText', content: `${i}` }, next: `s${i + 1}` };
    states[`s${n}`] = {};
    const straight = ok(stepSession(compileFlow(flowOf(states)), emptyPending(), { kind: 'start' }));
    expect(straight.visited).toHaveLength(n + 1);
    expect(straight.requests).toHaveLength(n);
    states[`s${n}`] = { next: `s${n / 2}` };
    expect(stepSession(compileFlow(flowOf(states)), emptyPending(), { kind: 'start' })).toMatchObject({ ok: false, code: 'loop' });
  });

  it('a failed step returns no pending state (the caller keeps the old one)', () => {
    const result = stepSession(compiled, asked, choice('lang', 'cobol'));
    expect(result.ok).toBe(false);
    expect('pending' in result).toBe(false);
  });
});

describe('stepSession on malformed flows', () => {
  it('skips malformed requests and states instead of throwing', () => {
    const flow = flowOf({
      a: { sendRequest: 'hello' as never, next: 'b' },
      b: { sendRequest: { kind: 'Shout', content: 'x' } as never, next: 'c' },
      c: null as never,
    });
    const result = ok(stepSession(compileFlow(flow), emptyPending(), { kind: 'start' }));
    expect(result.visited).toEqual(['a', 'b', 'c']);
    expect(result.requests).toEqual([]);
  });
});

describe('stepSession properties', () => {
  const compiled = compileFlow(articleFlow());
  const idLike = fc.oneof(fc.constantFrom('lang', 'others', 'rust', 'no', 'langPreference', '1', 1), fc.anything());
  const response = fc.oneof(
    fc.record({ kind: fc.constantFrom('ChoiceResponse', 'UserText', 'ResetSession'), groupId: idLike, itemId: idLike, sessionId: idLike }, { requiredKeys: ['kind'] }),
    fc.dictionary(fc.string(), fc.anything()).map((o) => ({ kind: 'x', ...o })),
    fc.anything() as fc.Arbitrary<never>,
  );
  const pending = fc.record({
    choiceGroups: fc.array(fc.oneof(fc.constantFrom('lang', 'others'), fc.string(), fc.integer())),
    chatSessions: fc.array(fc.oneof(fc.constant('langPreference'), fc.string(), fc.integer())),
  });

  it('never throws, and always returns a known result shape, for arbitrary responses', () => {
    const codes = ['unknown-kind', 'bad-response', 'not-pending', 'no-match', 'missing-state', 'loop'];
    fc.assert(
      fc.property(pending, response, (p, r) => {
        const result = stepSession(compiled, p, { kind: 'response', response: r as { kind: string } });
        if (result.ok) return Array.isArray(result.requests) && typeof result.resumedAt === 'string';
        return codes.includes(result.code) && result.message.length > 0;
      }),
      { numRuns: 2000 },
    );
  });
});
