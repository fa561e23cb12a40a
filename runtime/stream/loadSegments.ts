/**
 * Opening the embedded log: scans every segment file into LogSegments (frame positions and the
 * session index, from frame headers only) and cuts a torn tail left by a crash mid-write.
 */
import type { StreamLogger } from './MessageStream.ts';
import type { LogSegments } from './LogSegments.ts';
import { scanSegment } from './scanSegment.ts';
import { listSegmentNumbers, syncDir } from './segmentFiles.ts';
import type { LogFile, LogFileSystem } from './logFileSystem.ts';

export interface LoadOptions {
  fs: LogFileSystem;
  logger: StreamLogger;
  /** a read-only open changes nothing on disk and returns no writer */
  readOnly: boolean;
}

/** Loads the segments of `segments.dir`; returns the last segment opened for writing (created if there is none), unless read-only. */
export async function loadSegments(segments: LogSegments, { fs, logger, readOnly }: LoadOptions): Promise<LogFile | undefined> {
  const numbers = await listSegmentNumbers(fs, segments.dir);
  const scratch = { buffer: Buffer.allocUnsafe(8 * 1024 * 1024) };
  let writer: LogFile | undefined;
  for (let i = 0; i < numbers.length; i++) {
    const isLast = i === numbers.length - 1;
    const segment = segments.add(numbers[i]);
    const file = await fs.open(segment.path, readOnly ? 'r' : 'r+');
    let keepOpen = false;
    try {
      const fileSize = (await file.stat()).size;
      const scan = await scanSegment(file, 0, fileSize, (sid, timestamp, position) => segments.indexFrame(segment, sid, timestamp, position), scratch);
      segment.size = scan.goodEnd;
      if (scan.problem && !isLast) {
        throw new Error(
          `embedded log: segment ${segment.number} (${segment.path}) is corrupt at offset ${scan.problem.position} (${scan.problem.reason}). ` +
            'It is not the last segment, so this is damage, not a torn write: move the data directory aside and restore it from a backup.',
        );
      }
      if (scan.problem && !readOnly) {
        await file.truncate(scan.goodEnd);
        await file.sync();
        logger.warn(`embedded log: cut a torn record at segment ${segment.number} offset ${scan.goodEnd} (${fileSize - scan.goodEnd} bytes): ${scan.problem.reason}`);
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
    writer = await fs.open(segment.path, 'wx+');
    try {
      await syncDir(fs, segments.dir);
    } catch (error) {
      await writer.close().catch(() => {});
      throw error;
    }
  }
  return writer;
}
