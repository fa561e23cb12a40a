import { describe, expect, it } from 'vitest';
import { READABLE_ZOOM, readableViewport, type Box } from './readableViewport.ts';

const row = (count: number, gap = 340): Map<string, Box> => new Map(Array.from({ length: count }, (_, i) => [`s${i}`, { x: i * gap, y: (i % 2) * 150, width: 240, height: 100 }]));

describe('readableViewport', () => {
  it('shows the whole flow, centred, when it fits at a readable zoom', () => {
    const vp = readableViewport(row(3), { width: 1200, height: 600 }, 's0');
    expect(vp.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(vp.zoom).toBeLessThanOrEqual(1);
    // the flow spans x 0..920: its middle is at the pane's middle
    expect(vp.x + 460 * vp.zoom).toBeCloseTo(600);
  });

  it('never zooms in past 1', () => {
    expect(readableViewport(row(1), { width: 1200, height: 600 }, 's0').zoom).toBe(1);
  });

  it('frames the start at a readable zoom when the whole flow would be too small', () => {
    const vp = readableViewport(row(12), { width: 400, height: 700 }, 's0');
    // s0 and s1 (x 0..580) fit whole at the readable zoom, s2 does not
    expect(vp.zoom).toBeCloseTo(376 / 580);
    expect(vp.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(vp.x).toBe(12); // the start state at the left edge
    // those first columns are centred vertically: s0 (y 0) and s1 (y 150) span 0..250
    expect(vp.y + 125 * vp.zoom).toBeCloseTo(350);
  });

  it('stays at the readable zoom when only the start state fits', () => {
    const vp = readableViewport(row(12), { width: 300, height: 700 }, 's0');
    expect(vp.zoom).toBe(READABLE_ZOOM);
    expect(vp.x).toBe(12);
  });
});
