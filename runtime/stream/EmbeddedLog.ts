/**
 * The default MessageStream: a durable append-only log in a local data directory.
 *
 * - Segment files `00000001.seg`, `00000002.seg`, ... of CRC-checked frames (see recordFrame.ts and
 *   segmentFiles.ts), rolled at a size.
 * - `append` resolves once the records are durable: written write-through (O_DSYNC), or written and
 *   fdatasync'ed where the OS has no O_DSYNC. Appends that arrive while a commit is in flight wait and go
 *   out together in the next one (group commit, GroupCommit.ts).
 * - At open, a torn or corrupt tail of the last segment (a crash mid-write) is cut away with one log line
 *   (loadSegments.ts).
 * - A per-session index (SessionIndex) and a per-segment table of frame positions (LogSegments.ts) let
 *   `readSession` read a session's records without scanning the stream. Both are rebuilt at open by a
 *   streaming scan that reads only frame headers, or, with `indexSnapshotEvery`, loaded from an index
 *   snapshot and completed by scanning only what was written after it (indexSnapshot.ts).
 * - One writer per directory (LOCK file). Read-only opens (the `consume` command) take no lock and can
 *   follow the files' growth while a server writes (followSegments.ts).
 */
import { join, resolve } from 'node:path';
import type { MessageStream, SessionSummary, StoredRecord, StreamLogger, StreamRecord } from './messageStream.ts';
import { lockDataDir } from './lockDataDir.ts';
import { describeFsError, nodeLogFileSystem, type LogFileSystem } from './logFileSystem.ts';
import { LogSegments } from './LogSegments.ts';
import { loadSegments } from './loadSegments.ts';
import { CAN_WRITE_THROUGH } from './segmentFiles.ts';
import { GroupCommit } from './GroupCommit.ts';
import { followSegments } from './followSegments.ts';
import { writeIndexSnapshot } from './indexSnapshot.ts';
import { describeError } from '../describeError.ts';

export const DEFAULT_DATA_DIR = './.bot-assistant-data';
const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
const MAX_SEGMENT_BYTES = 1024 * 1024 * 1024;
const WRITE_PROBE_FILE = 'WRITE-PROBE';

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
  /**
   * Keep an index snapshot (indexSnapshot.ts): open from it, scanning only what was written after
   * it, and write it at close and after every this many appended records. Off by default.
   */
  indexSnapshotEvery?: number;
  /**
   * Open the active segment write-through (O_DSYNC): a commit is one write that returns durable,
   * instead of a write and then an fdatasync. Default: where the OS has O_DSYNC (not Windows).
   * False is the Windows way, kept testable everywhere.
   */
  writeThrough?: boolean;
}

const defaultLogger: StreamLogger = { info: (message) => console.info(message), warn: (message) => console.warn(message) };

/** Opens (creating if needed) the embedded log in `options.dir`. */
export async function openEmbeddedLog(options: EmbeddedLogOptions = {}): Promise<EmbeddedLog> {
  return EmbeddedLog.open(options);
}

export class EmbeddedLog implements MessageStream {
  private readonly listeners = new Set<(records: StoredRecord[]) => void>();
  /** absent when read-only */
  private writer?: GroupCommit;
  private follower?: { stop(): Promise<void> };
  /** records appended since the last index snapshot, and the one being written */
  private sinceSnapshot = 0;
  private snapshotting?: Promise<void>;
  private closing = false;
  private closed?: Promise<void>;

  private constructor(
    private readonly segments: LogSegments,
    private readonly fs: LogFileSystem,
    private readonly logger: StreamLogger,
    readonly readOnly: boolean,
    private readonly releaseLock?: () => Promise<void>,
    private readonly snapshotEvery?: number,
  ) {}

  /** absolute path of the data directory */
  get dir(): string {
    return this.segments.dir;
  }

  /** See openEmbeddedLog. */
  static async open(options: EmbeddedLogOptions): Promise<EmbeddedLog> {
    const fs = options.fs ?? nodeLogFileSystem;
    const dir = resolve(options.dir ?? DEFAULT_DATA_DIR);
    const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    if (!Number.isInteger(segmentBytes) || segmentBytes < 1 || segmentBytes > MAX_SEGMENT_BYTES) {
      throw new Error(`embedded log: segmentBytes must be an integer from 1 to ${MAX_SEGMENT_BYTES}, got ${segmentBytes}`);
    }
    const writeThrough = options.writeThrough ?? CAN_WRITE_THROUGH;
    if (writeThrough && !CAN_WRITE_THROUGH) throw new Error(`embedded log: writeThrough needs O_DSYNC, which ${process.platform} does not have`);
    const readOnly = options.readOnly ?? false;
    if (readOnly) {
      const isDirectory = await fs.stat(dir).then((stats) => stats.isDirectory(), () => undefined);
      if (isDirectory === undefined) throw new Error(`embedded log: no data directory at ${dir}`);
      if (!isDirectory) throw new Error(`embedded log: ${dir} is a file, not a data directory`);
    } else {
      await fs.mkdir(dir, { recursive: true }).catch((error: unknown) => {
        throw new Error(`embedded log: cannot create the data directory ${dir}: ${describeFsError(error)}`);
      });
    }
    const releaseLock = readOnly ? undefined : await lockDataDir(fs, dir);
    const logger = options.logger ?? defaultLogger;
    const segments = new LogSegments(dir, fs);
    const snapshotEvery = options.indexSnapshotEvery;
    if (snapshotEvery !== undefined && !(Number.isInteger(snapshotEvery) && snapshotEvery > 0)) throw new Error(`embedded log: indexSnapshotEvery must be a positive integer, got ${snapshotEvery}`);
    const log = new EmbeddedLog(segments, fs, logger, readOnly, releaseLock, snapshotEvery);
    try {
      const file = await loadSegments(segments, { fs, logger, readOnly, useIndexSnapshot: snapshotEvery !== undefined, writeThrough });
      if (file) log.writer = new GroupCommit(segments, fs, file, segmentBytes, writeThrough, (stored) => log.notify(stored));
    } catch (error) {
      await log.close().catch(() => {});
      throw error;
    }
    if (readOnly && options.follow) {
      log.follower = followSegments(segments, {
        fs,
        logger,
        intervalMs: options.pollIntervalMs ?? 100,
        wanted: () => log.listeners.size > 0,
        deliver: (records) => log.notify(records),
      });
    }
    return log;
  }

