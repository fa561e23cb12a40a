/**
 * The embedded log's segment files on disk: `00000001.seg`, `00000002.seg`, ... in the data directory.
 * The one place that turns a segment number into a file name, and that lists a directory's segments.
 */
import { constants } from 'node:fs';
import { join } from 'node:path';
import type { LogFile, LogFileSystem } from './logFileSystem.ts';

const SEGMENT_FILE = /^(\d{8})\.seg$/;

/** `00000007.seg` for segment 7. */
export function segmentFileName(number: number): string {
  return `${String(number).padStart(8, '0')}.seg`;
}

/** The path of segment `number` in the data directory `dir`. */
export function segmentPath(dir: string, number: number): string {
  return join(dir, segmentFileName(number));
}

/** The numbers of the segment files in `dir`, in order. Throws when one is missing between the first and the last. */
export async function listSegmentNumbers(fs: LogFileSystem, dir: string): Promise<number[]> {
  const numbers = (await fs.readdir(dir))
    .map((name) => SEGMENT_FILE.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => Number(match[1]))
    .sort((a, b) => a - b);
  numbers.forEach((number, i) => {
    if (number !== numbers[0] + i) {
      throw new Error(`embedded log: segment ${numbers[0] + i} is missing from ${dir} (found ${numbers.join(', ')}); refusing to open a log with a hole`);
    }
  });
  return numbers;
}

/** fsyncs the directory itself, so a file created or renamed in it survives a power loss. */
export async function syncDir(fs: LogFileSystem, dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Whether this OS opens files write-through (O_DSYNC: Linux, macOS; not Windows). Then each write to
 * the active segment returns only once its bytes are durable, as write + fdatasync would, and a
 * commit is one call into the thread pool instead of two: under load every call waits a whole
 * event-loop turn for its completion to be seen, so the second one cost each turn ~10 ms of latency.
 */
export const CAN_WRITE_THROUGH = typeof constants.O_DSYNC === 'number';

/** the active segment: one that exists (the last at open), a new one (none yet), or the next one at a roll (emptied if a crash left it) */
export type WriterOpening = 'existing' | 'new' | 'next';

const WRITER_FLAGS: Record<WriterOpening, number> = {
  existing: constants.O_RDWR,
  new: constants.O_RDWR | constants.O_CREAT | constants.O_EXCL,
  next: constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC,
};

/** Opens the segment the log appends to, write-through (O_DSYNC) when `writeThrough`. */
export function openSegmentWriter(fs: LogFileSystem, path: string, opening: WriterOpening, writeThrough: boolean): Promise<LogFile> {
  return fs.open(path, WRITER_FLAGS[opening] | (writeThrough ? constants.O_DSYNC : 0));
}
