import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedLog, openEmbeddedLog } from './EmbeddedLog.ts';
import type { LogFile, LogFileSystem } from './logFileSystem.ts';
import type { StreamLogger, StreamRecord } from './messageStream.ts';
import { fillFileSystem } from '../testing/fillFileSystem.ts';

const root = mkdtempSync(join(tmpdir(), 'embedded-log-disk-'));
const mountPoint = join(root, 'tmpfs');
mkdirSync(mountPoint);

/** Mounts a 64 kB tmpfs if this process may (root in a privileged container); otherwise says why not. */
function mountSmallTmpfs(): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return `mount -t tmpfs was refused (${((error as { stderr?: Buffer }).stderr?.toString() || (error as Error).message).trim()})`;
  }
}
const mountRefused = mountSmallTmpfs();
if (mountRefused) console.log(`embedded log ENOSPC test on a real full disk skipped: ${mountRefused}`);

afterAll(() => {
  if (!mountRefused) execFileSync('umount', [mountPoint]);
  rmSync(root, { recursive: true, force: true });
});

const lines: string[] = [];
const logger: StreamLogger = { info: (message) => lines.push(message), warn: (message) => lines.push(message) };

function record(sid: string, n: number, padding = 0): StreamRecord {
  return { sid, payload: { kind: 'Request', message: { kind: 'BotText', content: `${n} ${'p'.repeat(padding)}` } }, timestamp: '2021-01-05T17:58:46.511' };
}

async function expectExactly(dir: string, expected: StreamRecord[]): Promise<void> {
  const before = lines.length;
  const log = await openEmbeddedLog({ dir, logger });
  try {
    expect(lines.slice(before)).toEqual([]);
    expect(log.endOffset()).toBe(expected.length);
    expect((await log.read(0, expected.length)).map((stored) => stored.record)).toEqual(expected);
  } finally {
    await log.close();
  }
}

describe('embedded log: disk errors', () => {
  it.skipIf(Boolean(mountRefused))(`rejects appends on a full disk (a real 64 kB tmpfs) and recovers when space comes back${mountRefused ? ` [skipped: ${mountRefused}]` : ''}`, async () => {
    const dir = join(mountPoint, 'log');
    const log = await openEmbeddedLog({ dir, logger });
    const acknowledged: StreamRecord[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        await log.append([record('full', i, 2000)]);
        acknowledged.push(record('full', i, 2000));
      }
      // Fill the rest of the file system.
      const filler = join(mountPoint, 'filler');
      expect(fillFileSystem(filler).code).toBe('ENOSPC');
      let failure: Error | undefined;
      for (let i = 3; i < 50 && !failure; i++) {
        await log.append([record('full', i, 8000)]).then(
          () => acknowledged.push(record('full', i, 8000)),
          (error: Error) => (failure = error),
        );
      }
      expect(failure?.message).toBe(`embedded log: cannot write to ${join(dir, '00000001.seg')}: no space left on device (ENOSPC)`);
      unlinkSync(filler);
      const offsets = await log.append([record('full', 100)]);
      expect(offsets).toEqual([acknowledged.length]);
      acknowledged.push(record('full', 100));
    } finally {
      await log.close();
    }
    await expectExactly(dir, acknowledged);
  });

  it('rejects appends when the data directory is removed', async () => {
    const dir = join(root, 'removed');
    const log = await openEmbeddedLog({ dir, logger });
    try {
      await log.append([record('gone', 0)]);
      rmSync(dir, { recursive: true, force: true });
      await expect(log.append([record('gone', 1)])).rejects.toThrow(`embedded log: cannot write to ${join(dir, '00000001.seg')}: no such file or directory (ENOENT)`);
      await expect(log.append([record('gone', 2)])).rejects.toThrow(/ENOENT/);
    } finally {
      await log.close();
    }
  });
});

/** A file-system port over the real one whose writes, syncs and truncates fail on demand. */
interface Faults {
  write?: string;
  partialWrite?: string;
  datasync?: string;
  truncate?: string;
  /** the next fdatasync waits for `until`, then fails with `code` (or succeeds without one) */
  heldDatasync?: { until: Promise<void>; code?: string };
  /** the next write takes its bytes, waits for `until`, then fails with `code` (or succeeds without one): a write-through write whose sync hangs */
  heldWrite?: { until: Promise<void>; code?: string };
}

/** An error as the disk reports it, with its code. */
const simulated = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

