/**
 * Opening the embedded log: scans every segment file into LogSegments (frame positions and the
 * session index, from frame headers only), or only what follows an index snapshot when asked to
 * (indexSnapshot.ts), and cuts a torn tail left by a crash mid-write. Damage
 * anywhere else stops the open with a message pointing at `bot-assistant repair` (repairLog.ts).
 */
import type { StreamLogger } from './messageStream.ts';
import type { LogSegments } from './LogSegments.ts';
import { scanSegment } from './scanSegment.ts';
import { findNextFrame, readableIn, surveySegment } from './surveySegment.ts';
import { listSegmentNumbers, openSegmentWriter, syncDir } from './segmentFiles.ts';
import { loadIndexSnapshot } from './indexSnapshot.ts';
import type { LogFile, LogFileSystem } from './logFileSystem.ts';

export interface LoadOptions {
  fs: LogFileSystem;
  logger: StreamLogger;
  /** a read-only open changes nothing on disk and returns no writer */
  readOnly: boolean;
  /** start from the index snapshot when there is a usable one (indexSnapshot.ts), scanning only what follows it */
  useIndexSnapshot?: boolean;
  /** open the writer write-through (O_DSYNC; see segmentFiles.ts) */
  writeThrough: boolean;
}

/** Loads the segments of `segments.dir`; returns the last segment opened for writing (created if there is none), unless read-only. */
export async function loadSegments(segments: LogSegments, { fs, logger, readOnly, useIndexSnapshot, writeThrough }: LoadOptions): Promise<LogFile | undefined> {
  const numbers = await listSegmentNumbers(fs, segments.dir);
  const scratch = { buffer: Buffer.allocUnsafe(8 * 1024 * 1024) };
  // With a snapshot, the segments it covers are not read at all, and its last one only after its end.
  const covered = useIndexSnapshot && numbers.length > 0 ? await loadIndexSnapshot(segments, numbers) : undefined;
  let writer: LogFile | undefined;
  for (let i = covered ? numbers.indexOf(covered.number) : 0; i < numbers.length; i++) {
    const isLast = i === numbers.length - 1;
    const resumed = covered?.number === numbers[i];
    const segment = resumed ? segments.last! : segments.add(numbers[i]);
    // The last segment is scanned through the handle that then becomes the writer.
    const file = readOnly || !isLast ? await fs.open(segment.path, 'r') : await openSegmentWriter(fs, segment.path, 'existing', writeThrough);
    let keepOpen = false;
    try {
      const fileSize = (await file.stat()).size;
      const scan = await scanSegment(file, resumed ? covered.size : 0, fileSize, (sid, timestamp, position) => segments.indexFrame(segment, sid, timestamp, position), scratch);
      segment.size = scan.goodEnd;
      if (scan.problem) {
        // Only a crash mid-write tears a segment, and only at its end: bad bytes with valid frames
        // after them, or in a segment the writer had finished, are damage. Cutting there would delete
        // acknowledged records, so opening stops and points at `repair`, which keeps them.
        const nextFrame = await findNextFrame(file, scan.problem.position + 1, fileSize);
        if (nextFrame !== undefined || !isLast) {
          const after = nextFrame === undefined ? undefined : readableIn(await surveySegment(file, fileSize, nextFrame));
          throw new Error(damageMessage(segment.number, segment.path, scan.problem, fileSize, nextFrame, after, segments.dir));
        }
        if (!readOnly) {
          await file.truncate(scan.goodEnd);
          await file.sync();
          logger.warn(`embedded log: cut a torn record at segment ${segment.number} offset ${scan.goodEnd} (${fileSize - scan.goodEnd} bytes): ${scan.problem.reason}`);
        }
      }
      if (isLast && !readOnly) {
        writer = file;
        keepOpen = true;
      }
    } finally {
      if (!keepOpen) await file.close();
    }
  }
  if (!readOnly && !writer) {
    const segment = segments.add(1);
    writer = await openSegmentWriter(fs, segment.path, 'new', writeThrough);
    try {
      await syncDir(fs, segments.dir);
    } catch (error) {
      await writer.close().catch(() => {});
      throw error;
    }
  }
  return writer;
}

/** The error that stops an open at a damaged segment: where, what follows, and the command that repairs it. */
function damageMessage(
  number: number,
  path: string,
  problem: { position: number; reason: string },
  fileSize: number,
  nextFrame: number | undefined,
  after: { records: number; bytes: number } | undefined,
  dir: string,
): string {
  const follows =
    nextFrame === undefined || !after
      ? `nothing readable follows it (${fileSize - problem.position} bytes to the end of the file), but segment ${number} is not the last segment, so this is damage, not a torn write`
      : `${fileSize - problem.position} bytes follow it, holding ${after.records} readable record${after.records === 1 ? '' : 's'} (${after.bytes} bytes) from byte offset ${nextFrame} on, so this is damage, not a torn write`;
  return (
    `embedded log: segment ${number} (${path}) is damaged at byte offset ${problem.position} (${problem.reason}); ${follows}. ` +
    `The log was not opened, so no acknowledged record is deleted. Run \`bot-assistant repair --data-dir ${dir}\` (with the server stopped): ` +
    'it moves the damaged segment aside, keeps every readable record before and after the damage, and reports what was lost.'
  );
}
