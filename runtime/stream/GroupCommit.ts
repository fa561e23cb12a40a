/**
 * The embedded log's writer: appends that arrive while a commit is in flight wait and go out together
 * in the next one (group commit). Each append resolves only once its frames are durable; a failed
 * write is cut back so the segment holds only acknowledged frames. Rolls to a new segment file at
 * the size limit.
 *
 * A commit is made durable one of two ways. Write-through (the default where the OS has O_DSYNC,
 * segmentFiles.ts): the write itself returns once durable, so the next group is written when it
 * returns. Otherwise (Windows): write, then fdatasync, and commits are pipelined: the next group is
 * written while the one before it is still in fdatasync (at most MAX_IN_FLIGHT at once). Either
 * way appends are acknowledged strictly in order: a commit resolves only after every commit before
 * it. When an fdatasync fails, nothing from that commit's position on can be trusted: the commits
 * after it fail too, and once none is in flight the segment is cut back to where the failed one started.
 *
 * An append's records are checked and their frames written into a commit buffer at once (a bad
 * record rejects its own append), so a waiting append holds bytes in a reused buffer rather than
 * strings on the heap (a busy server has thousands waiting, and what waits long enough is promoted
 * to the old generation).
 */
import { fstatSync } from 'node:fs';
import type { StoredRecord, StreamRecord } from './messageStream.ts';
import type { LogSegments, Segment } from './LogSegments.ts';
import { frameBytesAt, writeRecordFrame } from './recordFrame.ts';
import { openSegmentWriter, segmentPath, syncDir } from './segmentFiles.ts';
import { describeFsError, type LogFile, type LogFileSystem } from './logFileSystem.ts';

/** Upper bound of one write call; a bigger group commit is split into several writes. */
const MAX_WRITE_BYTES = 8 * 1024 * 1024;
/** first size of a commit buffer */
const INITIAL_BUFFER_BYTES = 64 * 1024;
/**
 * A settled batch's buffer is kept for reuse only up to this size. One that grew for a burst (a
 * slow fdatasync under load lets megabytes of appends gather) is let go, or every buffer would
 * keep its largest burst's size for good: 16 of 26 MiB of buffers at 5,000 sessions.
 */
const MAX_SPARE_BUFFER_BYTES = 512 * 1024;
/** commits written and not yet acknowledged, at most */
const MAX_IN_FLIGHT = 2;

interface PendingAppend {
  records: StreamRecord[];
  /** where the frames lie in their commit buffer */
  start: number;
  end: number;
  resolve(offsets: number[]): void;
  reject(error: Error): void;
}

/** The appends taken from the queue together, with the buffer holding their frames. */
interface Batch {
  appends: PendingAppend[];
  buffer: Buffer;
  /** the first append not written yet */
  next: number;
  /** commits of this batch not settled yet (the buffer is reused once none is left and all are written) */
  unsettled: number;
}

/** A group of appends written to a segment, waiting for its fdatasync and then its turn to be acknowledged. */
interface Commit {
  batch: Batch;
  group: PendingAppend[];
  segment: Segment;
  /** where its bytes start in the segment */
  position: number;
  bytes: number;
  settled: boolean;
  /** why it is not durable (set when settled) */
  error?: Error;
  /** its fdatasync failed: the segment can't be trusted from `position` on */
  poisons?: boolean;
}

