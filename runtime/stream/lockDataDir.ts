/**
 * One writer per data directory: an exclusive `LOCK` file holding the writer's pid. A lock left by a
 * process that no longer runs (kill -9, power loss) is taken over.
 */
import { join } from 'node:path';
import type { LogFileSystem } from './logFileSystem.ts';
import { describeFsError } from './logFileSystem.ts';

export const LOCK_FILE = 'LOCK';

/** Takes the lock or throws a clear Error naming the process that holds it. Returns the release function. */
export async function lockDataDir(fs: LogFileSystem, dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const file = await fs.open(path, 'wx');
      try {
        const text = Buffer.from(`${process.pid}\n`);
        await file.write(text, 0, text.length, 0);
      } finally {
        await file.close();
      }
      return async () => {
        const holder = await readHolder(fs, path);
        if (holder === process.pid) await fs.unlink(path).catch(() => {});
      };
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw new Error(`embedded log: cannot lock ${dir}: ${describeFsError(error)}`);
    }
    let holder = await readHolder(fs, path);
    if (holder === undefined) {
      // The holder may have created the file and not written its pid yet.
      await new Promise((resolve) => setTimeout(resolve, 100));
      holder = await readHolder(fs, path);
    }
    if (holder !== undefined && isRunning(holder)) {
      const who = holder === process.pid ? `this process (pid ${holder})` : `another process (pid ${holder})`;
      throw new Error(`embedded log: ${dir} is already open for writing by ${who}. Stop it first, or use another data directory.`);
    }
    // Stale (its writer is gone) or unreadable: remove it and try again.
    await fs.unlink(path).catch(() => {});
  }
  throw new Error(`embedded log: cannot lock ${dir}: the lock file ${path} keeps reappearing`);
}

async function readHolder(fs: LogFileSystem, path: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await fs.readFile(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
