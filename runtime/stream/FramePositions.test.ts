import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FramePositions } from './FramePositions.ts';

/** Increasing positions from steps (each at least 1). */
function positionsOf(steps: number[], first = 0): number[] {
  const positions: number[] = [];
  let at = first;
  for (const step of steps) {
    positions.push(at);
    at += step;
  }
  return positions;
}

describe('FramePositions', () => {
  it('gives back every position pushed, across blocks, growth and steps too big for 16 bits', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0xfff0, max: 0x20000 })), { maxLength: 3000, size: 'max' }), fc.nat(2 ** 20), (steps, first) => {
        const positions = positionsOf(steps, first);
        const table = new FramePositions(16);
        for (const position of positions) table.push(position);
        expect(table.length).toBe(positions.length);
        positions.forEach((position, i) => expect(table.at(i)).toBe(position));
        // out of order too: backwards, and jumps within and across blocks
        for (let i = positions.length - 1; i >= 0; i -= 1 + (i % 7)) expect(table.at(i)).toBe(positions[i]);
        for (let i = 0; i < positions.length; i += 3 + (i % 40)) expect([table.at(i), table.at(Math.max(0, i - 2))]).toEqual([positions[i], positions[Math.max(0, i - 2)]]);
        expect([...table.toArray()]).toEqual(positions);
        table.trim();
        positions.forEach((position, i) => expect(table.at(i)).toBe(position));
        const copy = FramePositions.from(table.toArray());
        positions.forEach((position, i) => expect(copy.at(i)).toBe(position));
      }),
      { numRuns: 25 },
    );
  });

  it('holds about 2 bytes a frame once trimmed (4 as whole 32-bit positions)', () => {
    const table = new FramePositions();
    const count = 100_000;
    for (const position of positionsOf(Array.from({ length: count }, (_, i) => 150 + (i % 300)))) table.push(position);
    table.trim();
    expect(table.byteLength).toBe(2 * count + 4 * Math.ceil(count / 32));
    // positions up to the 4 GiB a segment may not reach anyway
    expect(table.at(count - 1)).toBe(positionsOf(Array.from({ length: count }, (_, i) => 150 + (i % 300)))[count - 1]);
  });

  it('goes on growing after a trim (a segment reopened from a snapshot)', () => {
    const table = new FramePositions();
    table.trim();
    for (let i = 0; i < 100; i++) table.push(i * 10);
    expect(table.at(99)).toBe(990);
  });
});
