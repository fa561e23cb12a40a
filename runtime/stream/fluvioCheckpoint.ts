/**
 * The Fluvio backend's checkpoint: how far into each partition of the topic the local cache goes.
 * `cacheEnd` records of the cache hold exactly the topic's records before `positions[p]` in each
 * partition p (values that were not stream records count as consumed). Written atomically (temp
 * file, fsync, rename) after cache writes, at most once a second, and at close; a missing or torn
 * checkpoint only means more of the cache's tail is read at open.
 */
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

export const CHECKPOINT_FILE = 'fluvio-checkpoint.json';

export interface FluvioCheckpoint {
  topic: string;
  /** per partition: the Fluvio offset of the next record to consume */
  positions: number[];
  /** records in the cache that the positions cover */
  cacheEnd: number;
}

/** The checkpoint in `dir`, or undefined when there is none (or it is unreadable: it is only a shortcut). */
export async function readCheckpoint(dir: string, topic: string): Promise<FluvioCheckpoint | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, CHECKPOINT_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as FluvioCheckpoint;
    const valid =
      parsed.topic === topic &&
      Array.isArray(parsed.positions) &&
      parsed.positions.every((position) => Number.isSafeInteger(position) && position >= 0) &&
      Number.isSafeInteger(parsed.cacheEnd) &&
      parsed.cacheEnd >= 0;
    return valid ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the checkpoint so that a crash leaves either the old one or the new one. */
export async function writeCheckpoint(dir: string, checkpoint: FluvioCheckpoint): Promise<void> {
  const path = join(dir, CHECKPOINT_FILE);
  const temp = `${path}.tmp`;
  const file = await open(temp, 'w');
  try {
    await file.writeFile(JSON.stringify(checkpoint));
    await file.datasync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
}