export class GroupCommit {
  /** set when a failed write could not be cut back: the length the active segment must be truncated to first */
  private repairTo?: number;
  private queue: PendingAppend[] = [];
  /** the queued appends' frames, back to back up to `filled` */
  private buffer: Buffer = Buffer.allocUnsafe(INITIAL_BUFFER_BYTES);
  private filled = 0;
  /** buffers of settled batches, reused */
  private spares: Buffer[] = [];
  /** the batch being written, group by group */
  private batch?: Batch;
  /** written commits, oldest first, acknowledged in this order */
  private inFlight: Commit[] = [];
  /** where the next group goes in the active segment (past the bytes of commits in flight) */
  private writeEnd: number;
  /** a write, a roll or a cut-back is running (they run one at a time) */
  private busy = false;
  /** an fdatasync failed: where to cut the segment back once no commit is in flight, and why */
  private cut?: { to: number; error: Error };
  private pumpScheduled = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly segments: LogSegments,
    private readonly fs: LogFileSystem,
    /** the last segment's file, open for writing */
    private writer: LogFile,
    private readonly segmentBytes: number,
    /** `writer` was opened write-through (O_DSYNC): its writes return durable, so no fdatasync follows them */
    private readonly writeThrough: boolean,
    /** told about every record once it is durable, in offset order */
    private readonly onCommit: (stored: StoredRecord[]) => void,
  ) {
    this.writeEnd = this.active.size;
  }

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
      // Appends made in the same tick join one write.
      if (this.pumpScheduled) return;
      this.pumpScheduled = true;
      queueMicrotask(() => {
        this.pumpScheduled = false;
        this.pump();
      });
    });
  }

  /**
   * Waits for what is queued to be written, makes a cut-back still owed, and closes the segment file.
   * Returns a warning when the cut-back failed again: then the file still holds frames of appends
   * that were reported as failed, and the next open would read them.
   */
  async close(): Promise<string | undefined> {
    await new Promise<void>((resolve) => {
      this.idleWaiters.push(resolve);
      this.pump();
    });
    const owed = this.repairTo;
    if (owed !== undefined) await this.truncateTo(this.writer, owed);
    await this.writer.close().catch(() => {});
    if (this.repairTo === undefined) return undefined;
    return `embedded log: cannot cut ${this.active.path} back to ${this.repairTo} bytes: the records after that were reported as failed, but the next open will read them`;
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

  private get active(): Segment {
    return this.segments.last!;
  }

  /** Starts what can start now: the next write, a roll, or a cut-back; tells `close` when nothing is left. */
  private pump(): void {
    if (this.busy) return;
    if (this.cut) {
      if (this.inFlight.length === 0) this.run(this.cutBack(this.cut.to));
      return;
    }
    if (!this.batch && this.queue.length > 0) this.takeBatch();
    if (!this.batch) {
      if (this.inFlight.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      return;
    }
    if (this.inFlight.length >= MAX_IN_FLIGHT) return;
    if (this.writeEnd >= this.segmentBytes && this.writeEnd > 0) {
      // A segment is closed only once everything written to it is acknowledged.
      if (this.inFlight.length === 0) this.run(this.roll());
      return;
    }
    this.run(this.writeGroup(this.batch));
  }

  /** Runs one write, roll or cut-back (`task` never rejects), then pumps again. */
  private run(task: Promise<void>): void {
    this.busy = true;
    void task.then(() => {
      this.busy = false;
      this.pump();
    });
  }

  private takeBatch(): void {
    this.batch = { appends: this.queue, buffer: this.buffer, next: 0, unsettled: 0 };
    this.queue = [];
    this.buffer = this.spares.pop() ?? Buffer.allocUnsafe(INITIAL_BUFFER_BYTES);
    this.filled = 0;
  }

  /** Writes the batch's next group (up to MAX_WRITE_BYTES, not past the segment's size) and starts its fdatasync. */
  private async writeGroup(batch: Batch): Promise<void> {
    const first = batch.next;
    let bytes = 0;
    while (batch.next < batch.appends.length) {
      const more = batch.appends[batch.next].end - batch.appends[batch.next].start;
      if (batch.next > first && (bytes + more > MAX_WRITE_BYTES || this.writeEnd + bytes + more > this.segmentBytes)) break;
      bytes += more;
      batch.next += 1;
    }
    if (batch.next === batch.appends.length) this.batch = undefined;
    const commit: Commit = { batch, group: batch.appends.slice(first, batch.next), segment: this.active, position: this.writeEnd, bytes, settled: false };
    batch.unsettled += 1;
    this.inFlight.push(commit);
    const file = this.writer;
    try {
      if (this.repairTo !== undefined) {
        await file.truncate(this.repairTo);
        this.repairTo = undefined;
      }
      const start = commit.group[0].start;
      let written = 0;
      while (written < bytes) {
        const { bytesWritten } = await file.write(batch.buffer, start + written, bytes - written, commit.position + written);
        written += bytesWritten;
      }
    } catch (error) {
      // Only this commit's bytes are cut: the commits before it lie before `position`, untouched.
      await this.truncateTo(file, commit.position);
      return this.settle(commit, this.failure(commit, error));
    }
    this.writeEnd += bytes;
    // Not awaited: the next group is written while this one syncs.
    void this.sync(file, commit);
  }

  private async sync(file: LogFile, commit: Commit): Promise<void> {
    try {
      if (!this.writeThrough) await file.datasync();
      // Writes to a deleted file succeed but are lost: refuse to acknowledge them. (A direct fstat
      // takes about a microsecond; through the thread pool it costs some 40 µs of CPU.)
      const stats = file.fd !== undefined ? fstatSync(file.fd) : await file.stat();
      if (stats.nlink === 0) throw Object.assign(new Error('the segment file was removed'), { code: 'ENOENT' });
    } catch (error) {
      commit.poisons = true;
      return this.settle(commit, this.failure(commit, error));
    }
    this.settle(commit);
  }

  private failure(commit: Commit, error: unknown): Error {
    return new Error(`embedded log: cannot write to ${commit.segment.path}: ${describeFsError(error)}`);
  }

  /** A commit's write and fdatasync are over: acknowledge (or fail) every commit whose turn it is, in order. */
  private settle(commit: Commit, error?: Error): void {
    commit.settled = true;
    commit.error = error;
    while (this.inFlight.length > 0 && this.inFlight[0].settled) {
      const done = this.inFlight.shift()!;
      if (done.poisons && !this.cut) this.cut = { to: done.position, error: done.error! };
      const failure = done.error ?? this.cut?.error;
      if (failure) for (const pending of done.group) pending.reject(failure);
      else this.acknowledge(done);
      const batch = done.batch;
      batch.unsettled -= 1;
      if (batch.unsettled === 0 && batch !== this.batch && batch.buffer.length <= MAX_SPARE_BUFFER_BYTES && this.spares.length < MAX_IN_FLIGHT) this.spares.push(batch.buffer);
    }
    this.pump();
  }

  /** Indexes a durable commit's frames (read back from its buffer, where they were written) and resolves its appends. */
  private acknowledge({ batch, group, segment, position, bytes }: Commit): void {
    const stored: StoredRecord[] = [];
    const base = position - group[0].start;
    for (const pending of group) {
      const offsets: number[] = [];
      let at = pending.start;
      for (const record of pending.records) {
        const offset = this.segments.indexFrame(segment, record.sid, record.timestamp, base + at);
        at += frameBytesAt(batch.buffer, at);
        offsets.push(offset);
        stored.push({ offset, record });
      }
      pending.resolve(offsets);
    }
    segment.size = position + bytes;
    this.onCommit(stored);
  }

  /** After a failed fdatasync, with nothing in flight: the segment goes back to its last acknowledged frame. */
  private async cutBack(to: number): Promise<void> {
    await this.truncateTo(this.writer, to);
    this.writeEnd = to;
    this.cut = undefined;
  }

  /** Truncates `file`; when that fails too, the next write truncates first. */
  private async truncateTo(file: LogFile, length: number): Promise<void> {
    try {
      await file.truncate(length);
      // A repair still owed to a longer length is done too: nothing is left past this one.
      if (this.repairTo !== undefined && this.repairTo >= length) this.repairTo = undefined;
    } catch {
      this.repairTo = Math.min(length, this.repairTo ?? length);
    }
  }

  private async roll(): Promise<void> {
    // A segment is closed clean: a cut-back still owed is made first (a closed segment with a torn tail would stop the next open).
    if (this.repairTo !== undefined) {
      try {
        await this.writer.truncate(this.repairTo);
        this.repairTo = undefined;
      } catch (error) {
        return this.failBatch(new Error(`embedded log: cannot write to ${this.active.path}: ${describeFsError(error)}`));
      }
    }
    const number = this.active.number + 1;
    const path = segmentPath(this.segments.dir, number);
    let file: LogFile | undefined;
    try {
      // Truncating is safe: a file that is not yet in the log holds nothing acknowledged.
      file = await openSegmentWriter(this.fs, path, 'next', this.writeThrough);
      await syncDir(this.fs, this.segments.dir);
    } catch (error) {
      await file?.close().catch(() => {});
      return this.failBatch(new Error(`embedded log: cannot start segment ${path}: ${describeFsError(error)}`));
    }
    await this.writer.close().catch(() => {});
    this.writer = file;
    this.segments.add(number);
    this.writeEnd = 0;
  }

  /** The batch can't be written anywhere now: its appends not yet written fail; later ones try again. */
  private failBatch(failure: Error): void {
    const batch = this.batch!;
    for (const pending of batch.appends.slice(batch.next)) pending.reject(failure);
    this.batch = undefined;
  }
}
