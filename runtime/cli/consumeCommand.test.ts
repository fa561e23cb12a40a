import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedLog } from '../stream/EmbeddedLog.ts';
import type { StreamRecord } from '../stream/messageStream.ts';

const bin = fileURLToPath(new URL('../bot-assistant.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'consume-test-'));
const dataDir = join(root, 'data');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const silent = { info: () => {}, warn: () => {} };

function consume(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'consume', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const records: StreamRecord[] = [
  { sid: 'alice', timestamp: '2021-01-05T17:58:46.511' },
  { sid: 'alice', payload: { kind: 'Request', message: { kind: 'BotText', content: "Hi, I'm Bot Assistant" } }, timestamp: '2021-01-05T17:58:46.520' },
  { sid: 'bob', timestamp: '2021-01-05T17:58:47.000' },
  { sid: 'alice', payload: { kind: 'Response', message: { kind: 'ChoiceResponse', groupId: 'options', itemId: 'faq' } }, timestamp: '2021-01-05T17:58:50.101', channel: 'web' },
  { sid: 'bob', payload: { kind: 'Request', message: { kind: 'BotText', content: 'Hello <b>bob</b> "quoted"' } }, timestamp: '2021-01-05T17:58:51.000' },
];
const lines = (list: StreamRecord[]) => list.map((record) => `${JSON.stringify(record)}\n`).join('');

beforeAll(async () => {
  const log = await openEmbeddedLog({ dir: dataDir, logger: silent });
  await log.append(records);
  await log.close();
});

describe('bot-assistant consume', () => {
  it('prints every record as its JSON text, one per line', async () => {
    const result = await consume(['--data-dir', dataDir]);
    expect(result).toEqual({ code: 0, stdout: lines(records), stderr: '' });
  });

  it('prints the last N with --offset -N, from an offset with --offset N, and one session with --sid', async () => {
    expect((await consume(['--data-dir', dataDir, '--offset', '-2'])).stdout).toBe(lines(records.slice(3)));
    expect((await consume(['--data-dir', dataDir, '--offset', '3'])).stdout).toBe(lines(records.slice(3)));
    expect((await consume(['--data-dir', dataDir, '--sid', 'alice'])).stdout).toBe(lines([records[0], records[1], records[3]]));
    expect((await consume(['--data-dir', dataDir, '--sid', 'alice', '--offset', '-1'])).stdout).toBe(lines([records[3]]));
  });

  it('says clearly when the data directory is missing or the session unknown', async () => {
    const missing = join(root, 'nothing-here');
    const result = await consume(['--data-dir', missing]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`bot-assistant consume: embedded log: no data directory at ${missing} (start \`bot-assistant serve\` first, or pass --data-dir DIR)\n`);
    const unknown = await consume(['--data-dir', dataDir, '--sid', 'carol']);
    expect(unknown).toEqual({ code: 1, stdout: '', stderr: `bot-assistant consume: no records for session "carol" in ${dataDir}\n` });
  });

  it('rejects bad options with the usage', async () => {
    const result = await consume(['--data-dir', dataDir, '--offset', 'last']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^bot-assistant consume: --offset must be an integer \(-N for the last N records\), got "last"\n\nUsage: bot-assistant consume/);
  });

  it('follows a log a server is writing (without taking its lock), filtered by --sid', async () => {
    const dir = join(root, 'live');
    const writer = await openEmbeddedLog({ dir, logger: silent, segmentBytes: 1024 });
    const child = spawn(process.execPath, [bin, 'consume', '--data-dir', dir, '--follow', '--sid', 'alice'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const waitForLines = async (count: number) => {
        const deadline = Date.now() + 15_000;
        while (stdout.split('\n').length - 1 < count) {
          if (Date.now() > deadline || child.exitCode !== null) throw new Error(`consume printed ${JSON.stringify(stdout)}; stderr ${JSON.stringify(stderr)}`);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      };
      await writer.append(records.slice(0, 3));
      await waitForLines(2);
      expect(stdout).toBe(lines([records[0], records[1]]));
      const more: StreamRecord[] = [];
      for (let i = 0; i < 30; i++) more.push({ sid: i % 2 ? 'alice' : 'bob', payload: { kind: 'Request', message: { kind: 'BotText', content: `turn ${i}` } }, timestamp: '2021-01-05T18:00:00.000' });
      for (const record of more) await writer.append([record]);
      await waitForLines(17);
      expect(stdout).toBe(lines([records[0], records[1], ...more.filter((record) => record.sid === 'alice')]));
      expect(stderr).toBe('');
    } finally {
      child.kill('SIGKILL');
      await writer.close();
    }
  });
});
