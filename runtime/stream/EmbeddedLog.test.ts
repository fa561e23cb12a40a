import { spawn } from 'node:child_process';
import { appendFileSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedLog, openEmbeddedLog } from './EmbeddedLog.ts';
import { processIdentity } from './lockDataDir.ts';
import type { FramePositions } from './FramePositions.ts';
import type { LogFile, LogFileSystem } from './logFileSystem.ts';
import type { StoredRecord, StreamLogger, StreamRecord } from './messageStream.ts';
import { describeMessageStreamContract } from '../testing/messageStreamContract.ts';

const root = mkdtempSync(join(tmpdir(), 'embedded-log-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirCount = 0;
const newDir = () => join(root, `log-${++dirCount}`);

function collectingLogger(): StreamLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (message) => lines.push(message), warn: (message) => lines.push(message) };
}

function record(sid: string, n: number): StreamRecord {
  return { sid, payload: { kind: 'Response', message: { kind: 'UserText', sessionId: 'x', message: `text ${n}` } }, timestamp: '2021-01-05T17:58:46.511' };
}

async function readAll(log: EmbeddedLog): Promise<StoredRecord[]> {
  return log.read(0, log.endOffset());
}

function segmentFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.seg'))
    .sort();
}

const silent = collectingLogger();
describeMessageStreamContract(
  'embedded log',
  () => openEmbeddedLog({ dir: newDir(), logger: silent }),
  (closed) => openEmbeddedLog({ dir: (closed as EmbeddedLog).dir, logger: silent }),
);
describeMessageStreamContract(
  'embedded log with tiny segments',
  () => openEmbeddedLog({ dir: newDir(), logger: silent, segmentBytes: 2048 }),
  (closed) => openEmbeddedLog({ dir: (closed as EmbeddedLog).dir, logger: silent, segmentBytes: 2048 }),
);

