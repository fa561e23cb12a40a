import { describe, expect, it } from 'vitest';
import articleFlow from '../../state-machines/bot-assistant.json' with { type: 'json' };
import { parseFlow } from './parseFlow.ts';

/** The article's file text (scripts/samples.test.ts checks the file is exactly this). */
const article = JSON.stringify(articleFlow, null, 4) + '\n';

describe('parseFlow', () => {
  it('reads the states in file order, integer-like names included', () => {
    const { flow, diagnostics } = parseFlow('{"b": {"next": "1"}, "1": {"next": "a.b"}, "a.b": {"sendRequest": {"kind": "BotText", "content": "x"}}}');
    expect(flow?.states.map((s) => s.name)).toEqual(['b', '1', 'a.b']);
    expect(diagnostics).toEqual([]);
  });

  it('keeps unknown fields in states, requests and choices', () => {
    const { flow, diagnostics } = parseFlow('{"q": {"note": "x", "sendRequest": {"kind": "ChoiceRequest", "groupId": 1, "question": "?", "extra": true, "choices": [{"itemId": 1, "content": "One", "color": "red"}]}}}');
    expect(diagnostics).toEqual([]);
    expect(flow?.states[0].state).toEqual({ note: 'x', sendRequest: { kind: 'ChoiceRequest', groupId: 1, question: '?', extra: true, choices: [{ itemId: 1, content: 'One', color: 'red' }] } });
  });

  it('returns a null flow with one positioned diagnostic for a syntax error', () => {
    const result = parseFlow('{\n    "a": {\n        "next": "b",\n    }\n}\n');
    expect(result.flow).toBeNull();
    expect(result.sourceMap).toBeNull();
    expect(result.diagnostics).toEqual([
      { code: 'json-syntax', severity: 'error', path: '', message: "Unexpected '}' at line 4, column 5: expected a property name in double quotes", line: 4, column: 5, offset: 38, length: 1 },
    ]);
  });

  it('returns a null flow when the top level is not an object', () => {
    for (const text of ['[]', '"flow"', '12', 'null']) {
      const result = parseFlow(text);
      expect(result.flow).toBeNull();
      expect(result.diagnostics.map((d) => d.code)).toEqual(['flow-not-object']);
    }
  });

  it('keeps a duplicated state once, at its first place with its last body, and reports it', () => {
    const result = parseFlow('{\n"a": {"next": "b"},\n"b": {"next": "a"},\n"a": {"next": "c"}\n}');
    expect(result.flow?.states).toEqual([
      { name: 'a', state: { next: 'c' } },
      { name: 'b', state: { next: 'a' } },
    ]);
    expect(result.diagnostics).toMatchObject([{ code: 'state-duplicate', severity: 'error', state: 'a', line: 4, column: 1 }]);
    expect(result.diagnostics[0].message).toContain('also on line 2');
  });

  it('returns the flow best-effort along with shape errors', () => {
    const result = parseFlow('{"a": {"sendRequest": {"kind": "BotText"}, "next": 3}, "b": 5}');
    expect(result.flow?.states).toEqual([
      { name: 'a', state: { sendRequest: { kind: 'BotText' }, next: 3 } },
      { name: 'b', state: 5 },
    ]);
    expect(result.diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['shape', 'a.sendRequest'],
      ['shape', 'a.next'],
      ['shape', 'b'],
    ]);
    expect(result.diagnostics[0].message).toBe('a.sendRequest (BotText) has no "content". Add "content": "…".');
    expect(result.diagnostics[1].message).toBe('a.next is the number 3; it must be a string (the name of a state). Change it.');
  });

  it('detects line endings and the final newline', () => {
    expect(parseFlow('{}\n').format).toEqual({ eol: '\n', finalNewline: true });
    expect(parseFlow('{\r\n}\r\n').format).toEqual({ eol: '\r\n', finalNewline: true });
    expect(parseFlow('{}').format).toEqual({ eol: '\n', finalNewline: false });
    expect(parseFlow('{').format).toEqual({ eol: '\n', finalNewline: false });
  });
});

describe('FlowSourceMap', () => {
  const { sourceMap } = parseFlow(article);
  const map = sourceMap!;
  const at = (path: string) => {
    const span = map.locate(path)!;
    return article.slice(span.offset, span.offset + span.length);
  };

  it('locates the value at any path', () => {
    expect(at('langChoices.sendRequest.choices[1].itemId')).toBe('"go"');
    expect(at('greetings.next')).toBe('"langChoices"');
    expect(at('done')).toMatch(/^\{\n {8}"sendRequest"/);
    expect(at('')).toBe(article.trimEnd());
    expect(map.locate('langChoices.sendRequest.choices[1].itemId')).toMatchObject({ line: 20, column: 31 });
  });

  it('locates keys', () => {
    const span = map.locateKey('done')!;
    expect(article.slice(span.offset, span.offset + span.length)).toBe('"done"');
    expect(span).toMatchObject({ line: 109, column: 5 });
  });

  it('returns undefined for paths that are not in the text', () => {
    for (const path of ['nope', 'greetings.next.x', 'langChoices.sendRequest.choices[9]', 'greetings[0]', '..']) expect(map.locate(path)).toBeUndefined();
  });

  it('gives the deepest path at an offset', () => {
    expect(map.pathAt(article.indexOf('"go"') + 1)).toBe('langChoices.sendRequest.choices[1].itemId');
    expect(map.pathAt(article.indexOf('"langChoiceRust"'))).toBe('langChoiceRust');
    expect(map.pathAt(article.indexOf('"Go"'))).toBe('langChoices.sendRequest.choices[1].content');
    expect(map.pathAt(article.indexOf('[') + 1)).toBe('langChoices.sendRequest.choices');
    expect(map.pathAt(0)).toBe('');
  });

  it('round-trips every path: locate then pathAt', () => {
    for (const path of ['greetings.sendRequest.kind', 'anyOtherChoices.sendRequest.choices[0].content', 'done.sendRequest']) {
      expect(map.pathAt(map.locate(path)!.offset)).toBe(path);
    }
  });

  it('quotes odd names', () => {
    const text = '{"a b": {"next": "1"}, "1": {"sendRequest": {"kind": "BotText", "content": "x"}}}';
    const odd = parseFlow(text).sourceMap!;
    expect(odd.pathAt(text.indexOf('"1"', 20) + 1)).toBe('["1"]');
    expect(odd.locate('["a b"].next')).toMatchObject({ offset: text.indexOf('"1"') });
  });
});