  append(records: StreamRecord[]): Promise<number[]> {
    if (this.readOnly) return Promise.reject(new Error(`embedded log: ${this.dir} is open read-only; only the process holding its lock appends`));
    if (this.closing || !this.writer) return Promise.reject(new Error(`embedded log: ${this.dir} is closed; cannot append after close()`));
    if (!Array.isArray(records)) return Promise.reject(new Error('embedded log: append expects an array of records'));
    if (records.length === 0) return Promise.resolve([]);
    try {
      return this.writer.append(records);
    } catch (error) {
      // A record that can't be stored rejects its own append, and nothing of it is written.
      return Promise.reject(new Error(`embedded log: ${(error as Error).message}`));
    }
  }

  hasSession(sid: string): boolean {
    return this.segments.index.has(sid);
  }

  sessions(): Iterable<SessionSummary> {
    return this.segments.index.summaries();
  }

  /** The summary of one session, or undefined. */
  sessionSummary(sid: string): SessionSummary | undefined {
    return this.segments.index.summary(sid);
  }

  async *readSession(sid: string, options: { chunkSize?: number } = {}): AsyncIterable<StoredRecord[]> {
    const chunkSize = options.chunkSize ?? 256;
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new Error(`embedded log: chunkSize must be a positive integer, got ${chunkSize}`);
    const cursor = this.segments.index.cursor(sid);
    if (!cursor) return;
    while (!cursor.done) yield await this.segments.readOffsets(cursor.take(chunkSize));
  }

  async read(offset: number, limit: number): Promise<StoredRecord[]> {
    if (!Number.isInteger(offset) || offset < 0) throw new Error(`embedded log: read offset must be a non-negative integer, got ${offset}`);
    if (!Number.isInteger(limit) || limit < 0) throw new Error(`embedded log: read limit must be a non-negative integer, got ${limit}`);
    const end = Math.min(this.segments.nextOffset, offset + limit);
    const offsets: number[] = [];
    for (let o = offset; o < end; o++) offsets.push(o);
    return this.segments.readOffsets(offsets);
  }

  endOffset(): number {
    return this.segments.nextOffset;
  }

  subscribe(listener: (records: StoredRecord[]) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Sizes for benchmarks and the history panel. */
  stats(): { records: number; sessions: number; segments: number; indexBytes: number } {
    return this.segments.stats();
  }

  /**
   * Writes, fdatasyncs and removes a small file in the data directory: whether the disk takes a
   * write now (after a full disk was cleaned up, say). Rejects with the reason.
   */
  async probeWrite(): Promise<void> {
    if (this.readOnly || this.closing) throw new Error(`embedded log: ${this.dir} is ${this.readOnly ? 'open read-only' : 'closed'}`);
    const path = join(this.dir, WRITE_PROBE_FILE);
    try {
      const file = await this.fs.open(path, 'w');
      try {
        const block = Buffer.alloc(4096);
        await file.write(block, 0, block.length, 0);
        await file.datasync();
      } finally {
        await file.close();
        await this.fs.unlink(path).catch(() => {});
      }
    } catch (error) {
      throw new Error(`embedded log: cannot write to ${this.dir}: ${describeFsError(error)}`);
    }
  }

  /** Writes what is pending, then closes the files and releases the lock. Later appends reject. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true;
      this.segments.refuseReads();
      await this.follower?.stop();
      const warning = await this.writer?.close();
      if (warning) this.logger.warn(warning);
      await this.snapshotting;
      if (this.snapshotEvery !== undefined && this.writer && this.sinceSnapshot > 0) await this.snapshotIndex();
      await this.segments.closeReaders();
      await this.releaseLock?.();
    })();
    return this.closed;
  }

  /** Writes the index snapshot; a failure only means the next open scans more. */
  private async snapshotIndex(): Promise<void> {
    this.sinceSnapshot = 0;
    try {
      await writeIndexSnapshot(this.segments);
    } catch (error) {
      this.logger.warn(`embedded log: cannot write the index snapshot in ${this.dir} (the next open scans more): ${describeError(error)}`);
    }
  }

  private notify(stored: StoredRecord[]): void {
    if (stored.length === 0) return;
    if (this.snapshotEvery !== undefined && (this.sinceSnapshot += stored.length) >= this.snapshotEvery && !this.snapshotting && !this.closing) {
      this.snapshotting = this.snapshotIndex().finally(() => (this.snapshotting = undefined));
    }
    for (const listener of this.listeners) {
      try {
        listener(stored);
      } catch (error) {
        this.logger.warn(`embedded log: a subscriber threw: ${describeError(error)}`);
      }
    }
  }
}