describe('embedded log: files', () => {
  it('rolls segments at the size and reads across them after a reopen', async () => {
    const dir = newDir();
    const log = await openEmbeddedLog({ dir, segmentBytes: 4096, logger: silent });
    for (let i = 0; i < 100; i++) await log.append([record(`s${i % 7}`, i), record(`s${(i + 3) % 7}`, i)]);
    await log.close();
    const files = segmentFiles(dir);
    expect(files.length).toBeGreaterThan(5);
    expect(files[0]).toBe('00000001.seg');
    for (const file of files.slice(0, -1)) expect(statSync(join(dir, file)).size).toBeLessThan(4096 + 400);
    const again = await openEmbeddedLog({ dir, segmentBytes: 4096, logger: silent });
    try {
      expect(again.endOffset()).toBe(200);
      const all = await readAll(again);
      expect(all.map((stored) => stored.offset)).toEqual(Array.from({ length: 200 }, (_, i) => i));
      expect(all[199].record).toEqual(record('s4', 99));
      expect(again.stats().segments).toBe(files.length);
    } finally {
      await again.close();
    }
  });

  for (const writeThrough of [true, false]) {
    it(`group-commits: 1,000 concurrent appends need far fewer writes and fdatasyncs than appends (${writeThrough ? 'write-through: no fdatasync' : 'write + fdatasync'})`, async () => {
      let writes = 0;
      let syncs = 0;
      const countingFs: LogFileSystem = {
        ...fsp,
        open: async (path, flags) => {
          const file = await fsp.open(path, flags);
          if (!path.endsWith('.seg')) return file;
          return Object.assign(Object.create(file) as LogFile, {
            write: (buffer: Buffer, offset: number, length: number, position: number) => {
              writes++;
              return file.write(buffer, offset, length, position);
            },
            datasync: () => {
              syncs++;
              return file.datasync();
            },
          });
        },
      };
      const log = await openEmbeddedLog({ dir: newDir(), fs: countingFs, logger: silent, writeThrough });
      try {
        const offsets = await Promise.all(Array.from({ length: 1000 }, (_, i) => log.append([record(`s${i}`, i)])));
        expect(new Set(offsets.flat()).size).toBe(1000);
        expect(writes).toBeGreaterThan(0);
        expect(writes).toBeLessThan(20);
        if (writeThrough) expect(syncs).toBe(0);
        else expect(syncs).toBe(writes);
      } finally {
        await log.close();
      }
    });
  }

  it.runIf(process.platform === 'linux')('opens the segment it appends to write-through (O_DSYNC, as /proc reports the descriptor): new, reopened and after a roll; not with writeThrough: false', async () => {
    const writers: number[] = [];
    const watchingFs: LogFileSystem = {
      ...fsp,
      open: async (path, flags) => {
        const file = await fsp.open(path, flags);
        if (path.endsWith('.seg') && typeof flags === 'number') writers.push(file.fd);
        return file;
      },
    };
    /** whether descriptor `fd` of this process is open with O_DSYNC, as the kernel holds it */
    const isWriteThrough = (fd: number) => (parseInt(/^flags:\s*([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))![1], 8) & constants.O_DSYNC) !== 0;
    const dir = newDir();
    // a new log, the same log reopened, and reopened the Windows way
    for (const writeThrough of [true, true, false]) {
      writers.length = 0;
      const log = await openEmbeddedLog({ dir, fs: watchingFs, logger: silent, segmentBytes: 256, writeThrough });
      try {
        const seen: boolean[] = [isWriteThrough(writers.at(-1)!)];
        for (let i = 0; i < 3; i++) {
          await log.append([record('a', i)]);
          seen.push(isWriteThrough(writers.at(-1)!));
        }
        expect(writers.length).toBeGreaterThan(1); // rolled
        expect(seen).toEqual(seen.map(() => writeThrough));
      } finally {
        await log.close();
      }
    }
  });

  it('reads a session whose records lie far apart, with and without a file descriptor, without reading the gaps', async () => {
    let bytesRead = 0;
    const countingReads = (withFd: boolean): LogFileSystem => ({
      ...fsp,
      open: async (path, flags) => {
        const file = await fsp.open(path, flags);
        return {
          fd: withFd ? file.fd : undefined,
          read: async (buffer, offset, length, position) => {
            bytesRead += length;
            return file.read(buffer, offset, length, position);
          },
          write: (buffer, offset, length, position) => file.write(buffer, offset, length, position),
          datasync: () => file.datasync(),
          sync: () => file.sync(),
          truncate: (length) => file.truncate(length),
          stat: () => file.stat(),
          close: () => file.close(),
        };
      },
    });
    const filler = 'x'.repeat(8 * 1024);
    const dir = newDir();
    for (const withFd of [false, true]) {
      const log = await openEmbeddedLog({ dir, fs: countingReads(withFd), logger: silent });
      try {
        if (!withFd) {
          for (let i = 0; i < 300; i++) {
            await log.append([record('a', i), { sid: 'b', payload: { kind: 'Response', message: { kind: 'UserText', content: filler } }, timestamp: '2021-01-05T17:58:46.511' }]);
          }
        }
        bytesRead = 0;
        const chunks: StoredRecord[][] = [];
        for await (const chunk of log.readSession('a', { chunkSize: 128 })) chunks.push(chunk);
        const records = chunks.flat();
        expect(records.map((stored) => stored.offset)).toEqual(Array.from({ length: 300 }, (_, i) => 2 * i));
        expect(records[299].record).toEqual(record('a', 299));
        // the descriptor path reads with readSync, not through the port; the other reads only the 300 records
        if (withFd) expect(bytesRead).toBe(0);
        else expect(bytesRead).toBeLessThan(300 * 1024);
      } finally {
        await log.close();
      }
    }
  });

  it('lets go of a commit buffer that grew for a burst once the burst is durable', async () => {
    const log = await openEmbeddedLog({ dir: newDir(), logger: silent });
    try {
      const text = 'x'.repeat(1000);
      // ~3 MB in one tick: the buffer it is written into grows to 4 MiB
      await Promise.all(Array.from({ length: 3000 }, (_, i) => log.append([{ sid: `burst-${i % 50}`, payload: { kind: 'Request', message: { kind: 'BotText', content: text } }, timestamp: '2021-01-05T17:58:46.511' }])));
      for (let i = 0; i < 4; i++) await log.append([{ sid: 'after', timestamp: '2021-01-05T17:58:46.511' }]);
      const writer = (log as unknown as { writer: { buffer: Buffer; spares: Buffer[] } }).writer;
      const held = [writer.buffer, ...writer.spares].map((buffer) => buffer.length);
      expect(Math.max(...held)).toBeLessThanOrEqual(512 * 1024);
    } finally {
      await log.close();
    }
  });

  it('keeps only the positions of their frames for complete segments, also after a reopen', async () => {
    const dir = newDir();
    const record = (i: number) => ({ sid: `session-${i % 7}`, timestamp: '2021-01-05T17:58:46.511' });
    const log = await openEmbeddedLog({ dir, segmentBytes: 64 * 1024, logger: silent });
    try {
      for (let i = 0; i < 4000; i += 100) await log.append(Array.from({ length: 100 }, (_, j) => record(i + j)));
    } finally {
      await log.close();
    }
    const again = await openEmbeddedLog({ dir, segmentBytes: 64 * 1024, logger: silent });
    try {
      await again.append([record(4000)]);
      const { segments, records } = again.stats();
      expect(records).toBe(4001);
      expect(segments).toBeGreaterThan(2);
      // About 2 bytes a record in the complete segments; the one being written keeps room to grow.
      const complete = (again as unknown as { segments: { list: { positions: FramePositions }[] } }).segments.list.slice(0, -1);
      expect(complete.reduce((sum, { positions }) => sum + positions.length, 0)).toBeGreaterThan(3000);
      for (const { positions } of complete) expect(positions.byteLength).toBeLessThanOrEqual(2 * positions.length + 4 * Math.ceil(positions.length / 32));
      expect((await again.read(0, 4001)).map((stored) => stored.record.sid)).toEqual(Array.from({ length: 4001 }, (_, i) => record(i).sid));
    } finally {
      await again.close();
    }
  });

  it('keeps the index compact: 100,000 records over 5,000 sessions in well under 2 MB', async () => {
    const log = await openEmbeddedLog({ dir: newDir(), logger: silent });
    try {
      for (let batch = 0; batch < 100; batch++) {
        await log.append(Array.from({ length: 1000 }, (_, i) => ({ sid: `session-${(batch * 1000 + i) % 5000}`, timestamp: '2021-01-05T17:58:46.511' })));
      }
      const stats = log.stats();
      expect(stats).toMatchObject({ records: 100_000, sessions: 5000 });
      expect(stats.indexBytes).toBeLessThan(2 * 1024 * 1024);
      expect(log.sessionSummary('session-42')).toMatchObject({ count: 20, firstOffset: 42, lastOffset: 95_042 });
    } finally {
      await log.close();
    }
  });
});

