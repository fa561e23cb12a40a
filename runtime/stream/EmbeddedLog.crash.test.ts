import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { openEmbeddedLog } from './EmbeddedLog.ts';
import { crashRecord } from '../testing/crashRecord.ts';
import type { StreamLogger } from './messageStream.ts';

const fixture = fileURLToPath(new URL('../testing/appendUntilKilled.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'embedded-log-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Ack {
  offset: number;
  sid: string;
  seq: number;
}

/** Runs the appender until it has acknowledged at least `minAcks` records (plus a random moment more), then SIGKILLs it. */
async function runAndKill(dir: string, round: number, minAcks: number): Promise<{ acks: Ack[]; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir, String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let killTimer: ReturnType<typeof setTimeout> | undefined;
    const giveUp = setTimeout(() => reject(new Error(`the appender acknowledged too little in 20 s; stderr: ${stderr}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!killTimer && stdout.split('\n').length > minAcks) {
        killTimer = setTimeout(() => {
          clearTimeout(giveUp);
          child.kill('SIGKILL');
          resolve();
        }, Math.random() * 300);
      }
    });
    child.on('exit', () => {
      if (!killTimer) reject(new Error(`the appender exited on its own; stderr: ${stderr}`));
    });
  });
  await exited;
  // A line cut by the kill is ignored: only whole lines were acknowledged and printed.
  const acks = stdout
    .split('\n')
    .slice(0, -1)
    .filter((line) => line.startsWith('ack '))
    .map((line) => {
      const [, offset, sid, seq] = line.split(' ');
      return { offset: Number(offset), sid, seq: Number(seq) };
    });
  return { acks, stderr };
}

it('loses no acknowledged record when the writer is killed with SIGKILL at random moments', async () => {
  const dir = join(root, 'log');
  const acknowledged: Ack[] = [];
  const cuts: string[] = [];
  for (let round = 0; round < 5; round++) {
    const { acks } = await runAndKill(dir, round, 200 + Math.floor(Math.random() * 2000));
    expect(acks.length).toBeGreaterThan(200);
    acknowledged.push(...acks);
    const logger: StreamLogger = { info: () => {}, warn: (message) => cuts.push(message) };
    const log = await openEmbeddedLog({ dir, logger });
    try {
      for (const ack of acknowledged) {
        expect(ack.offset).toBeLessThan(log.endOffset());
        const [stored] = await log.read(ack.offset, 1);
        expect(stored.record).toEqual(crashRecord(ack.sid, ack.seq));
      }
      // Each session's records are in order with no gap up to its last acknowledged one.
      const sessions = new Map<string, number>();
      for (const ack of acks) sessions.set(ack.sid, Math.max(sessions.get(ack.sid) ?? -1, ack.seq));
      for (const [sid, lastSeq] of sessions) {
        const seqs: number[] = [];
        for await (const chunk of log.readSession(sid)) seqs.push(...chunk.map((stored) => stored.record.seq as number));
        expect(seqs.slice(0, lastSeq + 1)).toEqual(Array.from({ length: lastSeq + 1 }, (_, i) => i));
      }
    } finally {
      await log.close();
    }
  }
  for (const cut of cuts) expect(cut).toMatch(/^embedded log: cut a torn record at segment \d+ offset \d+ \(\d+ bytes\)/);
  console.log(`crash test: ${acknowledged.length} acknowledged records over 5 kills all intact; torn tails cut: ${cuts.length}`);
}, 120_000);
