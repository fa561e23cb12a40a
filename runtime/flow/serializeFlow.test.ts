import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import articleFlow from '../../state-machines/bot-assistant.json' with { type: 'json' };
import { parseFlow } from './parseFlow.ts';
import { serializeFlow } from './serializeFlow.ts';
import type { Flow, NamedState } from './types.ts';

/** The article's file text, which has no final newline (scripts/samples.test.ts checks the file itself round-trips byte for byte). */
const article = JSON.stringify(articleFlow, null, 4);

function roundTrip(text: string): string {
  const { flow, format } = parseFlow(text);
  return serializeFlow(flow!, format);
}

describe('serializeFlow', () => {
  it('gives back the article layout byte for byte', () => {
    expect(article.endsWith('\n}')).toBe(true);
    expect(roundTrip(article)).toBe(article);
    expect(roundTrip(`${article}\n`)).toBe(`${article}\n`);
  });

  it('lays out like JSON.stringify(object, null, 4) with a final newline by default', () => {
    const flow: Flow = { states: [{ name: 'a', state: { sendRequest: { kind: 'BotText', content: 'Hi' }, next: 'b' } }, { name: 'b', state: { next: 'a' } }] };
    expect(serializeFlow(flow)).toBe(JSON.stringify({ a: flow.states[0].state, b: flow.states[1].state }, null, 4) + '\n');
    expect(serializeFlow({ states: [] })).toBe('{}\n');
  });

  it('keeps the array order for integer-like names', () => {
    const flow: Flow = { states: [{ name: 'b', state: { next: '1' } }, { name: '1', state: {} }] };
    expect(serializeFlow(flow)).toBe('{\n    "b": {\n        "next": "1"\n    },\n    "1": {}\n}\n');
  });

  it('follows the line ending and final newline of the format', () => {
    const crlf = article.replaceAll('\n', '\r\n');
    expect(roundTrip(crlf)).toBe(crlf);
    const noFinal = article.trimEnd();
    expect(roundTrip(noFinal)).toBe(noFinal);
  });
});

const name = fc.oneof(fc.string(), fc.constantFrom('1', '0', '42', 'a.b', 'odd name', 'héllo', '🙂', '__proto__', 'constructor', ''));
const id = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)));
// JSON has no -0 (it is written as 0), so values go through JSON once: what a file can hold.
const jsonValue = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const unknownFields = fc.dictionary(fc.string().filter((k) => !/^(0|[1-9][0-9]*)$/.test(k)), jsonValue, { maxKeys: 2 });
const request = fc.oneof(
  fc.record({ kind: fc.constant('BotText'), content: fc.string() }),
  fc.record({ kind: fc.constant('ChoiceRequest'), groupId: id, question: fc.string(), choices: fc.array(fc.record({ itemId: id, content: fc.string() }), { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('StartChatSession'), sessionId: id, chatPrompt: fc.string(), chatText: fc.string() }, { requiredKeys: ['kind', 'sessionId'] }),
  fc.record({ kind: fc.constant('EndChatSession'), sessionId: id }),
);
const response = fc.oneof(fc.record({ kind: fc.constant('ChoiceResponse'), groupId: id, itemId: id }), fc.record({ kind: fc.constant('UserText'), sessionId: id }));
const state = fc
  .tuple(fc.record({ sendRequest: request, matchResponse: response, next: name }, { requiredKeys: [] }), unknownFields)
  .map(([known, extra]) => ({ ...extra, ...known }));
const flows: fc.Arbitrary<Flow> = fc
  .uniqueArray(fc.record({ name, state }), { selector: (s) => s.name, maxLength: 8 })
  .map((states) => ({ states: states as NamedState[] }));
const formats = fc.record({ eol: fc.constantFrom('\n', '\r\n'), finalNewline: fc.boolean() });

describe('serializeFlow and parseFlow (properties)', () => {
  it('parse(serialize(flow)) gives the flow back, and serialize is a fixed point', () => {
    fc.assert(
      fc.property(flows, formats, (flow, format) => {
        const text = serializeFlow(flow, format);
        const parsed = parseFlow(text);
        expect(parsed.flow).toEqual(flow);
        expect(parsed.format).toEqual(flow.states.length === 0 && !format.finalNewline ? { ...format, eol: '\n' } : format);
        expect(serializeFlow(parsed.flow!, format)).toBe(text);
        expect(parsed.diagnostics.filter((d) => d.code === 'json-syntax')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
