import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineIndex, MAX_JSON_DEPTH, parseJsonText, type JsonNode } from './jsonText.ts';

function parseOk(text: string): JsonNode {
  const result = parseJsonText(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.root;
}

function errorOf(text: string) {
  const result = parseJsonText(text);
  if (result.ok) throw new Error('expected a syntax error');
  return result.error;
}

describe('parseJsonText', () => {
  it('gives the same value as JSON.parse for any JSON value, in any layout', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 0, 2, 4, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        expect(parseOk(text).value).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('accepts exactly what JSON.parse accepts', () => {
    const jsonish = fc.stringMatching(/^[\s{}[\]",:0-9.eE+\-a-z\\]{0,30}$/);
    fc.assert(
      fc.property(fc.oneof(fc.string(), jsonish, fc.json()), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(parseJsonText(text).ok).toBe(valid);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the span of every value, so slicing the text gives the value back', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value, null, 2);
        const visit = (node: JsonNode): void => {
          expect(JSON.parse(text.slice(node.offset, node.offset + node.length))).toEqual(node.value);
          if (node.type === 'object') {
            for (const p of node.properties) {
              expect(JSON.parse(text.slice(p.keyOffset, p.keyOffset + p.keyLength))).toBe(p.key);
              visit(p.value);
            }
          } else if (node.type === 'array') {
            node.items.forEach(visit);
          }
        };
        visit(parseOk(text));
      }),
      { numRuns: 200 },
    );
  });

  it('decodes escapes', () => {
    expect(parseOk('"a\\n\\"\\u00e9\\ud83d\\ude00\\/"').value).toBe('a\n"é😀/');
  });

  it('makes "__proto__" an own property, like JSON.parse', () => {
    const value = parseOk('{"__proto__": {"polluted": true}}').value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports duplicate keys and keeps the last value', () => {
    const result = parseJsonText('{"a": 1, "b": 2, "a": 3}');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.root.value).toEqual({ a: 3, b: 2 });
    expect(result.duplicateKeys.map((d) => [d.first.keyOffset, d.duplicate.keyOffset])).toEqual([[1, 17]]);
  });

  it('finds duplicates in big objects too', () => {
    const members = Array.from({ length: 40 }, (_, i) => `"k${i}": ${i}`);
    const result = parseJsonText(`{${members.join(',')}, "k30": 0}`);
    expect(result.ok && result.duplicateKeys.map((d) => d.duplicate.key)).toEqual(['k30']);
  });

  it('says what is unexpected, where, and what was expected', () => {
    expect(errorOf('{\n    "a": 1,\n    }').message).toBe("Unexpected '}' at line 3, column 5: expected a property name in double quotes");
    expect(errorOf('{"a": }').message).toBe("Unexpected '}' at line 1, column 7: expected a value");
    expect(errorOf('{"a": 1').message).toBe("Unexpected end of file at line 1, column 8: expected ',' or '}'");
    expect(errorOf("{'a': 1}").message).toBe(`Unexpected "'" at line 1, column 2: expected a property name in double quotes`);
    expect(errorOf('{"a" 1}').message).toBe(`Unexpected '1' at line 1, column 6: expected ':' after the property name "a"`);
    expect(errorOf('[1 2]').message).toBe("Unexpected '2' at line 1, column 4: expected ',' or ']'");
    expect(errorOf('"abc\ndef"').message).toMatch(/^Unexpected line break at line 1, column 5: expected a closing quote/);
    expect(errorOf('"\\x"').message).toMatch(/^Unexpected '\\' at line 1, column 2: expected a valid escape/);
    expect(errorOf('012').message).toBe("Unexpected '1' at line 1, column 2: a number cannot have a leading zero");
    expect(errorOf('1.').message).toBe('Unexpected end of file at line 1, column 3: expected a digit');
    expect(errorOf('{} x').message).toBe("Unexpected 'x' at line 1, column 4: expected the end of the file");
    expect(errorOf('\uFEFF{}').message).toMatch(/^Unexpected byte order mark/);
    expect(errorOf('').message).toBe('Unexpected end of file at line 1, column 1: expected a value');
  });

  it('gives the error position as offset, line and column', () => {
    const error = errorOf('{\r\n  "a": tru\r\n}');
    expect(error).toMatchObject({ offset: 10, line: 2, column: 8 });
  });

  it('refuses absurd nesting with an error instead of overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(errorOf(deep).message).toContain(`deeper than ${MAX_JSON_DEPTH} levels`);
    const fine = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    expect(parseJsonText(fine).ok).toBe(true);
  });
});

describe('LineIndex', () => {
  it('maps offsets to 1-based lines and columns', () => {
    const lines = new LineIndex('ab\ncd\n\nef');
    expect(lines.position(0)).toEqual({ line: 1, column: 1 });
    expect(lines.position(2)).toEqual({ line: 1, column: 3 });
    expect(lines.position(3)).toEqual({ line: 2, column: 1 });
    expect(lines.position(6)).toEqual({ line: 3, column: 1 });
    expect(lines.position(8)).toEqual({ line: 4, column: 2 });
  });
});