/** `file` as a LogFile whose write, fdatasync and truncate are `faults` (which call `file` for the real work). */
function faultyFile(file: fsp.FileHandle, faults: Pick<LogFile, 'write' | 'datasync' | 'truncate'>): LogFile {
  return {
    read: (buffer, offset, length, position) => file.read(buffer, offset, length, position),
    ...faults,
    sync: () => file.sync(),
    stat: () => file.stat(),
    close: () => file.close(),
  };
}

function faultyFs(): LogFileSystem & { fail: Faults; datasyncs: number; writes: number } {
  const fail: Faults = {};
  const port = {
    ...fsp,
    fail,
    datasyncs: 0,
    writes: 0,
    open: async (path: string, flags: string | number) => {
      const file = await fsp.open(path, flags);
      return faultyFile(file, {
        write: async (buffer, offset, length, position) => {
          port.writes += 1;
          const held = fail.heldWrite;
          if (held) {
            fail.heldWrite = undefined;
            const written = await file.write(buffer, offset, length, position);
            await held.until;
            if (held.code) throw simulated(held.code);
            return written;
          }
          if (fail.partialWrite) {
            const code = fail.partialWrite;
            // The disk takes half the bytes, then fills up.
            fail.partialWrite = undefined;
            fail.write = code;
            return file.write(buffer, offset, Math.ceil(length / 2), position);
          }
          if (fail.write) throw simulated(fail.write);
          return file.write(buffer, offset, length, position);
        },
        datasync: async () => {
          port.datasyncs += 1;
          const held = fail.heldDatasync;
          if (held) {
            fail.heldDatasync = undefined;
            await held.until;
            if (held.code) throw simulated(held.code);
            return file.datasync();
          }
          if (fail.datasync) throw simulated(fail.datasync);
          return file.datasync();
        },
        truncate: async (length) => {
          if (fail.truncate) throw simulated(fail.truncate);
          return file.truncate(length);
        },
      });
    },
  };
  return port;
}

