// Issue 10 item 4: corruption is never "repaired" by deleting data. Real segment files, damaged by
// hand, and the real `bot-assistant` CLI.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedLog } from '../stream/EmbeddedLog.ts';
import type { StreamRecord } from '../stream/messageStream.ts';

const bin = fileURLToPath(new URL('../bot-assistant.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'repair-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirCount = 0;
const silent = { info: () => {}, warn: () => {} };

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function record(n: number): StreamRecord {
  return { sid: `s${n % 3}`, payload: { kind: 'Response', message: { kind: 'UserText', sessionId: 'x', message: `answer number ${n}` } }, timestamp: '2021-01-05T17:58:46.511' };
}

/** A log of `count` records; returns its directory and the byte range of each record's frame in its segment. */
async function logWith(count: number, segmentBytes?: number): Promise<{ dir: string; frames: { segment: string; start: number; end: number }[] }> {
  const dir = join(root, `log-${++dirCount}`);
  const log = await openEmbeddedLog({ dir, logger: silent, segmentBytes });
  const frames: { segment: string; start: number; end: number }[] = [];
  const sizes = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    await log.append([record(i)]);
    const segment = readdirSync(dir).filter((name) => name.endsWith('.seg')).sort().at(-1)!;
    const end = statSync(join(dir, segment)).size;
    frames.push({ segment, start: sizes.get(segment) ?? 0, end });
    sizes.set(segment, end);
  }
  await log.close();
  return { dir, frames };
}

function flipByte(path: string, position: number): Buffer {
  const bytes = readFileSync(path);
  bytes[position] ^= 0xff;
  writeFileSync(path, bytes);
  return bytes;
}

async function recordsIn(dir: string): Promise<StreamRecord[]> {
  const log = await openEmbeddedLog({ dir, logger: silent, readOnly: true });
  try {
    return (await log.read(0, log.endOffset())).map((stored) => stored.record);
  } finally {
    await log.close();
  }
}

const all = (count: number) => Array.from({ length: count }, (_, i) => record(i));

describe('bot-assistant repair', () => {
  it('a flipped byte mid-segment stops startup; repair keeps the segment aside and every record but the damaged one', async () => {
    const { dir, frames } = await logWith(20);
    const segment = join(dir, '00000001.seg');
    const bad = frames[7];
    const damaged = flipByte(segment, bad.start + 20);
    const sizeBefore = damaged.length;

    // Startup (here: opening for writing, as `serve` does) refuses, naming the segment, the offset, what follows and the command.
    const error = await openEmbeddedLog({ dir, logger: silent }).then(
      () => undefined,
      (reason: Error) => reason.message,
    );
    expect(error).toBe(
      `embedded log: segment 1 (${segment}) is damaged at byte offset ${bad.start} (CRC mismatch); ${sizeBefore - bad.start} bytes follow it, ` +
        `holding 12 readable records (${sizeBefore - frames[8].start} bytes) from byte offset ${frames[8].start} on, so this is damage, not a torn write. ` +
        `The log was not opened, so no acknowledged record is deleted. Run \`bot-assistant repair --data-dir ${dir}\` (with the server stopped): ` +
        'it moves the damaged segment aside, keeps every readable record before and after the damage, and reports what was lost.',
    );
    expect(readFileSync(segment).equals(damaged)).toBe(true);
    // `serve` exits 1 with that message, before it listens.
    const served = await cli(['serve', fileURLToPath(new URL('../../state-machines/bot-assistant.json', import.meta.url)), '--port', '0', '--data-dir', dir]);
    expect(served.code).toBe(1);
    expect(served.stderr).toContain(`bot-assistant serve: ${error}`);
    expect(served.stdout).not.toContain('serving');
    // `consume` (a read-only open) refuses too, rather than show a log with a silent hole.
    const consumed = await cli(['consume', '--data-dir', dir]);
    expect(consumed.code).toBe(1);
    expect(consumed.stderr).toContain(`segment 1 (${segment}) is damaged at byte offset ${bad.start}`);

    const dry = await cli(['repair', '--data-dir', dir, '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain(`damaged at byte ${bad.start} (CRC mismatch): ${bad.end - bad.start} bytes up to byte ${bad.end}, where readable records resume`);
    expect(dry.stdout).toContain('would lose');
    expect(readFileSync(segment).equals(damaged)).toBe(true);

    const repaired = await cli(['repair', '--data-dir', dir]);
    expect(repaired.stderr).toBe('');
    expect(repaired.code).toBe(0);
    const keptAt = /the damaged original is kept at (.*)$/m.exec(repaired.stdout)?.[1];
    expect(repaired.stdout).toContain(`segment 1 (${segment}, ${sizeBefore} bytes):`);
    expect(repaired.stdout).toContain(`kept 19 readable records (${sizeBefore - (bad.end - bad.start)} bytes)`);
    expect(repaired.stdout).toContain(`lost ${bad.end - bad.start} bytes: 1 record`);
    expect(repaired.stdout).toContain('The log opens again: 19 records in 3 sessions.');
    // The damaged original is kept byte for byte, inside the data directory.
    expect(keptAt).toMatch(new RegExp(`^${dir}/damaged-[^/]+/00000001\\.seg$`));
    expect(readFileSync(keptAt!).equals(damaged)).toBe(true);
    expect(await recordsIn(dir)).toEqual(all(20).filter((_, i) => i !== 7));

    const again = await cli(['repair', '--data-dir', dir]);
    expect(again).toEqual({ code: 0, stdout: `bot-assistant repair: ${dir}: 1 segment, every record readable; nothing to repair.\n`, stderr: '' });
    // The repaired log opens for writing and appends after the kept records.
    const log = await openEmbeddedLog({ dir, logger: silent });
    expect(await log.append([record(99)])).toEqual([19]);
    await log.close();
  });

  it('damage to a length field in a finished segment: repair keeps the records after it, lost count unknown', async () => {
    const { dir, frames } = await logWith(60, 1024);
    const inFirst = frames.filter((frame) => frame.segment === '00000001.seg');
    const bad = inFirst[2];
    // A length field that now claims more bytes than the segment holds used to look like a torn record.
    flipByte(join(dir, '00000001.seg'), bad.start + 1);
    await expect(openEmbeddedLog({ dir, logger: silent })).rejects.toThrow(/segment 1 .* is damaged at byte offset \d+ \(.*\); .* readable records .*bot-assistant repair --data-dir/);
    const repaired = await cli(['repair', '--data-dir', dir]);
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toContain(`damaged at byte ${bad.start}`);
    expect(repaired.stdout).toMatch(/lost \d+ bytes: at least 1 record/);
    expect(await recordsIn(dir)).toEqual(all(60).filter((_, i) => i !== 2));
  });

  it('a torn tail is cut at startup without repair; repair on a torn tail keeps the torn segment aside', async () => {
    const first = await logWith(10);
    const firstSegment = join(first.dir, '00000001.seg');
    truncateSync(firstSegment, first.frames[9].end - 5);
    const lines: string[] = [];
    const log = await openEmbeddedLog({ dir: first.dir, logger: { info: (message) => lines.push(message), warn: (message) => lines.push(message) } });
    expect(log.endOffset()).toBe(9);
    await log.close();
    expect(lines).toEqual([`embedded log: cut a torn record at segment 1 offset ${first.frames[9].start} (${first.frames[9].end - 5 - first.frames[9].start} bytes): short record`]);

    const second = await logWith(10);
    const segment = join(second.dir, '00000001.seg');
    truncateSync(segment, second.frames[9].end - 5);
    const torn = readFileSync(segment);
    const repaired = await cli(['repair', '--data-dir', second.dir]);
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toContain(`damaged at byte ${second.frames[9].start} (short record): ${torn.length - second.frames[9].start} bytes to the end of the file`);
    expect(repaired.stdout).toContain('The log opens again: 9 records');
    const keptAt = /the damaged original is kept at (.*)$/m.exec(repaired.stdout)![1];
    expect(readFileSync(keptAt).equals(torn)).toBe(true);
    expect(await recordsIn(second.dir)).toEqual(all(9));
  });

  it('refuses while a server holds the log, and explains bad command lines', async () => {
    const { dir } = await logWith(2);
    const log = await openEmbeddedLog({ dir, logger: silent });
    try {
      const locked = await cli(['repair', '--data-dir', dir]);
      expect(locked.code).toBe(1);
      expect(locked.stderr).toBe(`bot-assistant repair: embedded log: ${dir} is already open for writing by another process (pid ${process.pid}). Stop it first, or use another data directory.\n`);
    } finally {
      await log.close();
    }
    const missing = await cli(['repair', '--data-dir', join(root, 'nowhere')]);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: `bot-assistant repair: embedded log: no data directory at ${join(root, 'nowhere')}\n` });
    const usage = await cli(['repair', '--bogus']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^bot-assistant repair: unknown option "--bogus"\n\nUsage: bot-assistant repair/);
    expect(existsSync(join(dir, 'LOCK'))).toBe(false);
  });
});
