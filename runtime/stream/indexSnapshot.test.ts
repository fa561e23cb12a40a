import { cp, mkdtemp, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedLog, type EmbeddedLog } from './EmbeddedLog.ts';
import { INDEX_SNAPSHOT_FILE } from './indexSnapshot.ts';
import { nodeLogFileSystem, type LogFile, type LogFileSystem } from './logFileSystem.ts';
import type { StreamLogger, StreamRecord } from './messageStream.ts';

const logger: StreamLogger = { info: () => {}, warn: (message) => console.warn(message) };
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
async function newDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'index-snapshot-test-'));
  dirs.push(dir);
  return dir;
}

/** The real file system, counting the bytes read through it (the open's scan reads through the port). */
function countingFs(): LogFileSystem & { bytesRead: number } {
  const port = {
    ...nodeLogFileSystem,
    bytesRead: 0,
    async open(path: string, flags: string): Promise<LogFile> {
      const file = await nodeLogFileSystem.open(path, flags);
      return {
        read: async (buffer, offset, length, position) => {
          const result = await file.read(buffer, offset, length, position);
          port.bytesRead += result.bytesRead;
          return result;
        },
        write: (...args) => file.write(...args),
        datasync: () => file.datasync(),
        sync: () => file.sync(),
        truncate: (length) => file.truncate(length),
        stat: () => file.stat(),
        close: () => file.close(),
      };
    },
  };
  return port;
}

const record = (i: number): StreamRecord => ({ sid: `session-${i % 40}`, payload: { kind: 'Response', message: { kind: 'UserText', content: `turn ${i} ${'x'.repeat(100)}` } }, timestamp: `2021-01-05T17:58:46.${String(i % 1000).padStart(3, '0')}` });

async function appendRecords(log: EmbeddedLog, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i += 100) await log.append(Array.from({ length: Math.min(100, to - i) }, (_, k) => record(i + k)));
}

async function segmentBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) if (name.endsWith('.seg')) total += (await stat(join(dir, name))).size;
  return total;
}

/** What a full scan finds: every session's summary and records. */
async function contents(log: EmbeddedLog) {
  const sessions = [...log.sessions()];
  const records: Record<string, StreamRecord[]> = {};
  for (const { sid } of sessions) {
    records[sid] = [];
    for await (const chunk of log.readSession(sid, { chunkSize: 64 })) records[sid].push(...chunk.map((stored) => stored.record));
  }
  return { end: log.endOffset(), sessions, records };
}

describe('embedded log: index snapshot (real files)', () => {
  it('opens from the snapshot written at close without reading the segments it covers', async () => {
    const dir = await newDir();
    const log = await openEmbeddedLog({ dir, logger, segmentBytes: 64 * 1024, indexSnapshotEvery: 1_000_000 });
    await appendRecords(log, 0, 4000);
    await log.close();
    expect(await segmentBytes(dir)).toBeGreaterThan(400_000);

    const fs = countingFs();
    const reopened = await openEmbeddedLog({ dir, logger, fs, segmentBytes: 64 * 1024, indexSnapshotEvery: 1_000_000 });
    expect(fs.bytesRead).toBe(0);
    const fromSnapshot = await contents(reopened);
    await appendRecords(reopened, 4000, 4100);
    await reopened.close();

    const scanned = await openEmbeddedLog({ dir, logger, readOnly: true });
    const full = await contents(scanned);
    await scanned.close();
    expect(fromSnapshot.end).toBe(4000);
    expect(full.end).toBe(4100);
    expect(fromSnapshot.sessions.map((s) => s.sid)).toEqual(full.sessions.map((s) => s.sid));
    expect(full.records['session-7']).toHaveLength(103);
    expect(fromSnapshot.records['session-7']).toEqual(full.records['session-7'].slice(0, 100));
  });

  it('after a crash, scans only what was written after the last snapshot', async () => {
    const dir = await newDir();
    const log = await openEmbeddedLog({ dir, logger, segmentBytes: 64 * 1024, indexSnapshotEvery: 1000 });
    await appendRecords(log, 0, 3050);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the snapshot taken after 3,000 records is written
    // A copy of the files while the log is open is what a SIGKILL leaves (without the lock file).
    const crashed = await newDir();
    await cp(dir, crashed, { recursive: true, filter: (source) => !source.endsWith('LOCK') });
    await log.close();

    const fs = countingFs();
    const reopened = await openEmbeddedLog({ dir: crashed, logger, fs, segmentBytes: 64 * 1024, indexSnapshotEvery: 1000 });
    const total = await segmentBytes(crashed);
    expect(fs.bytesRead).toBeGreaterThan(0);
    expect(fs.bytesRead).toBeLessThan(total / 10);
    const fromSnapshot = await contents(reopened);
    await reopened.close();
    const scanned = await openEmbeddedLog({ dir: crashed, logger, readOnly: true });
    expect(fromSnapshot).toEqual(await contents(scanned));
    expect(fromSnapshot.end).toBe(3050);
    await scanned.close();
  });

  it('falls back to the full scan when a segment is shorter than the snapshot says', async () => {
    const dir = await newDir();
    const log = await openEmbeddedLog({ dir, logger, indexSnapshotEvery: 1_000_000 });
    await appendRecords(log, 0, 500);
    await log.close();
    // the tail of the only segment is lost after the snapshot was written (a repair, a restored backup)
    const segment = join(dir, '00000001.seg');
    await truncate(segment, (await stat(segment)).size - 10);
    const fs = countingFs();
    const reopened = await openEmbeddedLog({ dir, logger: { info() {}, warn() {} }, fs, indexSnapshotEvery: 1_000_000 });
    expect(fs.bytesRead).toBeGreaterThan(0);
    expect(reopened.endOffset()).toBe(499);
    await reopened.close();
  });

  it('ignores a snapshot file that is not one', async () => {
    const dir = await newDir();
    const log = await openEmbeddedLog({ dir, logger, indexSnapshotEvery: 1_000_000 });
    await appendRecords(log, 0, 300);
    await log.close();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, INDEX_SNAPSHOT_FILE), 'not a snapshot');
    const reopened = await openEmbeddedLog({ dir, logger, indexSnapshotEvery: 1_000_000 });
    expect(reopened.endOffset()).toBe(300);
    expect(reopened.sessionSummary('session-3')?.count).toBe(8);
    await reopened.close();
  });
});
