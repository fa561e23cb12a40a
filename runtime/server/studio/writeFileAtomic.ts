import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes `data` so that a crash leaves either the old file or the complete new one, never half
 * a file: write a temp file beside it, fsync it, rename (or, with `exclusive`, hard-link so an
 * existing file is never replaced: EEXIST), then fsync the folder so the rename itself is durable.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: { exclusive?: boolean } = {}): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (options.exclusive) await link(temp, file);
    else await rename(temp, file);
  } finally {
    // After a link the temp name is redundant; after a successful rename it is already gone.
    await unlink(temp).catch(() => {});
  }
  await syncDirectory(dir);
}

/** Makes renames, links and unlinks in `dir` durable. Windows cannot open folders, and NTFS journals renames anyway. */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
