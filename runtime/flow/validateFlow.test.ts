import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlow } from './parseFlow.ts';
import type { Flow } from './types.ts';
import { validateFlow } from './validateFlow.ts';

const flowOf = (states: Record<string, unknown>): Flow => ({ states: Object.entries(states).map(([name, state]) => ({ name, state: state as Flow['states'][0]['state'] })) });
const codes = (states: Record<string, unknown>) => validateFlow(flowOf(states)).map((d) => `${d.code} ${d.path}`);
const bot = (content: string, next?: string) => (next ? { sendRequest: { kind: 'BotText', content }, next } : { sendRequest: { kind: 'BotText', content } });
const ask = (groupId: unknown, itemIds: unknown[]) => ({ sendRequest: { kind: 'ChoiceRequest', groupId, question: '?', choices: itemIds.map((itemId) => ({ itemId, content: String(itemId) })) } });
const pick = (groupId: unknown, itemId: unknown, next: string) => ({ matchResponse: { kind: 'ChoiceResponse', groupId, itemId }, next });

describe('validateFlow', () => {
  it('matches ids loosely, like the original server: numbers against strings is only an info', () => {
    const result = codes({ hi: ask(7, [1, 2]), one: pick('7', '1', 'hi'), two: pick(7, 2, 'hi') });
    expect(result).toEqual(['id-loose-match one.matchResponse']);
  });

  it('treats "1" and 1 as the same itemId, but "01" and "1" as different ones (== on two strings is exact)', () => {
    expect(codes({ hi: ask('g', ['1', 1]), a: pick('g', 1, 'hi') })).toContain('choice-duplicate hi.sendRequest.choices[1].itemId');
    expect(codes({ hi: ask('g', ['01', '1']), a: pick('g', '01', 'hi'), b: pick('g', '1', 'hi') })).toEqual([]);
  });

  it('reports a next loop even when a question is in it: next is followed at once', () => {
    const result = codes({ hi: bot('Hi', 'q'), q: { ...ask('g', ['a']), next: 'hi' }, a: pick('g', 'a', 'hi') });
    expect(result).toEqual(['next-cycle hi.next']);
  });

  it('reports each loop once, at its first state in the file', () => {
    const result = codes({ a: bot('A', 'b'), b: bot('B', 'c'), c: bot('C', 'b'), d: bot('D', 'd') });
    expect(result.filter((c) => c.startsWith('next-cycle'))).toEqual(['next-cycle b.next', 'next-cycle d.next']);
  });

  it('reaches answer states through their question and chat states through their chat', () => {
    const states = {
      hi: { sendRequest: { kind: 'StartChatSession', sessionId: 1 } },
      typed: { matchResponse: { kind: 'UserText', sessionId: 1 }, next: 'end' },
      end: { sendRequest: { kind: 'EndChatSession', sessionId: 1 }, next: 'q' },
      q: ask('g', ['x']),
      x: pick('g', 'x', 'bye'),
      bye: bot('Bye'),
    };
    expect(codes(states)).toEqual(['conversation-end bye']);
  });

  it('does not call a state unreachable when it is already reported as an answer nothing asks for', () => {
    expect(codes({ hi: bot('Hi'), orphan: pick('g', 'x', 'hi') })).toEqual(['conversation-end hi', 'response-unmatched orphan.matchResponse']);
  });

  it('accepts a state with only next (a jump) and reports start-silent only when nothing is sent at all', () => {
    expect(codes({ start: { next: 'hi' }, hi: bot('Hi') })).toEqual(['conversation-end hi']);
    expect(codes({ start: { next: 'start2' }, start2: { next: 'start' } })).toContain('start-silent start');
  });

  it('first matchResponse wins: later ones are shadowed', () => {
    expect(codes({ hi: ask('g', ['a']), first: pick('g', 'a', 'hi'), second: pick('g', 'a', 'hi') })).toEqual(['response-shadowed second.matchResponse']);
  });

  it('fills in positions only when a source map is given', () => {
    const text = '{\n    "hi": {\n        "next": "nowhere"\n    }\n}\n';
    const parsed = parseFlow(text);
    const [placed] = validateFlow(parsed.flow!, parsed.sourceMap!);
    expect(placed).toMatchObject({ code: 'next-missing', line: 3, column: 17, offset: text.indexOf('"nowhere"'), length: 9 });
    const [bare] = validateFlow(parsed.flow!);
    expect(bare.line).toBeUndefined();
  });

  it('skips what it cannot read on a malformed flow instead of throwing', () => {
    const junk = flowOf({ a: 5, b: { sendRequest: 'x', next: 3 }, c: { sendRequest: { kind: 'ChoiceRequest', choices: 'no' } }, d: { matchResponse: { kind: 'ChoiceResponse', groupId: {}, itemId: [] } } });
    expect(() => validateFlow(junk)).not.toThrow();
  });

  it('never throws on any value passed as a flow or as states', () => {
    fc.assert(
      fc.property(fc.anything(), fc.array(fc.record({ name: fc.anything(), state: fc.anything() })), (value, states) => {
        validateFlow(value as Flow);
        validateFlow({ states } as Flow);
      }),
      { numRuns: 500 },
    );
  });
});
