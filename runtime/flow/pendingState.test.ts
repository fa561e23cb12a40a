import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFlow } from './compileFlow.ts';
import { applyPayload, emptyPending, type FlowPayload, type PendingState } from './pendingState.ts';
import { stepSession, type StepEvent } from './stepSession.ts';
import { articleFlow } from '../testing/testFlows.ts';

const request = (message: object): FlowPayload => ({ kind: 'Request', message });
const response = (message: object): FlowPayload => ({ kind: 'Response', message });

describe('applyPayload', () => {
  it('a sent ChoiceRequest becomes pending, and its answer removes it', () => {
    const asked = applyPayload(emptyPending(), request({ kind: 'ChoiceRequest', groupId: 'lang', question: 'Q', choices: [] }));
    expect(asked).toEqual({ choiceGroups: ['lang'], chatSessions: [] });
    expect(applyPayload(asked, response({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust' }))).toEqual(emptyPending());
  });

  it('a ChoiceRequest sent again is pending once, and counts as the latest', () => {
    let p = applyPayload(emptyPending(), request({ kind: 'ChoiceRequest', groupId: 'a' }));
    p = applyPayload(p, request({ kind: 'ChoiceRequest', groupId: 'b' }));
    p = applyPayload(p, request({ kind: 'ChoiceRequest', groupId: 'a' }));
    expect(p.choiceGroups).toEqual(['b', 'a']);
  });

  it('a chat stays open through UserText and closes on EndChatSession', () => {
    const open = applyPayload(emptyPending(), request({ kind: 'StartChatSession', sessionId: 's' }));
    expect(open.chatSessions).toEqual(['s']);
    expect(applyPayload(open, response({ kind: 'UserText', sessionId: 's', content: 'hi' }))).toBe(open);
    expect(applyPayload(open, request({ kind: 'EndChatSession', sessionId: 's' })).chatSessions).toEqual([]);
  });

  it('compares ids loosely', () => {
    const asked = applyPayload(emptyPending(), request({ kind: 'ChoiceRequest', groupId: 1 }));
    expect(applyPayload(asked, response({ kind: 'ChoiceResponse', groupId: '1', itemId: 'x' })).choiceGroups).toEqual([]);
    const open = applyPayload(emptyPending(), request({ kind: 'StartChatSession', sessionId: '2' }));
    expect(applyPayload(open, request({ kind: 'EndChatSession', sessionId: 2 })).chatSessions).toEqual([]);
  });

  it('ignores BotText, unknown kinds, malformed payloads, and answers to nothing (same object back)', () => {
    const p: PendingState = { choiceGroups: ['g'], chatSessions: ['s'] };
    const ignored: unknown[] = [
      request({ kind: 'BotText', content: 'hi' }),
      request({ kind: 'ChoiceRequest' }),
      request({ kind: 'ChoiceRequest', groupId: null }),
      response({ kind: 'ChoiceResponse', groupId: 'other', itemId: 'x' }),
      response({ kind: 'ResetSession' }),
      request({ kind: 'EndChatSession', sessionId: 'other' }),
      { kind: 'Request' },
      { kind: 'Request', message: 'text' },
      { kind: 'Nope', message: { kind: 'ChoiceRequest', groupId: 'x' } },
      null,
      42,
    ];
    for (const payload of ignored) expect(applyPayload(p, payload as FlowPayload)).toBe(p);
  });

  it('never mutates its input', () => {
    const p: PendingState = { choiceGroups: ['g'], chatSessions: ['s'] };
    applyPayload(p, response({ kind: 'ChoiceResponse', groupId: 'g', itemId: 'x' }));
    applyPayload(p, request({ kind: 'EndChatSession', sessionId: 's' }));
    applyPayload(p, request({ kind: 'ChoiceRequest', groupId: 'h' }));
    expect(p).toEqual({ choiceGroups: ['g'], chatSessions: ['s'] });
  });
});

describe('rebuilding pending state from history', () => {
  const compiled = compileFlow(articleFlow());
  const responses: Record<string, StepEvent> = {
    rust: { kind: 'response', response: { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust' } },
    go: { kind: 'response', response: { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'go' } },
    other: { kind: 'response', response: { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'other' } },
    yes: { kind: 'response', response: { kind: 'ChoiceResponse', groupId: 'others', itemId: 'yes' } },
    no: { kind: 'response', response: { kind: 'ChoiceResponse', groupId: 'others', itemId: 'no' } },
    text: { kind: 'response', response: { kind: 'UserText', sessionId: 'langPreference', content: 'Zig' } },
  };

  it('folding the payloads of any session gives the pending state stepSession computed', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...Object.keys(responses)), { maxLength: 30 }), (script) => {
        const start = stepSession(compiled, emptyPending(), { kind: 'start' });
        if (!start.ok) return false;
        const history: FlowPayload[] = start.requests.map((message) => ({ kind: 'Request', message }));
        let pending = start.pending;
        for (const name of script) {
          const event = responses[name];
          const result = stepSession(compiled, pending, event);
          if (!result.ok) continue; // the server records a rejected response, but it changes nothing
          if (event.kind === 'response') history.push({ kind: 'Response', message: event.response });
          for (const message of result.requests) history.push({ kind: 'Request', message });
          pending = result.pending;
        }
        expect(history.reduce(applyPayload, emptyPending())).toEqual(pending);
      }),
      { numRuns: 300 },
    );
  });
});
