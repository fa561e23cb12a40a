/**
 * Durable file writes: the target is either the old file or the complete new one, never a torn mix.
 */
import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

async function writeSynced(path: string, text: string, flags: string): Promise<void> {
  const handle = await open(path, flags, 0o644);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes the rename itself durable; Windows cannot open folders, and NTFS journals renames anyway. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Writes `text` to a temp file beside `path`, fsyncs it, renames it over `path`, fsyncs the folder. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = tempPathFor(path);
  try {
    await writeSynced(temp, text, 'wx');
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncFolder(dirname(path));
}

/**
 * Like writeFileAtomic, but fails with EEXIST when `path` exists: the complete temp file is
 * hard-linked to `path`, which the file system refuses atomically if the name is taken.
 */
export async function createFileAtomic(path: string, text: string): Promise<void> {
  const temp = tempPathFor(path);
  try {
    await writeSynced(temp, text, 'wx');
    await link(temp, path);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  await syncFolder(dirname(path));
}
