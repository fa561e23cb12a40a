import { describe, expect, it } from 'vitest';
import { besideSource, freeSpot, overlaps } from './freeSpot.ts';

describe('freeSpot', () => {
  it('keeps the wanted point when it is free', () => {
    expect(freeSpot([{ x: 0, y: 0 }], { x: 600, y: 0 })).toEqual({ x: 600, y: 0 });
  });

  it('never answers a spot that overlaps a step, however crowded the place', () => {
    const taken = Array.from({ length: 40 }, (_, i) => ({ x: (i % 5) * 120, y: Math.floor(i / 5) * 90 }));
    for (const wanted of [{ x: 0, y: 0 }, { x: 200, y: 300 }, { x: -50, y: 700 }]) {
      const spot = freeSpot(taken, wanted);
      expect(taken.some((box) => overlaps(box, spot))).toBe(false);
    }
  });

  it('puts a follower to the right of its source, below a step already there', () => {
    const first = besideSource([{ x: 0, y: 0 }], { x: 0, y: 0 });
    expect(first.x).toBeGreaterThan(240);
    expect(first.y).toBe(0);
    const second = besideSource([{ x: 0, y: 0 }, first], { x: 0, y: 0 });
    expect(second.x).toBe(first.x);
    expect(overlaps(second, first)).toBe(false);
  });
});
