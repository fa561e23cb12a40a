/**
 * The behaviour every MessageStream backend must have, as one vitest suite. Backend test files call
 * `describeMessageStreamContract(name, open, reopen)`. Tests use fresh session ids and offsets relative
 * to `endOffset()`, so they also run against a shared Fluvio topic that already holds records.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MessageStream, StoredRecord, StreamRecord } from '../stream/messageStream.ts';

/** A fresh session id for a test. */
function newSid(label: string): string {
  return `${label}-${randomUUID()}`;
}

function botText(sid: string, n: number): StreamRecord {
  return { sid, payload: { kind: 'Request', message: { kind: 'BotText', content: `message ${n}` } }, timestamp: `2021-01-05T17:58:${String(n % 60).padStart(2, '0')}.511` };
}

async function collect(iterable: AsyncIterable<StoredRecord[]>): Promise<StoredRecord[][]> {
  const chunks: StoredRecord[][] = [];
  for await (const chunk of iterable) chunks.push(chunk);
  return chunks;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Declares the contract suite for one backend.
 * @param open opens a stream (a fresh one, or a shared one: the tests don't assume it is empty)
 * @param reopen opens again what `closed` stored, after `closed.close()`; omit to skip the durability tests
 * @param options.offsetsStableAcrossReopen false for backends whose offsets are one process's arrival order
 *   (Fluvio with several partitions): records must still all be there, in per-session order
 */
export function describeMessageStreamContract(
  name: string,
  open: () => Promise<MessageStream>,
  reopen?: (closed: MessageStream) => Promise<MessageStream>,
  options: { offsetsStableAcrossReopen?: boolean } = {},
): void {
  const stableOffsets = options.offsetsStableAcrossReopen ?? true;
  async function withStream(test: (stream: MessageStream) => Promise<void>): Promise<void> {
    const stream = await open();
    try {
      await test(stream);
    } finally {
      await stream.close();
    }
  }

  describe(`MessageStream contract: ${name}`, () => {
    it('gives appended records increasing offsets from endOffset() and reads them back', () =>
      withStream(async (stream) => {
        const sid = newSid('order');
        const start = stream.endOffset();
        const records = [{ sid, timestamp: '2021-01-05T17:58:46.511' }, botText(sid, 1), botText(sid, 2)];
        const offsets = await stream.append(records);
        expect(offsets).toHaveLength(3);
        expect(offsets[0]).toBeGreaterThanOrEqual(start);
        expect(offsets[1]).toBeGreaterThan(offsets[0]);
        expect(offsets[2]).toBeGreaterThan(offsets[1]);
        expect(stream.endOffset()).toBeGreaterThan(offsets[2]);
        const more = await stream.append([botText(sid, 3)]);
        expect(more[0]).toBeGreaterThan(offsets[2]);
        const read = await stream.read(offsets[0], offsets[2] - offsets[0] + 1);
        const ours = read.filter((stored) => stored.record.sid === sid);
        expect(ours.map((stored) => stored.offset)).toEqual(offsets);
        expect(ours.map((stored) => stored.record)).toEqual(records);
      }));

    it('reads at most `limit` records and nothing past the end', () =>
      withStream(async (stream) => {
        const sid = newSid('limit');
        const offsets = await stream.append([botText(sid, 1), botText(sid, 2), botText(sid, 3)]);
        const two = await stream.read(offsets[0], 2);
        expect(two).toHaveLength(2);
        expect(two[0].offset).toBe(offsets[0]);
        expect(await stream.read(stream.endOffset(), 10)).toEqual([]);
        expect(await stream.read(offsets[0], 0)).toEqual([]);
      }));

    it('keeps records without payload and extra fields exactly', () =>
      withStream(async (stream) => {
        const sid = newSid('extra');
        const start = { sid, timestamp: '2021-01-05T17:58:46.511' };
        const extra = { ...botText(sid, 1), channel: 'web', operator: { id: 7, tags: ['a', 'b'] }, note: 'héllo ✓ "quoted"' };
        const offsets = await stream.append([start, extra]);
        const [first, second] = await stream.read(offsets[0], 2);
        expect(first.record).toEqual(start);
        expect('payload' in first.record).toBe(false);
        expect(second.record).toEqual(extra);
        const [chunk] = await collect(stream.readSession(sid));
        expect(chunk.map((stored) => stored.record)).toEqual([start, extra]);
      }));

    it("reads one session's records in order, in chunks, without the other sessions", () =>
      withStream(async (stream) => {
        const sid = newSid('chunks');
        const other = newSid('other');
        const mine: StreamRecord[] = [];
        for (let batch = 0; batch < 60; batch++) {
          const records: StreamRecord[] = [];
          for (let n = 0; n < 10; n++) {
            const record = botText(sid, batch * 10 + n);
            mine.push(record);
            records.push(record, botText(other, n));
          }
          await stream.append(records);
        }
        expect(stream.hasSession(sid)).toBe(true);
        expect(stream.hasSession(newSid('unknown'))).toBe(false);
        const chunks = await collect(stream.readSession(sid, { chunkSize: 256 }));
        expect(chunks.map((chunk) => chunk.length)).toEqual([256, 256, 88]);
        const all = chunks.flat();
        expect(all.map((stored) => stored.record)).toEqual(mine);
        for (let i = 1; i < all.length; i++) expect(all[i].offset).toBeGreaterThan(all[i - 1].offset);
        const defaultChunks = await collect(stream.readSession(sid));
        expect(defaultChunks.map((chunk) => chunk.length)).toEqual([256, 256, 88]);
        expect(await collect(stream.readSession(newSid('unknown')))).toEqual([]);
      }));

    it('summarises sessions from the index', () =>
      withStream(async (stream) => {
        const sid = newSid('summary');
        const offsets = await stream.append([{ sid, timestamp: '2021-01-05T17:58:46.511' }, botText(sid, 7)]);
        const last = await stream.append([{ ...botText(sid, 9), timestamp: '2021-01-05T18:00:00.000' }]);
        const summary = [...stream.sessions()].find((session) => session.sid === sid);
        expect(summary).toEqual({ sid, count: 3, firstOffset: offsets[0], lastOffset: last[0], firstTimestamp: '2021-01-05T17:58:46.511', lastTimestamp: '2021-01-05T18:00:00.000' });
      }));

    it('tells subscribers about durable records until they unsubscribe', () =>
      withStream(async (stream) => {
        const sid = newSid('subscribe');
        const seen: StoredRecord[] = [];
        const unsubscribe = stream.subscribe((records) => seen.push(...records.filter((stored) => stored.record.sid === sid)));
        const offsets = await stream.append([botText(sid, 1), botText(sid, 2)]);
        await waitFor(() => seen.length >= 2, 'the subscriber to see 2 records');
        expect(seen.map((stored) => stored.offset)).toEqual(offsets);
        expect(seen.map((stored) => stored.record)).toEqual([botText(sid, 1), botText(sid, 2)]);
        unsubscribe();
        const sentinel = newSid('sentinel');
        const stillSubscribed: StoredRecord[] = [];
        const second = stream.subscribe((records) => stillSubscribed.push(...records));
        await stream.append([botText(sid, 3), botText(sentinel, 1)]);
        await waitFor(() => stillSubscribed.some((stored) => stored.record.sid === sentinel), 'the second subscriber');
        second();
        expect(seen).toHaveLength(2);
      }));

    it('handles many concurrent appenders: unique offsets, per-session order kept', () =>
      withStream(async (stream) => {
        const sids = Array.from({ length: 50 }, () => newSid('concurrent'));
        const results = await Promise.all(
          sids.map(async (sid) => {
            const offsets: number[] = [];
            for (let n = 0; n < 10; n++) offsets.push(...(await stream.append(n % 3 === 0 ? [botText(sid, n), botText(sid, n + 100)] : [botText(sid, n)])));
            return offsets;
          }),
        );
        const all = results.flat();
        expect(new Set(all).size).toBe(all.length);
        for (const [i, sid] of sids.entries()) {
          const stored = (await collect(stream.readSession(sid))).flat();
          expect(stored.map((s) => s.offset)).toEqual(results[i]);
          const expected: StreamRecord[] = [];
          for (let n = 0; n < 10; n++) expected.push(...(n % 3 === 0 ? [botText(sid, n), botText(sid, n + 100)] : [botText(sid, n)]));
          expect(stored.map((s) => s.record)).toEqual(expected);
        }
      }));

    it('rejects a record without a sid or timestamp with a clear error', () =>
      withStream(async (stream) => {
        await expect(stream.append([{ timestamp: '2021-01-05T17:58:46.511' } as unknown as StreamRecord])).rejects.toThrow(/sid/);
        await expect(stream.append([{ sid: newSid('bad') } as unknown as StreamRecord])).rejects.toThrow(/timestamp/);
        expect(await stream.append([])).toEqual([]);
      }));

    it('finishes pending appends on close and rejects appends after it', async () => {
      const stream = await open();
      const sid = newSid('close');
      const pending = stream.append([botText(sid, 1)]);
      const closing = stream.close();
      const offsets = await pending;
      await closing;
      await expect(stream.append([botText(sid, 2)])).rejects.toThrow(/closed/);
      if (reopen) {
        const again = await reopen(stream);
        try {
          if (stableOffsets) expect((await again.read(offsets[0], 1))[0].record).toEqual(botText(sid, 1));
          expect((await collect(again.readSession(sid))).flat().map((stored) => stored.record)).toEqual([botText(sid, 1)]);
        } finally {
          await again.close();
        }
      }
    });

    it.skipIf(!reopen)('keeps every acknowledged record, the index and the offsets across a reopen', async () => {
      const stream = await open();
      const sid = newSid('durable');
      const records = Array.from({ length: 300 }, (_, n) => ({ ...botText(sid, n), extra: n }));
      const offsets: number[] = [];
      for (let i = 0; i < records.length; i += 30) offsets.push(...(await stream.append(records.slice(i, i + 30))));
      const end = stream.endOffset();
      await stream.close();
      const again = await reopen!(stream);
      try {
        expect(again.endOffset()).toBeGreaterThanOrEqual(end);
        expect(again.hasSession(sid)).toBe(true);
        const stored = (await collect(again.readSession(sid, { chunkSize: 64 }))).flat();
        if (stableOffsets) expect(stored.map((s) => s.offset)).toEqual(offsets);
        expect(stored.map((s) => s.record)).toEqual(records);
        const next = await again.append([botText(sid, 999)]);
        expect(next[0]).toBeGreaterThanOrEqual(end);
      } finally {
        await again.close();
      }
    });
  });
}
