import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFlowText } from './checkFlowText.ts';

describe('checkFlowText', () => {
  it('returns syntax, shape and semantic diagnostics together, sorted by position', () => {
    const text = '{\n    "hi": {\n        "sendRequest": {"kind": "BotText", "content": 1},\n        "next": "nope"\n    },\n    "lost": {}\n}\n';
    const { diagnostics } = checkFlowText(text);
    expect(diagnostics.map((d) => d.code)).toEqual(['shape', 'next-missing', 'state-empty', 'state-unreachable']);
    const offsets = diagnostics.map((d) => d.offset!);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(diagnostics[2]).toMatchObject({ line: 6, column: 5 });
  });

  it('has no error for a syntax-error file other than the syntax error', () => {
    expect(checkFlowText('{"a": }').diagnostics.map((d) => d.code)).toEqual(['json-syntax']);
  });

  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.anything().map((v) => JSON.stringify(v) ?? '')), (text) => {
        const result = checkFlowText(text);
        expect(Array.isArray(result.diagnostics)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on flow-like JSON with random states', () => {
    const state = fc.dictionary(fc.constantFrom('sendRequest', 'matchResponse', 'next', 'other'), fc.oneof(fc.jsonValue(), fc.record({ kind: fc.constantFrom('BotText', 'ChoiceRequest', 'StartChatSession', 'EndChatSession', 'ChoiceResponse', 'UserText', 'Nope'), groupId: fc.jsonValue(), itemId: fc.jsonValue(), sessionId: fc.jsonValue(), choices: fc.jsonValue() }, { requiredKeys: ['kind'] })));
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 3 }), state), (flow) => {
        checkFlowText(JSON.stringify(flow, null, 4));
      }),
      { numRuns: 500 },
    );
  });
});
