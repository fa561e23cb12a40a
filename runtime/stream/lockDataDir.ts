/**
 * One writer per data directory: an exclusive `LOCK` file holding the writer's pid and, where the
 * OS tells (Linux), which process that pid was: the boot and the process's start time. A lock left
 * by a process that no longer runs (kill -9, power loss) is taken over, also when its pid now
 * belongs to another process: in a container every server is pid 1, so a pid alone would keep a
 * restarted container from ever opening its own data again.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LogFileSystem } from './logFileSystem.ts';
import { describeFsError } from './logFileSystem.ts';

export const LOCK_FILE = 'LOCK';

/** Directories this process holds the lock of (a pid of ours in a LOCK we don't hold is a stale one). */
const held = new Set<string>();

/** Takes the lock or throws a clear Error naming the process that holds it. Returns the release function. */
export async function lockDataDir(fs: LogFileSystem, dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  const key = resolve(dir);
  const mine = lockText(process.pid);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const file = await fs.open(path, 'wx');
      try {
        const text = Buffer.from(mine);
        await file.write(text, 0, text.length, 0);
      } finally {
        await file.close();
      }
      held.add(key);
      return async () => {
        held.delete(key);
        if ((await readLock(fs, path)) === mine) await fs.unlink(path).catch(() => {});
      };
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw new Error(`embedded log: cannot lock ${dir}: ${describeFsError(error)}`);
    }
    let holder = holderOf(await readLock(fs, path));
    if (holder === undefined) {
      // The holder may have created the file and not written its pid yet.
      await new Promise((resolve) => setTimeout(resolve, 100));
      holder = holderOf(await readLock(fs, path));
    }
    if (holder !== undefined && holds(holder, key)) {
      const who = holder.pid === process.pid ? `this process (pid ${holder.pid})` : `another process (pid ${holder.pid})`;
      throw new Error(`embedded log: ${dir} is already open for writing by ${who}. Stop it first, or use another data directory.`);
    }
    // Stale (its writer is gone) or unreadable: remove it and try again.
    await fs.unlink(path).catch(() => {});
  }
  throw new Error(`embedded log: cannot lock ${dir}: the lock file ${path} keeps reappearing`);
}

interface Holder {
  pid: number;
  /** which process the pid was, when the lock says (older locks hold only the pid) */
  identity?: string;
}

/** `pid identity\n`, or `pid\n` where the OS does not tell who a pid is. */
function lockText(pid: number): string {
  const identity = processIdentity(pid);
  return identity === undefined ? `${pid}\n` : `${pid} ${identity}\n`;
}

async function readLock(fs: LogFileSystem, path: string): Promise<string | undefined> {
  return fs.readFile(path, 'utf8').catch(() => undefined);
}

function holderOf(text: string | undefined): Holder | undefined {
  const [pidText, identity] = (text ?? '').trim().split(/\s+/);
  const pid = Number.parseInt(pidText ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return identity ? { pid, identity } : { pid };
}

/** Is the lock's writer still running? */
function holds(holder: Holder, dir: string): boolean {
  if (holder.pid === process.pid) return held.has(dir);
  if (!isRunning(holder.pid)) return false;
  // The pid runs: the same process only if it started when the lock's writer did.
  const identity = holder.identity === undefined ? undefined : processIdentity(holder.pid);
  return identity === undefined || identity === holder.identity;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** `<boot id>:<start time in clock ticks>` of a Linux process; undefined where /proc does not tell. */
export function processIdentity(pid: number): string | undefined {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = fields[19]; // field 22 overall
    return boot && startTicks ? `${boot}:${startTicks}` : undefined;
  } catch {
    return undefined;
  }
}
