/**
 * The embedded log's segment files on disk: `00000001.seg`, `00000002.seg`, ... in the data directory.
 * The one place that turns a segment number into a file name, and that lists a directory's segments.
 */
import { join } from 'node:path';
import type { LogFileSystem } from './logFileSystem.ts';

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
