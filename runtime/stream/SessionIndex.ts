/**
 * Per-session index of stream offsets, kept compact: each session holds its offsets as varint-encoded
 * deltas in a growable byte array (about 2 bytes a record when sessions interleave), plus a summary.
 * It never holds the records themselves.
 */
import type { SessionSummary } from './messageStream.ts';

interface SessionEntry extends SessionSummary {
  deltas: Uint8Array;
  deltaBytes: number;
}

/** A session's entry as an index snapshot stores it: its summary and its varint-encoded offset deltas. */
export interface SessionSnapshot extends SessionSummary {
  deltas: Uint8Array;
}

const INITIAL_DELTA_CAPACITY = 8;
const TWO_POW_31 = 2 ** 31;

export class SessionIndex {
  private readonly entries = new Map<string, SessionEntry>();

  /** Records that `sid` has a record at `offset` (offsets of one session must be added in increasing order). */
  add(sid: string, offset: number, timestamp: string): void {
    let entry = this.entries.get(sid);
    if (!entry) {
      entry = { sid, count: 0, firstOffset: offset, lastOffset: offset, firstTimestamp: timestamp, lastTimestamp: timestamp, deltas: new Uint8Array(INITIAL_DELTA_CAPACITY), deltaBytes: 0 };
      this.entries.set(sid, entry);
      appendVarint(entry, offset);
    } else {
      appendVarint(entry, offset - entry.lastOffset);
    }
    entry.count += 1;
    entry.lastOffset = offset;
    entry.lastTimestamp = timestamp;
  }

  has(sid: string): boolean {
    return this.entries.has(sid);
  }

  /** The summary of one session, or undefined. */
  summary(sid: string): SessionSummary | undefined {
    const entry = this.entries.get(sid);
    return entry && toSummary(entry);
  }

  /** Summaries of every session, in order of first appearance. */
  *summaries(): IterableIterator<SessionSummary> {
    for (const entry of this.entries.values()) yield toSummary(entry);
  }

  get sessionCount(): number {
    return this.entries.size;
  }

  /** A cursor over the session's offsets as they are now (later additions are not visited). */
  cursor(sid: string): SessionOffsetCursor | undefined {
    const entry = this.entries.get(sid);
    return entry && new SessionOffsetCursor(entry, entry.count);
  }

  /** Every entry with its offset list trimmed to the bytes in use (for an index snapshot, indexSnapshot.ts). */
  *snapshot(): IterableIterator<SessionSnapshot> {
    for (const entry of this.entries.values()) yield { ...toSummary(entry), deltas: entry.deltas.slice(0, entry.deltaBytes) };
  }

  /** Adds entries taken by `snapshot()` (to an empty index, in their order). */
  restore(entries: Iterable<SessionSnapshot>): void {
    for (const { deltas, ...summary } of entries) {
      // room for one more varint, so appendVarint's doubling always makes enough
      const grown = new Uint8Array(Math.max(INITIAL_DELTA_CAPACITY, deltas.length + 8));
      grown.set(deltas);
      this.entries.set(summary.sid, { ...summary, deltas: grown, deltaBytes: deltas.length });
    }
  }

  /** Bytes held by the offset lists (for benchmarks and memory checks). */
  deltaBytes(): number {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.deltas.byteLength;
    return total;
  }
}

/** Walks one session's offsets in order, a batch at a time. */
export class SessionOffsetCursor {
  private position = 0;
  private visited = 0;
  private previous = 0;

  constructor(
    private readonly entry: SessionEntry,
    /** how many offsets the cursor visits */
    readonly total: number,
  ) {}

  get done(): boolean {
    return this.visited >= this.total;
  }

  /** The next (at most) `n` offsets. */
  take(n: number): number[] {
    const out: number[] = [];
    // The array may be replaced when it grows; the prefix we read stays the same.
    const bytes = this.entry.deltas;
    while (out.length < n && this.visited < this.total) {
      let value = 0;
      let scale = 1;
      for (;;) {
        const byte = bytes[this.position++];
        value += (byte & 0x7f) * scale;
        if (byte < 0x80) break;
        scale *= 128;
      }
      this.previous = this.visited === 0 ? value : this.previous + value;
      out.push(this.previous);
      this.visited += 1;
    }
    return out;
  }
}

function toSummary(entry: SessionEntry): SessionSummary {
  return { sid: entry.sid, count: entry.count, firstOffset: entry.firstOffset, lastOffset: entry.lastOffset, firstTimestamp: entry.firstTimestamp, lastTimestamp: entry.lastTimestamp };
}

function appendVarint(entry: SessionEntry, value: number): void {
  if (entry.deltaBytes + 8 > entry.deltas.length) {
    const grown = new Uint8Array(entry.deltas.length * 2);
    grown.set(entry.deltas.subarray(0, entry.deltaBytes));
    entry.deltas = grown;
  }
  const bytes = entry.deltas;
  let at = entry.deltaBytes;
  if (value < TWO_POW_31) {
    while (value >= 0x80) {
      bytes[at++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
  } else {
    // Offsets past 2^31 cannot use 32-bit bit operations.
    while (value >= 0x80) {
      bytes[at++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
  }
  bytes[at++] = value;
  entry.deltaBytes = at;
}
