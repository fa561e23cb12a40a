import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendSegment, formatPath, parsePath, type PathSegment } from './jsonPath.ts';

describe('formatPath', () => {
  it('writes identifiers with dots, indexes in brackets and other names quoted', () => {
    expect(formatPath(['greetings', 'sendRequest', 'choices', 1, 'itemId'])).toBe('greetings.sendRequest.choices[1].itemId');
    expect(formatPath(['odd name', 'next'])).toBe('["odd name"].next');
    expect(formatPath(['1'])).toBe('["1"]');
    expect(formatPath(['a.b', 'c'])).toBe('["a.b"].c');
    expect(formatPath(['grüße'])).toBe('grüße');
    expect(formatPath(['say "hi"'])).toBe('["say \\"hi\\""]');
    expect(formatPath([])).toBe('');
    expect(appendSegment('', 0)).toBe('[0]');
  });
});

describe('parsePath', () => {
  it('reads back every path formatPath writes', () => {
    const segment: fc.Arbitrary<PathSegment> = fc.oneof(fc.string(), fc.nat(), fc.constantFrom('a', 'next', 'a.b', '[0]', '"', 'x y'));
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), (segments) => {
        expect(parsePath(formatPath(segments))).toEqual(segments);
      }),
      { numRuns: 1000 },
    );
  });

  it('returns null for text that is not a path', () => {
    for (const bad of ['.a', 'a..b', 'a[', 'a[x]', 'a["b"', 'a[01]', '1a', 'a b']) expect(parsePath(bad)).toBeNull();
  });
});
