import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { minimalEdit } from './minimalEdit.ts';

function apply(from: string, edit: ReturnType<typeof minimalEdit>): string {
  return from.slice(0, edit.offset) + edit.insert + from.slice(edit.offset + edit.deleteLength);
}

describe('minimalEdit', () => {
  it('replaces only the changed middle', () => {
    expect(minimalEdit('{"a": 1, "b": 2}', '{"a": 1, "b": 3}')).toEqual({ offset: 14, deleteLength: 1, insert: '3' });
  });

  it('is empty for equal texts', () => {
    expect(minimalEdit('same', 'same')).toEqual({ offset: 4, deleteLength: 0, insert: '' });
  });

  it('handles pure insertions and deletions', () => {
    expect(minimalEdit('ac', 'abc')).toEqual({ offset: 1, deleteLength: 0, insert: 'b' });
    expect(minimalEdit('abc', 'ac')).toEqual({ offset: 1, deleteLength: 1, insert: '' });
  });

  it('never splits a surrogate pair', () => {
    const edit = minimalEdit('x\u{1F600}', 'x\u{1F601}');
    expect(edit.offset).toBe(1);
    expect(edit.insert).toBe('\u{1F601}');
  });

  it('always turns one text into the other', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (from, to) => {
      expect(apply(from, minimalEdit(from, to))).toBe(to);
    }));
  });
});
