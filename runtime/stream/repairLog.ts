/**
 * Repairs an embedded log whose segments are damaged (what `bot-assistant repair` runs). Never deletes
 * data: each damaged segment is kept, hard-linked (or copied) into `damaged-<time>/` inside the data
 * directory, and replaced by a segment rebuilt from every readable frame before and after the damage.
 * The index needs no repair: it is rebuilt from the segments at every open.
 *
 * Crash-safe step order: the original is linked aside and synced before the rebuilt file is renamed
 * over it, so at every moment the data directory holds either the old or the new segment, and the
 * old one is always kept.
 */
import { copyFile, link, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { lockDataDir } from './lockDataDir.ts';
import { describeFsError, nodeLogFileSystem, readFully, type LogFile } from './logFileSystem.ts';
import { listSegmentNumbers, segmentFileName, segmentPath, syncDir } from './segmentFiles.ts';
import { readableIn, surveySegment, type DamagedRange } from './surveySegment.ts';

const COPY_CHUNK_BYTES = 8 * 1024 * 1024;

export interface SegmentDamage {
  number: number;
  path: string;
  fileSize: number;
  damage: DamagedRange[];
  kept: { records: number; bytes: number };
  lost: {
    bytes: number;
    /** records known lost (a damaged range that is exactly one frame counts one) */
    records: number;
    /** true when some damaged range hides how many records it held */
    recordsUncounted: boolean;
  };
  /** where the damaged original was kept (absent in a dry run) */
  keptAt?: string;
}

export interface RepairReport {
  dir: string;
  segments: number;
  /** every damaged segment, repaired unless `dryRun` */
  damaged: SegmentDamage[];
  dryRun: boolean;
}

/** Finds every damaged segment of the log in `dir` and (unless `dryRun`) rebuilds it. Takes the writer lock, so a running server is refused. */
export async function repairLog(dir: string, options: { dryRun?: boolean; now?: Date } = {}): Promise<RepairReport> {
  const fs = nodeLogFileSystem;
  const isDirectory = await fs.stat(dir).then((stats) => stats.isDirectory(), () => false);
  if (!isDirectory) throw new Error(`embedded log: no data directory at ${dir}`);
  const releaseLock = await lockDataDir(fs, dir);
  try {
    const numbers = await listSegmentNumbers(fs, dir);
    const report: RepairReport = { dir, segments: numbers.length, damaged: [], dryRun: options.dryRun ?? false };
    const asideDir = join(dir, `damaged-${(options.now ?? new Date()).toISOString().replace(/[:.]/g, '-')}`);
    for (const number of numbers) {
      const path = segmentPath(dir, number);
      const file = await fs.open(path, 'r');
      try {
        const survey = await surveySegment(file, (await file.stat()).size);
        if (survey.damage.length === 0) continue;
        const kept = readableIn(survey);
        const damaged: SegmentDamage = {
          number,
          path,
          fileSize: survey.fileSize,
          damage: survey.damage,
          kept,
          lost: {
            bytes: survey.fileSize - kept.bytes,
            records: survey.damage.reduce((sum, range) => sum + (range.records ?? 1), 0),
            recordsUncounted: survey.damage.some((range) => range.records === undefined),
          },
        };
        if (!report.dryRun) {
          damaged.keptAt = await keepAside(path, asideDir, number);
          await rebuild(file, survey.runs, path, dir);
        }
        report.damaged.push(damaged);
      } finally {
        await file.close();
      }
    }
    return report;
  } finally {
    await releaseLock();
  }
}

/** Hard-links the damaged segment into `asideDir` (a copy where links are refused) and syncs it there. */
async function keepAside(path: string, asideDir: string, number: number): Promise<string> {
  const target = join(asideDir, segmentFileName(number));
  try {
    await mkdir(asideDir, { recursive: true });
    await link(path, target).catch(() => copyFile(path, target));
    const copy = await nodeLogFileSystem.open(target, 'r');
    await copy.sync().finally(() => copy.close());
    await syncDir(nodeLogFileSystem, asideDir);
    await syncDir(nodeLogFileSystem, join(asideDir, '..'));
  } catch (error) {
    throw new Error(`embedded log: cannot keep the damaged segment ${path} aside in ${asideDir}: ${describeFsError(error)}; nothing was changed`);
  }
  return target;
}

/** Writes the readable runs of `source` into a new file and renames it over `path`. */
async function rebuild(source: LogFile, runs: { start: number; end: number }[], path: string, dir: string): Promise<void> {
  const temporary = `${path}.repairing`;
  const out = await nodeLogFileSystem.open(temporary, 'w');
  try {
    const buffer = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
    let written = 0;
    for (const run of runs) {
      for (let at = run.start; at < run.end; ) {
        const length = await readFully(source, buffer, Math.min(buffer.length, run.end - at), at);
        if (length === 0) throw new Error(`${path} got shorter while it was being repaired`);
        for (let done = 0; done < length; ) done += (await out.write(buffer, done, length - done, written + done)).bytesWritten;
        written += length;
        at += length;
      }
    }
    await out.sync();
  } catch (error) {
    await out.close().catch(() => {});
    await rm(temporary, { force: true });
    throw new Error(`embedded log: cannot write the repaired segment ${temporary}: ${describeFsError(error)}; ${path} was not changed`);
  }
  await out.close();
  await rename(temporary, path);
  await syncDir(nodeLogFileSystem, dir);
}
