/**
 * A snapshot of the embedded log's in-memory index: each segment's frame positions and the
 * per-session index, as of the moment it was taken. An open that finds one loads it and scans only
 * the bytes written after it, instead of every frame header of every segment, so opening a big log
 * costs about the size of its index, not of its records. The Fluvio backend's local cache uses it
 * (EmbeddedLogOptions.indexSnapshotEvery); the server's own embedded log does not (yet).
 *
 * Only durable frames are ever indexed (GroupCommit indexes after fdatasync), and a snapshot is used
 * only when every segment it covers is still at least as long as it says; otherwise (a repair cut a
 * segment, files were replaced) the open falls back to the full scan. The file is written atomically
 * (temp file, fdatasync, rename); a torn or foreign one is ignored. Damage inside the bytes a snapshot
 * covers is found when those records are read, not at open.
 */
import { open, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { FramePositions } from './FramePositions.ts';
import type { LogSegments } from './LogSegments.ts';
import type { SessionSnapshot } from './SessionIndex.ts';
import { segmentPath } from './segmentFiles.ts';

export const INDEX_SNAPSHOT_FILE = 'index-snapshot.v8';
const VERSION = 1;

interface SnapshotData {
  version: number;
  nextOffset: number;
  segments: { number: number; count: number; size: number; positions: Uint32Array }[];
  sessions: SessionSnapshot[];
}

/** Writes the snapshot of `segments` beside its segment files. */
export async function writeIndexSnapshot(segments: LogSegments): Promise<void> {
  const data: SnapshotData = {
    version: VERSION,
    nextOffset: segments.nextOffset,
    segments: segments.list.map((s) => ({ number: s.number, count: s.positions.length, size: s.size, positions: s.positions.toArray() })),
    sessions: [...segments.index.snapshot()],
  };
  const path = join(segments.dir, INDEX_SNAPSHOT_FILE);
  const temp = `${path}.tmp`;
  const file = await open(temp, 'w');
  try {
    await file.writeFile(serialize(data));
    await file.datasync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
}

/**
 * Loads the snapshot in `segments.dir` into the empty `segments`, when there is a usable one for the
 * segment files `numbers`. Returns how far it goes (the last covered segment and its size), or
 * undefined (nothing loaded: scan everything).
 */
export async function loadIndexSnapshot(segments: LogSegments, numbers: number[]): Promise<{ number: number; size: number } | undefined> {
  let data: SnapshotData;
  try {
    data = deserialize(await readFile(join(segments.dir, INDEX_SNAPSHOT_FILE))) as SnapshotData;
  } catch {
    return undefined;
  }
  if (data?.version !== VERSION || !Array.isArray(data.segments) || data.segments.length === 0 || !Array.isArray(data.sessions)) return undefined;
  // The covered segments must be the first segment files, each still at least as long as the snapshot says.
  for (let i = 0; i < data.segments.length; i++) {
    const covered = data.segments[i];
    if (numbers[i] !== covered.number) return undefined;
    const size = await stat(segmentPath(segments.dir, covered.number)).then((s) => s.size, () => -1);
    if (size < covered.size) return undefined;
  }
  for (const covered of data.segments) {
    if (!(covered.positions instanceof Uint32Array) || covered.positions.length !== covered.count) return forget(segments);
    const segment = segments.add(covered.number, FramePositions.from(covered.positions));
    segment.size = covered.size;
    segments.nextOffset = segment.baseOffset + covered.count;
  }
  if (segments.nextOffset !== data.nextOffset) return forget(segments);
  segments.index.restore(data.sessions);
  const last = data.segments[data.segments.length - 1];
  return { number: last.number, size: last.size };
}

/** A snapshot that turned out unusable half-way: what it loaded is dropped, and the open scans everything. */
function forget(segments: LogSegments): undefined {
  segments.list.length = 0;
  segments.nextOffset = 0;
  return undefined;
}
