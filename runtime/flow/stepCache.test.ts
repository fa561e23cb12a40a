import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileFlow, type CompiledFlow } from './compileFlow.ts';
import { emptyPending, type PendingState } from './pendingState.ts';
import { cachedStep, MAX_PENDING_STATES } from './stepCache.ts';
import { stepSession, type StepEvent, type StepResult } from './stepSession.ts';
import type { Flow } from './types.ts';
import { articleFlow } from '../testing/testFlows.ts';

const choice = (groupId: unknown, itemId: unknown): StepEvent => ({ kind: 'response', response: { kind: 'ChoiceResponse', groupId, itemId } });
const userText = (sessionId: unknown, content = 'Zig'): StepEvent => ({ kind: 'response', response: { kind: 'UserText', sessionId, content } });

function ok(result: StepResult): Extract<StepResult, { ok: true }> {
  if (!result.ok) throw new Error(`step failed: ${result.code}: ${result.message}`);
  return result;
}

function sampleFlow(name: string): CompiledFlow {
  return compileFlow(JSON.parse(readFileSync(new URL(`../../state-machines/${name}`, import.meta.url), 'utf8')) as Flow);
}

/** Every answer the flow has a matchResponse for, in both id types, plus answers nobody waits for. */
function eventsOf(compiled: CompiledFlow): StepEvent[] {
  const events: StepEvent[] = [{ kind: 'start' }, { kind: 'resume', end: true }, choice('nope', 'x'), userText(404), { kind: 'response', response: { kind: 'Mystery' } }];
  for (const bucket of compiled.choiceMatchers.values()) for (const m of bucket) events.push(choice(m.groupId, m.itemId), choice(String(m.groupId), String(m.itemId)));
  for (const bucket of compiled.textMatchers.values()) for (const m of bucket) events.push(userText(m.sessionId), userText(String(m.sessionId), 'other text'));
  return events;
}

describe('cachedStep', () => {
  for (const name of ['bot-assistant.json', 'support-triage.json', 'talk-to-a-person.json', 'onboarding-survey.json']) {
    it(`gives exactly what stepSession gives, along any conversation of ${name}`, () => {
      const compiled = sampleFlow(name);
      const events = eventsOf(compiled);
      fc.assert(
        fc.property(fc.array(fc.nat(events.length - 1), { maxLength: 30, size: 'max' }), (picks) => {
          let pending = emptyPending();
          let cachedPending = emptyPending();
          for (const pick of picks) {
            const expected = stepSession(compiled, pending, events[pick]);
            const actual = cachedStep(compiled, cachedPending, events[pick]);
            expect(actual).toEqual(expected);
            if (expected.ok && actual.ok) {
              pending = expected.pending;
              cachedPending = actual.pending;
            }
          }
        }),
        { numRuns: 300 },
      );
    });
  }

  it('remembers a step: the same frozen result for the same answer in an equal pending state', () => {
    const compiled = compileFlow(articleFlow());
    const start = ok(cachedStep(compiled, emptyPending(), { kind: 'start' }));
    expect(ok(cachedStep(compiled, emptyPending(), { kind: 'start' }))).toBe(start);
    const rust = ok(cachedStep(compiled, start.pending, choice('lang', 'rust')));
    const rebuilt: PendingState = JSON.parse(JSON.stringify(start.pending));
    expect(cachedStep(compiled, rebuilt, choice('lang', 'rust'))).toBe(rust);
    expect(Object.isFrozen(rust) && Object.isFrozen(rust.requests) && Object.isFrozen(rust.visited)).toBe(true);
    // The new pending state is the shared one for its value.
    expect(ok(cachedStep(compiled, emptyPending(), { kind: 'start' })).pending).toBe(start.pending);
  });

  it('keeps "1" and 1 apart where the answer differs, and the user text out of the key', () => {
    const compiled = compileFlow({
      states: [
        { name: 'ask', state: { sendRequest: { kind: 'ChoiceRequest', groupId: 1, question: 'Pick', items: [{ itemId: 1, content: 'One' }] }, next: 'chat' } },
        { name: 'chat', state: { sendRequest: { kind: 'StartChatSession', sessionId: 7 } } },
        { name: 'one', state: { matchResponse: { kind: 'ChoiceResponse', groupId: 1, itemId: 1 }, sendRequest: { kind: 'BotText', content: 'number one' } } },
        { name: 'typed', state: { matchResponse: { kind: 'UserText', sessionId: 7 }, sendRequest: { kind: 'BotText', content: 'thanks' } } },
      ],
    } as unknown as Flow);
    const start = ok(cachedStep(compiled, emptyPending(), { kind: 'start' }));
    expect(ok(cachedStep(compiled, start.pending, choice(1, 1))).resumedAt).toBe('one');
    expect(ok(cachedStep(compiled, start.pending, choice('1', '1.0'))).resumedAt).toBe('one');
    const bad = cachedStep(compiled, start.pending, choice('1', 'x'));
    expect(bad).toEqual(stepSession(compiled, start.pending, choice('1', 'x')));
    expect(bad.ok).toBe(false);
    const first = ok(cachedStep(compiled, start.pending, userText(7, 'hello')));
    expect(cachedStep(compiled, start.pending, userText(7, 'something else'))).toBe(first);
  });

  it(`stops remembering past ${MAX_PENDING_STATES} distinct pending states, and still steps correctly`, () => {
    const compiled = compileFlow(articleFlow());
    const answer = choice('lang', 'rust');
    for (let i = 0; i < MAX_PENDING_STATES; i++) cachedStep(compiled, { choiceGroups: ['lang', `g${i}`], chatSessions: [] }, answer);
    const beyond: PendingState = { choiceGroups: ['lang', 'one too many'], chatSessions: [] };
    const first = cachedStep(compiled, beyond, answer);
    expect(first).toEqual(stepSession(compiled, beyond, answer));
    expect(cachedStep(compiled, beyond, answer)).not.toBe(first);
    // Pending states already known are still served from the cache.
    const known: PendingState = { choiceGroups: ['lang', 'g0'], chatSessions: [] };
    expect(cachedStep(compiled, known, answer)).toBe(cachedStep(compiled, known, answer));
  });
});
