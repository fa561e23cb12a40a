import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isId, looseEquals, looseKey } from './looseId.ts';
import type { Id } from './types.ts';

/** The reference: JavaScript's own `==`. */
const jsLooseEquals = (a: Id, b: Id): boolean => a == b;

const EDGE_CASES: Id[] = [
  '1', 1, '1.0', ' 1', '1 ', '\n1\t', '01', '+1', '1e0', '0x1', '0b1', '0o1', '1.', '.5', 0.5, '',
  ' ', 0, -0, '0', '-0', 'NaN', NaN, 'Infinity', Infinity, '-Infinity', 'rust', 'Rust', '1_000', 1000,
  '1e3', '10', 10, '１', 'null', 'true', '0x', '-0x1', 1e21, '1e21', '1e+21', 'abc ', 'abc',
];

describe('looseEquals', () => {
  it('answers exactly like == on tricky strings and numbers', () => {
    for (const a of EDGE_CASES) {
      for (const b of EDGE_CASES) {
        expect(looseEquals(a, b), `${JSON.stringify(a)} == ${JSON.stringify(b)}`).toBe(jsLooseEquals(a, b));
      }
    }
  });

  it('answers like == on arbitrary strings and numbers', () => {
    const numericish = fc.oneof(
      fc.string(),
      fc.double().map(String),
      fc.integer().map((n) => ` ${n} `),
      fc.integer({ min: 0 }).map((n) => `0x${n.toString(16)}`),
    );
    const id = fc.oneof(numericish, fc.double(), fc.integer());
    fc.assert(fc.property(id, id, (a, b) => looseEquals(a, b) === jsLooseEquals(a, b)));
  });
});

describe('looseKey', () => {
  it('gives equal keys to every pair that == holds for, on the edge cases', () => {
    for (const a of EDGE_CASES) {
      for (const b of EDGE_CASES) {
        if (jsLooseEquals(a, b)) expect(looseKey(a), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(looseKey(b));
      }
    }
  });

  it('gives equal keys whenever == holds, on arbitrary values', () => {
    const id = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.integer().map((n) => `${n}.0`));
    fc.assert(fc.property(id, id, (a, b) => !jsLooseEquals(a, b) || looseKey(a) === looseKey(b)));
  });

  it('normalises numeric strings and keeps other strings readable', () => {
    expect(looseKey('rust')).toBe('rust');
    expect(looseKey(1)).toBe('1');
    expect(looseKey('1')).toBe('1');
    expect(looseKey('1.0')).toBe('1');
    expect(looseKey(' 1')).toBe('1');
    expect(looseKey('0x10')).toBe('16');
    expect(looseKey('')).toBe('0');
    expect(looseKey(-0)).toBe('0');
  });

  it('shares a key between strings that == keeps apart (callers filter with looseEquals)', () => {
    expect(looseKey('1')).toBe(looseKey('1.0'));
    expect(looseEquals('1', '1.0')).toBe(false);
  });
});

describe('isId', () => {
  it('accepts strings and numbers only', () => {
    expect([1, 'a', '', 0].every(isId)).toBe(true);
    expect([null, undefined, true, {}, [], 1n].some(isId)).toBe(false);
  });
});
