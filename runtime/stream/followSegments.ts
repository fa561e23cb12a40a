/**
 * Following a log another process writes (read-only opens with `follow`): polls the segment files,
 * indexes the frames the writer appended since the last poll, and hands the new records on.
 */
import type { StoredRecord, StreamLogger } from './messageStream.ts';
import type { LogSegments, Segment } from './LogSegments.ts';
import { scanSegment } from './scanSegment.ts';
import { segmentPath } from './segmentFiles.ts';
import type { LogFileSystem } from './logFileSystem.ts';
import { describeError } from '../describeError.ts';

export interface FollowOptions {
  fs: LogFileSystem;
  logger: StreamLogger;
  intervalMs: number;
  /** is anyone listening? (new records are read back only then) */
  wanted(): boolean;
  deliver(records: StoredRecord[]): void;
}

/** Starts polling; `stop` ends it and waits for a poll in progress. */
export function followSegments(segments: LogSegments, options: FollowOptions): { stop(): Promise<void> } {
  let polling: Promise<void> | undefined;
  const timer = setInterval(() => {
    polling ??= pollOnce(segments, options)
      .catch((error: unknown) => options.logger.warn(`embedded log: following ${segments.dir} failed: ${describeError(error)}`))
      .finally(() => {
        polling = undefined;
      });
  }, options.intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      while (polling) await polling;
    },
  };
}

/** Picks up what a writer appended since the last poll, then delivers it. */
async function pollOnce(segments: LogSegments, { fs, wanted, deliver }: FollowOptions): Promise<void> {
  const firstNew = segments.nextOffset;
  for (;;) {
    const current = segments.last;
    if (current) await scanGrowth(segments, fs, current);
    const nextNumber = current ? current.number + 1 : 1;
    const exists = await fs.stat(segmentPath(segments.dir, nextNumber)).then(() => true, () => false);
    if (!exists) break;
    // The writer never touches a segment again once the next one exists: take its last records first.
    if (current) await scanGrowth(segments, fs, current);
    segments.add(nextNumber);
  }
  const end = segments.nextOffset;
  if (end > firstNew && wanted()) {
    for (let offset = firstNew; offset < end; offset += 1000) {
      const offsets = Array.from({ length: Math.min(1000, end - offset) }, (_, i) => offset + i);
      deliver(await segments.readOffsets(offsets));
    }
  }
}

async function scanGrowth(segments: LogSegments, fs: LogFileSystem, segment: Segment): Promise<void> {
  const fileSize = await fs.stat(segment.path).then((stats) => stats.size, () => segment.size);
  if (fileSize <= segment.size) return;
  segment.reader ??= fs.open(segment.path, 'r');
  // A frame the writer is still writing stops the scan; the next poll continues from there.
  const scan = await scanSegment(await segment.reader, segment.size, fileSize, (sid, timestamp, position) => segments.indexFrame(segment, sid, timestamp, position));
  segment.size = scan.goodEnd;
}
