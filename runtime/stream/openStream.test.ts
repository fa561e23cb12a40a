import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { EmbeddedLog } from './EmbeddedLog.ts';
import { openStream, type StreamKind } from './openStream.ts';

const logger = { info: () => {}, warn: () => {} };

it('opens the embedded log in the data directory', async () => {
  const root = mkdtempSync(join(tmpdir(), 'open-stream-'));
  try {
    const stream = await openStream({ kind: 'embedded', dataDir: join(root, 'data'), logger });
    expect(stream).toBeInstanceOf(EmbeddedLog);
    expect((stream as EmbeddedLog).dir).toBe(join(root, 'data'));
    expect(await stream.append([{ sid: 'a', timestamp: '2021-01-05T17:58:46.511' }])).toEqual([0]);
    await stream.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

it('rejects an unknown kind and reports an unreachable Fluvio cluster in one line', async () => {
  await expect(openStream({ kind: 'kafka' as StreamKind, logger })).rejects.toThrow('unknown stream kind "kafka": use "embedded" or "fluvio"');
  await expect(openStream({ kind: 'fluvio', endpoint: '127.0.0.1:1', logger })).rejects.toThrow('fluvio: cannot connect to 127.0.0.1:1: connection refused. Start a cluster or set FLUVIO_ENDPOINT / a fluvio profile.');
});