describe('embedded log: torn and corrupt tails', () => {
  async function logWithRecords(dir: string, count: number): Promise<void> {
    const log = await openEmbeddedLog({ dir, logger: silent });
    await log.append(Array.from({ length: count }, (_, i) => record('torn', i)));
    await log.close();
  }

  async function reopenAndCheck(dir: string, expectedRecords: number, expectedCut: RegExp): Promise<void> {
    const logger = collectingLogger();
    const log = await openEmbeddedLog({ dir, logger });
    try {
      expect(logger.lines).toHaveLength(1);
      expect(logger.lines[0]).toMatch(expectedCut);
      expect(log.endOffset()).toBe(expectedRecords);
      const all = await readAll(log);
      expect(all.map((stored) => stored.record)).toEqual(Array.from({ length: expectedRecords }, (_, i) => record('torn', i)));
      const [next] = await log.append([record('torn', expectedRecords)]);
      expect(next).toBe(expectedRecords);
    } finally {
      await log.close();
    }
    const quiet = collectingLogger();
    const third = await openEmbeddedLog({ dir, logger: quiet });
    expect(quiet.lines).toEqual([]);
    expect(third.endOffset()).toBe(expectedRecords + 1);
    await third.close();
  }

  it('cuts garbage bytes after the last record with one log line', async () => {
    const dir = newDir();
    await logWithRecords(dir, 5);
    const segment = join(dir, '00000001.seg');
    const size = statSync(segment).size;
    appendFileSync(segment, Buffer.from('garbage that is not a frame at all'));
    await reopenAndCheck(dir, 5, new RegExp(`^embedded log: cut a torn record at segment 1 offset ${size} \\(34 bytes\\)`));
  });

  it('cuts a record whose bytes were only partly written', async () => {
    const dir = newDir();
    await logWithRecords(dir, 5);
    const segment = join(dir, '00000001.seg');
    const size = statSync(segment).size;
    truncateSync(segment, size - 10);
    await reopenAndCheck(dir, 4, /^embedded log: cut a torn record at segment 1 offset \d+ \(\d+ bytes\): short record$/);
  });

  it('cuts a last record whose CRC does not match', async () => {
    const dir = newDir();
    await logWithRecords(dir, 5);
    const segment = join(dir, '00000001.seg');
    const bytes = readFileSync(segment);
    bytes[bytes.length - 3] ^= 0xff;
    writeFileSync(segment, bytes);
    await reopenAndCheck(dir, 4, /CRC mismatch$/);
  });

  it('cuts a tail of fewer bytes than a frame header', async () => {
    const dir = newDir();
    await logWithRecords(dir, 3);
    appendFileSync(join(dir, '00000001.seg'), Buffer.from([7, 0, 0]));
    await reopenAndCheck(dir, 3, /\(3 bytes\): short frame header$/);
  });

  it('refuses to open when a segment that is not the last is damaged', async () => {
    const dir = newDir();
    const log = await openEmbeddedLog({ dir, segmentBytes: 1024, logger: silent });
    for (let i = 0; i < 40; i++) await log.append([record('torn', i)]);
    await log.close();
    const first = join(dir, '00000001.seg');
    const bytes = readFileSync(first);
    bytes[20] ^= 0xff;
    writeFileSync(first, bytes);
    await expect(openEmbeddedLog({ dir, logger: silent })).rejects.toThrow(/segment 1 .* is damaged at byte offset 0 \(CRC mismatch\); .* readable records .*bot-assistant repair --data-dir/);
    // The failed open released its lock.
    expect(readdirSync(dir)).not.toContain('LOCK');
  });

  it('refuses to open a log with a missing segment', async () => {
    const dir = newDir();
    const log = await openEmbeddedLog({ dir, segmentBytes: 1024, logger: silent });
    for (let i = 0; i < 40; i++) await log.append([record('hole', i)]);
    await log.close();
    rmSync(join(dir, '00000002.seg'));
    await expect(openEmbeddedLog({ dir, logger: silent })).rejects.toThrow(/segment 2 is missing/);
  });
});

