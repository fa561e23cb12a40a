/**
 * The embedded log's writer: appends that arrive while a write is in flight wait and go out together
 * in the next write + fdatasync (group commit). Each append resolves only once its frames are durable;
 * a failed write is cut back so the segment holds only acknowledged frames. Rolls to a new segment
 * file at the size limit.
 *
 * An append's records are checked and their frames written into the next commit's buffer at once
 * (a bad record rejects its own append), so a waiting append holds bytes in a reused buffer rather
 * than strings on the heap (a busy server has thousands waiting, and what waits long enough is
 * promoted to the old generation). Two buffers take turns: one fills while the other is written.
 */
import { fstatSync } from 'node:fs';
import type { StoredRecord, StreamRecord } from './messageStream.ts';
import type { LogSegments } from './LogSegments.ts';
import { frameBytesAt, writeRecordFrame } from './recordFrame.ts';
import { segmentPath, syncDir } from './segmentFiles.ts';
import { describeFsError, type LogFile, type LogFileSystem } from './logFileSystem.ts';

/** Upper bound of one write call; a bigger group commit is split into several writes. */
const MAX_WRITE_BYTES = 8 * 1024 * 1024;
/** first size of a commit buffer; one that grew past MAX_WRITE_BYTES (a burst) is not kept */
const INITIAL_BUFFER_BYTES = 64 * 1024;

interface PendingAppend {
  records: StreamRecord[];
  /** where the frames lie in their commit buffer */
  start: number;
  end: number;
  resolve(offsets: number[]): void;
  reject(error: Error): void;
}

export class GroupCommit {
  /** set when a failed write could not be cut back: the length the active segment must be truncated to first */
  private repairTo?: number;
  private queue: PendingAppend[] = [];
  /** the queued appends' frames, back to back up to `filled` */
  private buffer = Buffer.allocUnsafe(INITIAL_BUFFER_BYTES);
  private filled = 0;
  /** the buffer of the commit in flight, reused for the next */
  private spare = Buffer.allocUnsafe(INITIAL_BUFFER_BYTES);
  private flushing?: Promise<void>;

  constructor(
    private readonly segments: LogSegments,
    private readonly fs: LogFileSystem,
    /** the last segment's file, open for writing */
    private writer: LogFile,
    private readonly segmentBytes: number,
    /** told about every record once it is durable, in offset order */
    private readonly onCommit: (stored: StoredRecord[]) => void,
  ) {}

  /**
   * Queues records; resolves with their offsets once they are written and fdatasync'ed. Throws at
   * once, queuing none of them, when one can't be stored (the message names which and why).
   */
  append(records: StreamRecord[]): Promise<number[]> {
    const start = this.filled;
    for (let i = 0; i < records.length; i++) {
      try {
        this.filled = this.writeFrame(records[i]);
      } catch (error) {
        this.filled = start;
        throw new Error(`cannot append record ${i} of ${records.length}: ${(error as Error).message}`);
      }
    }
    const end = this.filled;
    return new Promise((resolve, reject) => {
      this.queue.push({ records, start, end, resolve, reject });
      this.flushing ??= this.flushQueue();
    });
  }

  /** Waits for what is queued to be written, then closes the segment file. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.writer.close().catch(() => {});
  }

  /** Writes one record's frame after the queued ones, growing the buffer until it fits; returns its end. */
  private writeFrame(record: StreamRecord): number {
    for (;;) {
      const end = writeRecordFrame(this.buffer, this.filled, record);
      if (end >= 0) return end;
      const bigger = Buffer.allocUnsafe(2 * this.buffer.length);
      this.buffer.copy(bigger, 0, 0, this.filled);
      this.buffer = bigger;
    }
  }

  private get active() {
    return this.segments.last!;
  }

  private async flushQueue(): Promise<void> {
    // Let appends made in the same tick join the first write.
    await null;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        const buffer = this.buffer;
        this.queue = [];
        this.buffer = this.spare;
        this.filled = 0;
        await this.writeBatch(batch, buffer);
        this.spare = buffer.length > MAX_WRITE_BYTES ? Buffer.allocUnsafe(INITIAL_BUFFER_BYTES) : buffer;
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private async writeBatch(batch: PendingAppend[], buffer: Buffer): Promise<void> {
    let next = 0;
    while (next < batch.length) {
      const groupStart = next;
      try {
        if (this.active.size >= this.segmentBytes && this.active.count > 0) await this.roll();
        let bytes = 0;
        while (next < batch.length) {
          const more = batch[next].end - batch[next].start;
          if (next > groupStart && (bytes + more > MAX_WRITE_BYTES || this.active.size + bytes + more > this.segmentBytes)) break;
          bytes += more;
          next += 1;
        }
        const group = batch.slice(groupStart, next);
        await this.writeGroup(buffer, group[0].start, bytes);
        this.commit(group, buffer);
      } catch (error) {
        for (const pending of batch.slice(groupStart)) pending.reject(error as Error);
        return;
      }
    }
  }

  /** Writes and fdatasyncs `bytes` of `buffer` from `start` at the end of the active segment; on failure cuts the file back and throws. */
  private async writeGroup(buffer: Buffer, start: number, bytes: number): Promise<void> {
    const file = this.writer;
    const segment = this.active;
    try {
      if (this.repairTo !== undefined) {
        await file.truncate(this.repairTo);
        this.repairTo = undefined;
      }
      let written = 0;
      while (written < bytes) {
        const { bytesWritten } = await file.write(buffer, start + written, bytes - written, segment.size + written);
        written += bytesWritten;
      }
      await file.datasync();
      // Writes to a deleted file succeed but are lost: refuse to acknowledge them. (A direct fstat
      // takes about a microsecond; through the thread pool it costs some 40 µs of CPU.)
      const stats = file.fd !== undefined ? fstatSync(file.fd) : await file.stat();
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

  /** Indexes a written group's frames (read back from `buffer`, where they were written) and resolves its appends. */
  private commit(group: PendingAppend[], buffer: Buffer): void {
    const segment = this.active;
    const stored: StoredRecord[] = [];
    const base = segment.size - group[0].start;
    for (const pending of group) {
      const offsets: number[] = [];
      let at = pending.start;
      for (const record of pending.records) {
        const offset = this.segments.indexFrame(segment, record.sid, record.timestamp, base + at);
        at += frameBytesAt(buffer, at);
        offsets.push(offset);
        stored.push({ offset, record });
      }
      pending.resolve(offsets);
    }
    segment.size = base + group[group.length - 1].end;
    this.onCommit(stored);
  }

  private async roll(): Promise<void> {
    const number = this.active.number + 1;
    const path = segmentPath(this.segments.dir, number);
    let file: LogFile | undefined;
    try {
      // Truncating is safe: a file that is not yet in the log holds nothing acknowledged.
      file = await this.fs.open(path, 'w+');
      await syncDir(this.fs, this.segments.dir);
    } catch (error) {
      await file?.close().catch(() => {});
      throw new Error(`embedded log: cannot start segment ${path}: ${describeFsError(error)}`);
    }
    await this.writer.close().catch(() => {});
    this.writer = file;
    this.repairTo = undefined;
    this.segments.add(number);
  }
}
