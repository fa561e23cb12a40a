/**
 * What the embedded log knows about its segments in memory: each segment's frame positions, the
 * per-session index, the next offset, and reading records back from the files by offset.
 * Opening (loadSegments.ts), writing (GroupCommit.ts) and following (followSegments.ts) all add frames here.
 */
import { readSync } from 'node:fs';
import type { StoredRecord } from './messageStream.ts';
import { FramePositions } from './FramePositions.ts';
import { SessionIndex } from './SessionIndex.ts';
import { decodeRecord, probeFrame } from './recordFrame.ts';
import { segmentPath } from './segmentFiles.ts';
import { readFully, type LogFile, type LogFileSystem } from './logFileSystem.ts';

/**
 * readOffsets merges nearby records into one read when the bytes between them are fewer than this.
 * Small, because a session's records interleave with every other live session's: reading the
 * gaps too would read the whole stream to replay one session.
 */
const READ_GAP_BYTES = 4 * 1024;
const MAX_READ_SPAN_BYTES = 1024 * 1024;
/** thread-pool reads of one readOffsets call in flight at once (when the file has no descriptor to read directly) */
const PARALLEL_READS = 32;

export interface Segment {
  number: number;
  path: string;
  baseOffset: number;
  /** end of the last whole frame */
  size: number;
  /** byte position of each frame (its length is the segment's frame count) */
  positions: FramePositions;
  reader?: Promise<LogFile>;
}

export class LogSegments {
  readonly list: Segment[] = [];
  readonly index = new SessionIndex();
  /** the offset the next frame gets */
  nextOffset = 0;
  private closed = false;

  constructor(
    /** absolute path of the data directory */
    readonly dir: string,
    private readonly fs: LogFileSystem,
  ) {}

  /** The last segment (the one being written), if there is any. */
  get last(): Segment | undefined {
    return this.list[this.list.length - 1];
  }

  /**
   * Starts keeping track of segment `number`, which begins at the next offset. The segment before it
   * is complete (nothing is added to a segment once the next one exists): its position table lets go
   * of its room to grow, so a long log holds about 2 bytes a record for positions.
   */
  add(number: number, positions = new FramePositions()): Segment {
    this.last?.positions.trim();
    const segment: Segment = { number, path: segmentPath(this.dir, number), baseOffset: this.nextOffset, size: 0, positions };
    this.list.push(segment);
    return segment;
  }

  /** Adds one frame found on disk (or just written) to the position table and the session index; returns its offset. */
  indexFrame(segment: Segment, sid: string, timestamp: string, position: number): number {
    segment.positions.push(position);
    const offset = this.nextOffset++;
    this.index.add(sid, offset, timestamp);
    return offset;
  }

  /** Sizes for benchmarks and the history panel. */
  stats(): { records: number; sessions: number; segments: number; indexBytes: number } {
    const positionBytes = this.list.reduce((sum, segment) => sum + segment.positions.byteLength, 0);
    return { records: this.nextOffset, sessions: this.index.sessionCount, segments: this.list.length, indexBytes: positionBytes + this.index.deltaBytes() };
  }

  /** From now on reads reject (the log is closing). */
  refuseReads(): void {
    this.closed = true;
  }

  /** Closes the files opened for reading; later reads reject. */
  async closeReaders(): Promise<void> {
    this.closed = true;
    for (const segment of this.list) {
      if (segment.reader) await segment.reader.then((file) => file.close()).catch(() => {});
    }
  }

  /** The segment's file opened for reading (opened once, on first use). */
  readerOf(segment: Segment): Promise<LogFile> {
    if (this.closed) return Promise.reject(new Error(`embedded log: ${this.dir} is closed; cannot read after close()`));
    segment.reader ??= this.fs.open(segment.path, 'r');
    return segment.reader;
  }

  /** Reads the records at the given increasing offsets, merging nearby ones into one read and running the reads in parallel. */
  async readOffsets(offsets: number[]): Promise<StoredRecord[]> {
    const spans: { segment: Segment; from: number; to: number; first: number; end: number; buffer?: Buffer }[] = [];
    let i = 0;
    while (i < offsets.length) {
      const segment = this.segmentOf(offsets[i]);
      const segmentEnd = segment.baseOffset + segment.positions.length;
      const start = (o: number) => segment.positions.at(o - segment.baseOffset);
      const end = (o: number) => (o + 1 < segmentEnd ? segment.positions.at(o + 1 - segment.baseOffset) : segment.size);
      const spanStart = start(offsets[i]);
      let spanEnd = end(offsets[i]);
      let j = i + 1;
      while (j < offsets.length && offsets[j] < segmentEnd && start(offsets[j]) - spanEnd <= READ_GAP_BYTES && end(offsets[j]) - spanStart <= MAX_READ_SPAN_BYTES) {
        spanEnd = end(offsets[j]);
        j += 1;
      }
      spans.push({ segment, from: spanStart, to: spanEnd, first: i, end: j });
      i = j;
    }
    let next = 0;
    const readNext = async (): Promise<void> => {
      while (next < spans.length) {
        const span = spans[next++];
        const file = await this.readerOf(span.segment);
        span.buffer = file.fd === undefined ? await readBytes(file, span.segment, span.from, span.to) : readBytesNow(file.fd, span.segment, span.from, span.to);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, spans.length) }, readNext));
    const out: StoredRecord[] = [];
    for (const { segment, from, first, end, buffer } of spans) {
      for (let k = first; k < end; k++) {
        const at = segment.positions.at(offsets[k] - segment.baseOffset) - from;
        const probe = probeFrame(buffer!, at, buffer!.length);
        if (probe.kind !== 'frame') throw new Error(`embedded log: record ${offsets[k]} in segment ${segment.number} is unreadable (${probe.reason})`);
        out.push({ offset: offsets[k], record: decodeRecord(buffer!, probe) });
      }
    }
    return out;
  }

  private segmentOf(offset: number): Segment {
    let low = 0;
    let high = this.list.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.list[middle].baseOffset <= offset) low = middle;
      else high = middle - 1;
    }
    return this.list[low];
  }
}

async function readBytes(file: LogFile, segment: Segment, from: number, to: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(to - from);
  const length = await readFully(file, buffer, to - from, from);
  if (length < to - from) throw shortSegment(segment, from + length, to);
  return buffer;
}

/**
 * Reads without the thread pool. A replay reads one small record after another, mostly from the
 * page cache (the log wrote them): a thread-pool round trip per record costs more than the read,
 * and queues the writer's fdatasync behind hundreds of reads.
 */
function readBytesNow(fd: number, segment: Segment, from: number, to: number): Buffer {
  const buffer = Buffer.allocUnsafe(to - from);
  let length = 0;
  while (length < to - from) {
    const read = readSync(fd, buffer, length, to - from - length, from + length);
    if (read === 0) break;
    length += read;
  }
  if (length < to - from) throw shortSegment(segment, from + length, to);
  return buffer;
}

function shortSegment(segment: Segment, length: number, expected: number): Error {
  return new Error(`embedded log: segment ${segment.path} is shorter than expected (${length} < ${expected} bytes)`);
}
