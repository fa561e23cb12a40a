/**
 * The default MessageStream: a durable append-only log in a local data directory.
 *
 * - Segment files `00000001.seg`, `00000002.seg`, ... of CRC-checked frames (see recordFrame.ts), rolled at a size.
 * - `append` resolves once the records are written and fdatasync'ed. Appends that arrive while a write is
 *   in flight wait and go out together in the next write + fdatasync (group commit).
 * - At open, a torn or corrupt tail of the last segment (a crash mid-write) is cut away with one log line.
 * - A per-session index (SessionIndex) and a per-segment table of frame positions let `readSession` read
 *   a session's records without scanning the stream. Both are rebuilt at open by a streaming scan that
 *   reads only frame headers.
 * - One writer per directory (LOCK file). Read-only opens (the `consume` command) take no lock and can
 *   follow the files' growth while a server writes.
 */
import { readSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { MessageStream, SessionSummary, StoredRecord, StreamLogger, StreamRecord } from './MessageStream.ts';
import { SessionIndex } from './SessionIndex.ts';
import { decodeRecord, encodeFrame, probeFrame } from './recordFrame.ts';
import { scanSegment } from './scanSegment.ts';
import { lockDataDir } from './lockDataDir.ts';
import { describeFsError, nodeLogFileSystem, readFully, type LogFile, type LogFileSystem } from './logFileSystem.ts';

export const DEFAULT_DATA_DIR = './.bot-assistant-data';
const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
const MAX_SEGMENT_BYTES = 1024 * 1024 * 1024;
/** Upper bound of one write call; a bigger group commit is split into several writes. */
const MAX_WRITE_BYTES = 8 * 1024 * 1024;
/**
 * readSession merges nearby records into one read when the bytes between them are fewer than this.
 * Small, because a session's records interleave with every other live session's: reading the
 * gaps too would read the whole stream to replay one session.
 */
const READ_GAP_BYTES = 4 * 1024;
const MAX_READ_SPAN_BYTES = 1024 * 1024;
/** thread-pool reads of one readOffsets call in flight at once (when the file has no descriptor to read directly) */
const PARALLEL_READS = 32;
const SEGMENT_FILE = /^(\d{8})\.seg$/;

export interface EmbeddedLogOptions {
  /** data directory; created if missing (unless read-only). Default `./.bot-assistant-data`. */
  dir?: string;
  logger?: StreamLogger;
  /** a segment is closed and a new one started once it reaches this size. Default 64 MiB. */
  segmentBytes?: number;
  /** file-system port (tests inject failures here). Default node:fs/promises. */
  fs?: LogFileSystem;
  /** open without the writer lock, for consumers; `append` rejects. */
  readOnly?: boolean;
  /** read-only only: poll the segment files and deliver new records to subscribers. */
  follow?: boolean;
  /** polling period of `follow`, default 100 ms */
  pollIntervalMs?: number;
}

interface Segment {
  number: number;
  path: string;
  baseOffset: number;
  count: number;
  /** end of the last whole frame */
  size: number;
  /** byte position of each frame */
  positions: Uint32Array;
  reader?: Promise<LogFile>;
}

interface PendingAppend {
  records: StreamRecord[];
  frames: Buffer[];
  bytes: number;
  resolve(offsets: number[]): void;
  reject(error: Error): void;
}

const defaultLogger: StreamLogger = { info: (message) => console.info(message), warn: (message) => console.warn(message) };

/** Opens (creating if needed) the embedded log in `options.dir`. */
export async function openEmbeddedLog(options: EmbeddedLogOptions = {}): Promise<EmbeddedLog> {
  return EmbeddedLog.open(options);
}

export class EmbeddedLog implements MessageStream {
  private readonly segments: Segment[] = [];
  private readonly index = new SessionIndex();
  private readonly listeners = new Set<(records: StoredRecord[]) => void>();
  private nextOffset = 0;
  private writer?: LogFile;
  /** set when a failed write could not be cut back: the length the active segment must be truncated to first */
  private repairTo?: number;
  private queue: PendingAppend[] = [];
  /** reused for every group commit (one write at a time), so a busy log does not allocate megabytes per fdatasync */
  private writeBuffer = Buffer.alloc(0);
  private flushing?: Promise<void>;
  private polling?: Promise<void>;
  private pollTimer?: ReturnType<typeof setInterval>;
  private closing = false;
  private closed?: Promise<void>;

  private constructor(
    /** absolute path of the data directory */
    readonly dir: string,
    private readonly fs: LogFileSystem,
    private readonly logger: StreamLogger,
    private readonly segmentBytes: number,
    readonly readOnly: boolean,
    private readonly releaseLock?: () => Promise<void>,
  ) {}

  /** See openEmbeddedLog. */
  static async open(options: EmbeddedLogOptions): Promise<EmbeddedLog> {
    const fs = options.fs ?? nodeLogFileSystem;
    const dir = resolve(options.dir ?? DEFAULT_DATA_DIR);
    const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    if (!Number.isInteger(segmentBytes) || segmentBytes < 1 || segmentBytes > MAX_SEGMENT_BYTES) {
      throw new Error(`embedded log: segmentBytes must be an integer from 1 to ${MAX_SEGMENT_BYTES}, got ${segmentBytes}`);
    }
    const readOnly = options.readOnly ?? false;
    if (readOnly) {
      const isDirectory = await fs.stat(dir).then((stats) => stats.isDirectory(), () => false);
      if (!isDirectory) throw new Error(`embedded log: no data directory at ${dir}`);
    } else {
      await fs.mkdir(dir, { recursive: true }).catch((error: unknown) => {
        throw new Error(`embedded log: cannot create the data directory ${dir}: ${describeFsError(error)}`);
      });
    }
    const releaseLock = readOnly ? undefined : await lockDataDir(fs, dir);
    const log = new EmbeddedLog(dir, fs, options.logger ?? defaultLogger, segmentBytes, readOnly, releaseLock);
    try {
      await log.load();
    } catch (error) {
      await log.close().catch(() => {});
      throw error;
    }
    if (readOnly && options.follow) log.startFollowing(options.pollIntervalMs ?? 100);
    return log;
  }

  append(records: StreamRecord[]): Promise<number[]> {
    if (this.readOnly) return Promise.reject(new Error(`embedded log: ${this.dir} is open read-only; only the process holding its lock appends`));
    if (this.closing) return Promise.reject(new Error(`embedded log: ${this.dir} is closed; cannot append after close()`));
    if (!Array.isArray(records)) return Promise.reject(new Error('embedded log: append expects an array of records'));
    const frames: Buffer[] = [];
    let bytes = 0;
    for (let i = 0; i < records.length; i++) {
      try {
        frames.push(encodeFrame(records[i]));
      } catch (error) {
        return Promise.reject(new Error(`embedded log: cannot append record ${i} of ${records.length}: ${(error as Error).message}`));
      }
      bytes += frames[i].length;
    }
    if (frames.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ records: records.slice(), frames, bytes, resolve, reject });
      this.flushing ??= this.flushQueue();
    });
  }

  hasSession(sid: string): boolean {
    return this.index.has(sid);
  }

  sessions(): Iterable<SessionSummary> {
    return this.index.summaries();
  }

  /** The summary of one session, or undefined. */
  sessionSummary(sid: string): SessionSummary | undefined {
    return this.index.summary(sid);
  }

  async *readSession(sid: string, options: { chunkSize?: number } = {}): AsyncIterable<StoredRecord[]> {
    const chunkSize = options.chunkSize ?? 256;
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new Error(`embedded log: chunkSize must be a positive integer, got ${chunkSize}`);
    const cursor = this.index.cursor(sid);
    if (!cursor) return;
    while (!cursor.done) yield await this.readOffsets(cursor.take(chunkSize));
  }

  async read(offset: number, limit: number): Promise<StoredRecord[]> {
    if (!Number.isInteger(offset) || offset < 0) throw new Error(`embedded log: read offset must be a non-negative integer, got ${offset}`);
    if (!Number.isInteger(limit) || limit < 0) throw new Error(`embedded log: read limit must be a non-negative integer, got ${limit}`);
    const end = Math.min(this.nextOffset, offset + limit);
    const offsets: number[] = [];
    for (let o = offset; o < end; o++) offsets.push(o);
    return this.readOffsets(offsets);
  }

  endOffset(): number {
    return this.nextOffset;
  }

  subscribe(listener: (records: StoredRecord[]) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Sizes for benchmarks and the history panel. */
  stats(): { records: number; sessions: number; segments: number; indexBytes: number } {
    const positionBytes = this.segments.reduce((sum, segment) => sum + segment.positions.byteLength, 0);
    return { records: this.nextOffset, sessions: this.index.sessionCount, segments: this.segments.length, indexBytes: positionBytes + this.index.deltaBytes() };
  }

  /** Writes what is pending, then closes the files and releases the lock. Later appends reject. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true;
      if (this.pollTimer) clearInterval(this.pollTimer);
      while (this.flushing) await this.flushing;
      while (this.polling) await this.polling;
      await this.writer?.close().catch(() => {});
      for (const segment of this.segments) {
        if (segment.reader) await segment.reader.then((file) => file.close()).catch(() => {});
      }
      await this.releaseLock?.();
    })();
    return this.closed;
  }

  // ---- opening ----

  private async load(): Promise<void> {
    const numbers = (await this.fs.readdir(this.dir))
      .map((name) => SEGMENT_FILE.exec(name))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => Number(match[1]))
      .sort((a, b) => a - b);
    numbers.forEach((number, i) => {
      if (number !== numbers[0] + i) {
        throw new Error(`embedded log: segment ${numbers[0] + i} is missing from ${this.dir} (found ${numbers.join(', ')}); refusing to open a log with a hole`);
      }
    });
    const scratch = { buffer: Buffer.allocUnsafe(8 * 1024 * 1024) };
    for (let i = 0; i < numbers.length; i++) {
      const isLast = i === numbers.length - 1;
      const segment = this.addSegment(numbers[i]);
      const file = await this.fs.open(segment.path, this.readOnly ? 'r' : 'r+');
      let keepOpen = false;
      try {
        const fileSize = (await file.stat()).size;
        const scan = await scanSegment(file, 0, fileSize, (sid, timestamp, position) => this.indexFrame(segment, sid, timestamp, position), scratch);
        segment.size = scan.goodEnd;
        if (scan.problem && !isLast) {
          throw new Error(
            `embedded log: segment ${segment.number} (${segment.path}) is corrupt at offset ${scan.problem.position} (${scan.problem.reason}). ` +
              'It is not the last segment, so this is damage, not a torn write: move the data directory aside and restore it from a backup.',
          );
        }
        if (scan.problem && !this.readOnly) {
          await file.truncate(scan.goodEnd);
          await file.sync();
          this.logger.warn(`embedded log: cut a torn record at segment ${segment.number} offset ${scan.goodEnd} (${fileSize - scan.goodEnd} bytes): ${scan.problem.reason}`);
        }
        if (isLast && !this.readOnly) {
          this.writer = file;
          keepOpen = true;
        }
      } finally {
        if (!keepOpen) await file.close();
      }
    }
    if (!this.readOnly && !this.writer) {
      const segment = this.addSegment(1);
      this.writer = await this.fs.open(segment.path, 'wx+');
      await this.syncDir();
    }
  }

  private addSegment(number: number): Segment {
    const segment: Segment = { number, path: join(this.dir, `${String(number).padStart(8, '0')}.seg`), baseOffset: this.nextOffset, count: 0, size: 0, positions: new Uint32Array(1024) };
    this.segments.push(segment);
    return segment;
  }

  /** Adds one frame found on disk (or just written) to the position table and the session index; returns its offset. */
  private indexFrame(segment: Segment, sid: string, timestamp: string, position: number): number {
    if (segment.count === segment.positions.length) {
      const grown = new Uint32Array(segment.positions.length * 2);
      grown.set(segment.positions);
      segment.positions = grown;
    }
    segment.positions[segment.count] = position;
    segment.count += 1;
    const offset = this.nextOffset++;
    this.index.add(sid, offset, timestamp);
    return offset;
  }

  private async syncDir(): Promise<void> {
    const dir = await this.fs.open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  // ---- writing ----

  private get active(): Segment {
    return this.segments[this.segments.length - 1];
  }

  private async flushQueue(): Promise<void> {
    // Let appends made in the same tick join the first write.
    await null;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        await this.writeBatch(batch);
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private async writeBatch(batch: PendingAppend[]): Promise<void> {
    let next = 0;
    while (next < batch.length) {
      const groupStart = next;
      try {
        if (this.active.size >= this.segmentBytes && this.active.count > 0) await this.roll();
        let bytes = 0;
        while (next < batch.length) {
          const more = batch[next].bytes;
          if (next > groupStart && (bytes + more > MAX_WRITE_BYTES || this.active.size + bytes + more > this.segmentBytes)) break;
          bytes += more;
          next += 1;
        }
        const group = batch.slice(groupStart, next);
        await this.writeGroup(group, bytes);
        this.commit(group);
      } catch (error) {
        for (const pending of batch.slice(groupStart)) pending.reject(error as Error);
        return;
      }
    }
  }

  /** Writes and fdatasyncs a group of appends at the end of the active segment; on failure cuts the file back and throws. */
  private async writeGroup(group: PendingAppend[], bytes: number): Promise<void> {
    const file = this.writer!;
    const segment = this.active;
    if (this.writeBuffer.length < bytes) this.writeBuffer = Buffer.allocUnsafe(Math.max(bytes, Math.min(MAX_WRITE_BYTES, Math.max(2 * this.writeBuffer.length, 64 * 1024))));
    const buffer = this.writeBuffer;
    let filled = 0;
    for (const pending of group) for (const frame of pending.frames) filled += frame.copy(buffer, filled);
    try {
      if (this.repairTo !== undefined) {
        await file.truncate(this.repairTo);
        this.repairTo = undefined;
      }
      let written = 0;
      while (written < bytes) {
        const { bytesWritten } = await file.write(buffer, written, bytes - written, segment.size + written);
        written += bytesWritten;
      }
      // Writes to a deleted file succeed but are lost: refuse to acknowledge them. (The check runs
      // beside the fdatasync, not after it: one thread-pool round trip less per commit.)
      const [, stats] = await Promise.all([file.datasync(), file.stat()]);
      if (stats.nlink === 0) throw Object.assign(new Error('the segment file was removed'), { code: 'ENOENT' });
    } catch (error) {
      try {
        await file.truncate(segment.size);
      } catch {
        this.repairTo = segment.size;
      }
      throw new Error(`embedded log: cannot write to ${segment.path}: ${describeFsError(error)}`);
    }
  }

  private commit(group: PendingAppend[]): void {
    const segment = this.active;
    const stored: StoredRecord[] = [];
    let position = segment.size;
    for (const pending of group) {
      const offsets: number[] = [];
      pending.records.forEach((record, i) => {
        const offset = this.indexFrame(segment, record.sid, record.timestamp, position);
        position += pending.frames[i].length;
        offsets.push(offset);
        stored.push({ offset, record });
      });
      pending.resolve(offsets);
    }
    segment.size = position;
    this.notify(stored);
  }

  private async roll(): Promise<void> {
    const number = this.active.number + 1;
    const path = join(this.dir, `${String(number).padStart(8, '0')}.seg`);
    let file: LogFile | undefined;
    try {
      // Truncating is safe: a file that is not yet in the log holds nothing acknowledged.
      file = await this.fs.open(path, 'w+');
      await this.syncDir();
    } catch (error) {
      await file?.close().catch(() => {});
      throw new Error(`embedded log: cannot start segment ${path}: ${describeFsError(error)}`);
    }
    await this.writer?.close().catch(() => {});
    this.writer = file;
    this.repairTo = undefined;
    this.addSegment(number);
  }

  private notify(stored: StoredRecord[]): void {
    if (stored.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(stored);
      } catch (error) {
        this.logger.warn(`embedded log: a subscriber threw: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  // ---- reading ----

  private segmentOf(offset: number): Segment {
    let low = 0;
    let high = this.segments.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.segments[middle].baseOffset <= offset) low = middle;
      else high = middle - 1;
    }
    return this.segments[low];
  }

  /** Reads the records at the given increasing offsets, merging nearby ones into one read and running the reads in parallel. */
  private async readOffsets(offsets: number[]): Promise<StoredRecord[]> {
    const spans: { segment: Segment; from: number; to: number; first: number; end: number; buffer?: Buffer }[] = [];
    let i = 0;
    while (i < offsets.length) {
      const segment = this.segmentOf(offsets[i]);
      const segmentEnd = segment.baseOffset + segment.count;
      const start = (o: number) => segment.positions[o - segment.baseOffset];
      const end = (o: number) => (o + 1 < segmentEnd ? segment.positions[o + 1 - segment.baseOffset] : segment.size);
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
        span.buffer = file.fd === undefined ? await this.readBytes(file, span.segment, span.from, span.to) : this.readBytesNow(file.fd, span.segment, span.from, span.to);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, spans.length) }, readNext));
    const out: StoredRecord[] = [];
    for (const { segment, from, first, end, buffer } of spans) {
      for (let k = first; k < end; k++) {
        const at = segment.positions[offsets[k] - segment.baseOffset] - from;
        const probe = probeFrame(buffer!, at, buffer!.length);
        if (probe.kind !== 'frame') throw new Error(`embedded log: record ${offsets[k]} in segment ${segment.number} is unreadable (${probe.reason})`);
        out.push({ offset: offsets[k], record: decodeRecord(buffer!, probe) });
      }
    }
    return out;
  }

  private readerOf(segment: Segment): Promise<LogFile> {
    if (this.closed) return Promise.reject(new Error(`embedded log: ${this.dir} is closed; cannot read after close()`));
    segment.reader ??= this.fs.open(segment.path, 'r');
    return segment.reader;
  }

  private async readBytes(file: LogFile, segment: Segment, from: number, to: number): Promise<Buffer> {
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
  private readBytesNow(fd: number, segment: Segment, from: number, to: number): Buffer {
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

  // ---- following (read-only) ----

  private startFollowing(intervalMs: number): void {
    this.pollTimer = setInterval(() => {
      this.polling ??= this.pollOnce()
        .catch((error: unknown) => this.logger.warn(`embedded log: following ${this.dir} failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          this.polling = undefined;
        });
    }, intervalMs);
  }

  /** Picks up what a writer appended since the last poll, then tells subscribers. */
  private async pollOnce(): Promise<void> {
    const firstNew = this.nextOffset;
    for (;;) {
      const current = this.segments.length > 0 ? this.active : undefined;
      if (current) await this.scanGrowth(current);
      const nextNumber = current ? current.number + 1 : 1;
      const nextPath = join(this.dir, `${String(nextNumber).padStart(8, '0')}.seg`);
      const exists = await this.fs.stat(nextPath).then(() => true, () => false);
      if (!exists) break;
      // The writer never touches a segment again once the next one exists: take its last records first.
      if (current) await this.scanGrowth(current);
      this.addSegment(nextNumber);
    }
    if (this.nextOffset > firstNew && this.listeners.size > 0) {
      for (let offset = firstNew; offset < this.nextOffset; offset += 1000) this.notify(await this.read(offset, Math.min(1000, this.nextOffset - offset)));
    }
  }

  private async scanGrowth(segment: Segment): Promise<void> {
    const fileSize = await this.fs.stat(segment.path).then((stats) => stats.size, () => segment.size);
    if (fileSize <= segment.size) return;
    segment.reader ??= this.fs.open(segment.path, 'r');
    // A frame the writer is still writing stops the scan; the next poll continues from there.
    const scan = await scanSegment(await segment.reader, segment.size, fileSize, (sid, timestamp, position) => this.indexFrame(segment, sid, timestamp, position));
    segment.size = scan.goodEnd;
  }
}

function shortSegment(segment: Segment, length: number, expected: number): Error {
  return new Error(`embedded log: segment ${segment.path} is shorter than expected (${length} < ${expected} bytes)`);
}