describe('embedded log: failures injected at the file-system port', () => {
  let count = 0;
  /** `writeThrough: false`: commits are written, then fdatasync'ed (the Windows way), so fdatasync faults apply */
  async function setup(writeThrough?: boolean): Promise<{ dir: string; fs: ReturnType<typeof faultyFs>; log: EmbeddedLog }> {
    const dir = join(root, `faulty-${++count}`);
    const fs = faultyFs();
    return { dir, fs, log: await openEmbeddedLog({ dir, fs, logger, writeThrough }) };
  }

  it('write-through: rejects the batch whose write fails (EIO, as O_DSYNC reports a failed sync) and calls no fdatasync, then carries on', async () => {
    const { dir, fs, log } = await setup();
    try {
      await log.append([record('a', 0)]);
      fs.fail.write = 'EIO';
      const results = await Promise.allSettled([log.append([record('a', 1)]), log.append([record('b', 1), record('b', 2)])]);
      expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
      expect((results[1] as PromiseRejectedResult).reason.message).toMatch(/^embedded log: cannot write to .*00000001\.seg: input\/output error \(EIO\)$/);
      expect(log.hasSession('b')).toBe(false);
      fs.fail.write = undefined;
      expect(await log.append([record('a', 3)])).toEqual([1]);
      expect(fs.datasyncs).toBe(0);
    } finally {
      await log.close();
    }
    await expectExactly(dir, [record('a', 0), record('a', 3)]);
  });

  it('write-through: an append made while a commit is being written goes out in the next commit, and succeeds when the hung one fails', async () => {
    const { dir, fs, log } = await setup();
    try {
      await log.append([record('a', 0)]);
      let release!: () => void;
      fs.fail.heldWrite = { until: new Promise((resolve) => (release = resolve)), code: 'EIO' };
      const writesBefore = fs.writes;
      const first = log.append([record('a', 1)]);
      await expect.poll(() => fs.writes).toBe(writesBefore + 1);
      const second = log.append([record('b', 1)]);
      // The next commit waits for the one being written: a write-through write returns only once durable.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(fs.writes).toBe(writesBefore + 1);
      release();
      const results = await Promise.allSettled([first, second]);
      expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
      expect((results[0] as PromiseRejectedResult).reason.message).toMatch(/input\/output error \(EIO\)$/);
      expect((results[1] as PromiseFulfilledResult<number[]>).value).toEqual([1]);
      expect(fs.datasyncs).toBe(0);
    } finally {
      await log.close();
    }
    await expectExactly(dir, [record('a', 0), record('b', 1)]);
  });

  it('rejects every append of a batch whose fdatasync fails (EIO), then carries on', async () => {
    const { dir, fs, log } = await setup(false);
    try {
      await log.append([record('a', 0)]);
      fs.fail.datasync = 'EIO';
      const results = await Promise.allSettled([log.append([record('a', 1)]), log.append([record('b', 1), record('b', 2)])]);
      expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
      expect((results[0] as PromiseRejectedResult).reason.message).toMatch(/^embedded log: cannot write to .*00000001\.seg: input\/output error \(EIO\)$/);
      expect(log.endOffset()).toBe(1);
      expect(log.hasSession('b')).toBe(false);
      fs.fail.datasync = undefined;
      expect(await log.append([record('a', 3)])).toEqual([1]);
    } finally {
      await log.close();
    }
    await expectExactly(dir, [record('a', 0), record('a', 3)]);
  });

  it('fails the commit written during a failing fdatasync too, and cuts both back (pipelined commits)', async () => {
    const { dir, fs, log } = await setup(false);
    try {
      await log.append([record('a', 0)]);
      let release!: () => void;
      fs.fail.heldDatasync = { until: new Promise((resolve) => (release = resolve)), code: 'EIO' };
      const first = log.append([record('a', 1)]);
      const syncsBefore = fs.datasyncs;
      // The second commit is written and synced while the first one's fdatasync hangs.
      await expect.poll(() => fs.datasyncs).toBeGreaterThan(syncsBefore);
      const second = log.append([record('b', 1)]);
      await expect.poll(() => fs.datasyncs).toBeGreaterThan(syncsBefore + 1);
      release();
      const results = await Promise.allSettled([first, second]);
      expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
      expect((results[1] as PromiseRejectedResult).reason.message).toMatch(/input\/output error \(EIO\)$/);
      expect(log.endOffset()).toBe(1);
      expect(await log.append([record('a', 2)])).toEqual([1]);
    } finally {
      await log.close();
    }
    await expectExactly(dir, [record('a', 0), record('a', 2)]);
  });

  it('fails only the commit whose write fails while the one before it is still in fdatasync, in order', async () => {
    const { dir, fs, log } = await setup(false);
    try {
      await log.append([record('a', 0)]);
      let release!: () => void;
      fs.fail.heldDatasync = { until: new Promise((resolve) => (release = resolve)) };
      const settled: string[] = [];
      const first = log.append([record('a', 1)]).then((offsets) => settled.push(`first ${offsets}`));
      const syncsBefore = fs.datasyncs;
      await expect.poll(() => fs.datasyncs).toBeGreaterThan(syncsBefore);
      fs.fail.partialWrite = 'ENOSPC';
      const second = log.append([record('b', 1, 5000)]).catch((error: Error) => settled.push(`second ${error.message.replace(/.*\(/, '(')}`));
      // The second commit's write fails while the first still syncs; its rejection waits for the first.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(settled).toEqual([]);
      release();
      await Promise.all([first, second]);
      expect(settled).toEqual(['first 1', 'second (ENOSPC)']);
      fs.fail.write = undefined;
      expect(await log.append([record('a', 2)])).toEqual([2]);
    } finally {
      await log.close();
    }
    await expectExactly(dir, [record('a', 0), record('a', 1), record('a', 2)]);
  });

  for (const writeThrough of [true, false]) {
    it(`waits for the commits in flight when closed (${writeThrough ? 'write-through' : 'write + fdatasync'})`, async () => {
      const { dir, fs, log } = await setup(writeThrough);
      let release!: () => void;
      const held = { until: new Promise<void>((resolve) => (release = resolve)) };
      if (writeThrough) fs.fail.heldWrite = held;
      else fs.fail.heldDatasync = held;
      const calls = () => (writeThrough ? fs.writes : fs.datasyncs);
      const callsBefore = calls();
      const appended = log.append([record('a', 0)]);
      await expect.poll(calls).toBeGreaterThan(callsBefore);
      const later = log.append([record('a', 1)]);
      let closed = false;
      const closing = log.close().then(() => (closed = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(closed).toBe(false);
      release();
      await closing;
      expect(await appended).toEqual([0]);
      expect(await later).toEqual([1]);
      await expectExactly(dir, [record('a', 0), record('a', 1)]);
    });
  }

  it('cuts a half-written batch back so the file holds only acknowledged records (ENOSPC)', async () => {
    const { dir, fs, log } = await setup();
    try {
      await log.append([record('a', 0)]);
      fs.fail.partialWrite = 'ENOSPC';
      await expect(log.append([record('a', 1, 5000)])).rejects.toThrow(/no space left on device \(ENOSPC\)$/);
      fs.fail.write = undefined;
      expect(await log.append([record('a', 2)])).toEqual([1]);
    } finally {
      await log.close();
    }
    await expectExactly(dir, [record('a', 0), record('a', 2)]);
  });

  it('repairs the file before the next write when cutting back failed too', async () => {
    const { dir, fs, log } = await setup();
    try {
      await log.append([record('a', 0)]);
      fs.fail.partialWrite = 'ENOSPC';
      fs.fail.truncate = 'EIO';
      await expect(log.append([record('a', 1, 5000)])).rejects.toThrow(/ENOSPC/);
      fs.fail.write = undefined;
      await expect(log.append([record('a', 2)])).rejects.toThrow(/input\/output error \(EIO\)/);
      fs.fail.truncate = undefined;
      expect(await log.append([record('a', 3, 10)])).toEqual([1]);
    } finally {
      await log.close();
    }
    await expectExactly(dir, [record('a', 0), record('a', 3, 10)]);
  });
});

/** A small seeded generator (mulberry32), so a failing run can be repeated with its seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The real file system, with segment writes that fail (sometimes after taking part of the bytes),
 * fdatasyncs that take a while and sometimes fail, and truncates that sometimes fail, at random,
 * until `healed` is set.
 */
function randomFaultsFs(random: () => number): LogFileSystem & { healed: boolean } {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const port = {
    ...fsp,
    healed: false,
    open: async (path: string, flags: string | number) => {
      const file = await fsp.open(path, flags);
      if (!path.endsWith('.seg')) return file;
      const fails = (probability: number) => !port.healed && random() < probability;
      return faultyFile(file, {
        write: async (buffer, offset, length, position) => {
          if (fails(0.04)) {
            // The disk takes some of the bytes, then fills up.
            await file.write(buffer, offset, Math.floor(random() * length), position);
            throw simulated('ENOSPC');
          }
          return file.write(buffer, offset, length, position);
        },
        datasync: async () => {
          await sleep(random() * 2);
          if (fails(0.03)) throw simulated('EIO');
          return file.datasync();
        },
        truncate: async (length) => {
          if (fails(0.1)) throw simulated('EIO');
          return file.truncate(length);
        },
      });
    },
  };
  return port;
}

// Three seeds in the suite; FAULT_SEEDS=N runs seeds 1..N for a longer soak (timing varies, so a seed's failures vary too).
const faultSeeds = Number(process.env.FAULT_SEEDS) || 3;

describe('embedded log: random write, fdatasync and truncate failures under concurrent appends', () => {
  const cases = Array.from({ length: faultSeeds }, (_, i) => i + 1).flatMap((seed) => [true, false].map((writeThrough) => ({ seed, writeThrough })));
  for (const { seed, writeThrough } of cases) {
    it(`keeps exactly the acknowledged records, in order, across rolls (seed ${seed}, ${writeThrough ? 'write-through' : 'write + fdatasync'})`, async () => {
      const dir = join(root, `random-${seed}-${writeThrough}`);
      const fs = randomFaultsFs(seededRandom(seed));
      const log = await openEmbeddedLog({ dir, fs, logger, segmentBytes: 4096, writeThrough });
      const acknowledged = new Map<number, StreamRecord>();
      let rejected = 0;
      try {
        // 40 sessions, each appending its records one after another, all at once.
        await Promise.all(
          Array.from({ length: 40 }, async (_, session) => {
            for (let n = 0; n < 25; n++) {
              const records = [record(`s${session}`, n, n % 7 === 0 ? 900 : 0), record(`s${session}`, n + 1000)];
              await log.append(records).then(
                (offsets) => offsets.forEach((offset, i) => acknowledged.set(offset, records[i])),
                () => (rejected += 1),
              );
            }
          }),
        );
      } finally {
        // A cut-back the disk refused is made at close, once the disk takes it.
        fs.healed = true;
        await log.close();
      }
      expect(rejected).toBeGreaterThan(0);
      expect(acknowledged.size).toBeGreaterThan(500);
      const offsets = [...acknowledged.keys()].sort((a, b) => a - b);
      expect(offsets).toEqual(offsets.map((_, i) => i));
      const reopened = await openEmbeddedLog({ dir, logger });
      try {
        expect(reopened.endOffset()).toBe(acknowledged.size);
        const stored = await reopened.read(0, acknowledged.size);
        expect(stored.map((s) => s.record)).toEqual(offsets.map((offset) => acknowledged.get(offset)));
      } finally {
        await reopened.close();
      }
    });
  }
});