describe('embedded log: one writer per directory', () => {
  it('refuses a second writer in the same process, naming the pid', async () => {
    const dir = newDir();
    const log = await openEmbeddedLog({ dir, logger: silent });
    try {
      await expect(openEmbeddedLog({ dir, logger: silent })).rejects.toThrow(`is already open for writing by this process (pid ${process.pid})`);
    } finally {
      await log.close();
    }
    const again = await openEmbeddedLog({ dir, logger: silent });
    await again.close();
  });

  it('refuses a directory locked by another running process', async () => {
    const dir = newDir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      await (await openEmbeddedLog({ dir, logger: silent })).close();
      writeFileSync(join(dir, 'LOCK'), `${other.pid}\n`);
      await expect(openEmbeddedLog({ dir, logger: silent })).rejects.toThrow(`by another process (pid ${other.pid})`);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('takes over a lock whose pid now belongs to another process, or to this one (a container restart: pid 1 again)', async () => {
    const dir = newDir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      await (await openEmbeddedLog({ dir, logger: silent })).close();
      const otherIdentity = processIdentity(other.pid!);
      expect(otherIdentity, 'this test needs /proc').toMatch(/^[0-9a-f-]+:\d+$/);
      // The running process that took the pid over started later than the lock's writer.
      writeFileSync(join(dir, 'LOCK'), `${other.pid} ${otherIdentity!.split(':')[0]}:1\n`);
      await (await openEmbeddedLog({ dir, logger: silent })).close();
      // This very pid, written by an earlier process: this one holds no lock on the directory.
      writeFileSync(join(dir, 'LOCK'), `${process.pid} ${otherIdentity!.split(':')[0]}:1\n`);
      const log = await openEmbeddedLog({ dir, logger: silent });
      expect(readFileSync(join(dir, 'LOCK'), 'utf8')).toBe(`${process.pid} ${processIdentity(process.pid)}\n`);
      await log.close();
      // The writer itself, still running: refused.
      writeFileSync(join(dir, 'LOCK'), `${other.pid} ${otherIdentity}\n`);
      await expect(openEmbeddedLog({ dir, logger: silent })).rejects.toThrow(`by another process (pid ${other.pid})`);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dir = newDir();
    const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => gone.on('exit', resolve));
    await (await openEmbeddedLog({ dir, logger: silent })).close();
    writeFileSync(join(dir, 'LOCK'), `${gone.pid}\n`);
    const log = await openEmbeddedLog({ dir, logger: silent });
    expect(readFileSync(join(dir, 'LOCK'), 'utf8')).toBe(`${process.pid} ${processIdentity(process.pid)}\n`);
    await log.close();
    expect(readdirSync(dir)).not.toContain('LOCK');
  });
});

describe('embedded log: read-only consumers', () => {
  it('says clearly when the data directory does not exist', async () => {
    const dir = join(root, 'never-created');
    await expect(openEmbeddedLog({ dir, readOnly: true })).rejects.toThrow(`embedded log: no data directory at ${dir}`);
  });

  it('reads while a writer holds the lock, rejects appends, and follows growth across segments', async () => {
    const dir = newDir();
    const writer = await openEmbeddedLog({ dir, segmentBytes: 2048, logger: silent });
    try {
      await writer.append([record('a', 0), record('b', 0)]);
      const reader = await openEmbeddedLog({ dir, readOnly: true, follow: true, pollIntervalMs: 20, logger: silent });
      try {
        expect(reader.endOffset()).toBe(2);
        await expect(reader.append([record('a', 1)])).rejects.toThrow(/read-only/);
        const seen: StoredRecord[] = [];
        reader.subscribe((records) => seen.push(...records));
        for (let i = 1; i <= 60; i++) await writer.append([record('a', i)]);
        const deadline = Date.now() + 10_000;
        while (seen.length < 60 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
        expect(segmentFiles(dir).length).toBeGreaterThan(2);
        expect(seen.map((stored) => stored.offset)).toEqual(Array.from({ length: 60 }, (_, i) => i + 2));
        expect(seen.map((stored) => stored.record)).toEqual(Array.from({ length: 60 }, (_, i) => record('a', i + 1)));
        expect(reader.sessionSummary('a')?.count).toBe(61);
      } finally {
        await reader.close();
      }
    } finally {
      await writer.close();
    }
  });
});
