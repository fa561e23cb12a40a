import { describe, expect, it } from 'vitest';
import { SessionIndex } from './SessionIndex.ts';

describe('SessionIndex', () => {
  it('gives back offsets in order, in batches, including offsets past 2^32', () => {
    const index = new SessionIndex();
    const offsets = [0, 1, 127, 128, 16_383, 16_384, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, 2 ** 40, Number.MAX_SAFE_INTEGER - 1];
    for (const offset of offsets) index.add('s', offset, `t${offset}`);
    const cursor = index.cursor('s')!;
    expect(cursor.total).toBe(offsets.length);
    expect([...cursor.take(4), ...cursor.take(4), ...cursor.take(100)]).toEqual(offsets);
    expect(cursor.done).toBe(true);
    expect(cursor.take(1)).toEqual([]);
    expect(index.summary('s')).toEqual({ sid: 's', count: offsets.length, firstOffset: 0, lastOffset: Number.MAX_SAFE_INTEGER - 1, firstTimestamp: 't0', lastTimestamp: `t${Number.MAX_SAFE_INTEGER - 1}` });
  });

  it('visits only the offsets a session had when the cursor was made', () => {
    const index = new SessionIndex();
    for (let i = 0; i < 10; i++) index.add(i % 2 ? 'odd' : 'even', i, 't');
    const cursor = index.cursor('odd')!;
    for (let i = 10; i < 1000; i++) index.add('odd', i, 't');
    expect(cursor.take(100)).toEqual([1, 3, 5, 7, 9]);
    expect(index.cursor('missing')).toBeUndefined();
    expect([...index.summaries()].map((summary) => [summary.sid, summary.count])).toEqual([
      ['even', 5],
      ['odd', 995],
    ]);
  });
});
