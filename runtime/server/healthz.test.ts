// Issue 10 item 8: /healthz tells the truth. A real server, a real client, and a disk that fills up:
// a real 64 kB tmpfs where this process may mount one, and failures injected at the log's file-system port.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedLog, type EmbeddedLog } from '../stream/EmbeddedLog.ts';
import type { LogFile, LogFileSystem } from '../stream/logFileSystem.ts';
import { collectingLogger, startTestServer, type TestServer } from '../testing/testServer.ts';
import { WsTestClient } from '../testing/wsTestClient.ts';
import { fillFileSystem } from '../testing/fillFileSystem.ts';

const root = mkdtempSync(join(tmpdir(), 'healthz-test-'));
const mountPoint = join(root, 'tmpfs');
mkdirSync(mountPoint);
let mountRefused: string | undefined;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { stdio: 'pipe' });
} catch (error) {
  mountRefused = `mount -t tmpfs was refused (${((error as { stderr?: Buffer }).stderr?.toString() || (error as Error).message).trim()})`;
  console.log(`/healthz test on a real full disk skipped: ${mountRefused}`);
}
afterAll(() => {
  if (!mountRefused) execFileSync('umount', [mountPoint]);
  rmSync(root, { recursive: true, force: true });
});

async function health(url: string): Promise<{ status: number; body: { status: string; reason?: string; since?: string } }> {
  const response = await fetch(`${url}healthz`);
  return { status: response.status, body: (await response.json()) as { status: string; reason?: string; since?: string } };
}

/** Polls /healthz until it answers `status` (the write probe runs at most once a second). */
async function healthBecomes(url: string, status: number): Promise<{ status: number; body: { status: string; reason?: string } }> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const answer = await health(url);
    if (answer.status === status || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const rust = { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' };

describe('/healthz', () => {
  let t: TestServer | undefined;
  let log: EmbeddedLog | undefined;
  afterEach(async () => {
    await t?.stop();
    await log?.close();
    t = undefined;
    log = undefined;
  });

  it.skipIf(Boolean(mountRefused))(`is 503 with the reason while the disk is full (a real 64 kB tmpfs), 200 once space is back${mountRefused ? ` [skipped: ${mountRefused}]` : ''}`, async () => {
    const dataDir = join(mountPoint, 'data');
    t = await startTestServer({ logger: collectingLogger() }, dataDir);
    expect(await health(t.url)).toEqual({ status: 200, body: { status: 'ok' } });

    const filler = join(mountPoint, 'filler');
    expect(fillFileSystem(filler).code).toBe('ENOSPC');
    // The segment's last page still takes a few records; new conversations fill it (a conversation is
    // recorded from its first answer), then one is refused.
    let refused = false;
    for (let i = 0; i < 40 && !refused; i++) {
      const visitor = await WsTestClient.connect(t.url);
      await visitor.take(2);
      visitor.send(rust);
      const answer = (await visitor.next()) as { kind: string; code?: string };
      refused = answer.kind === 'Error' && answer.code === 'stream-unavailable';
      await visitor.close();
    }
    expect(refused).toBe(true);
    const failing = await health(t.url);
    expect(failing.status).toBe(503);
    expect(failing.body).toMatchObject({ status: 'failing', reason: `embedded log: cannot write to ${join(dataDir, '00000001.seg')}: no space left on device (ENOSPC)` });
    expect(Date.parse(failing.body.since!)).not.toBeNaN();
    // Still failing a second later: the probe finds the disk still full.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await health(t.url)).status).toBe(503);

    unlinkSync(filler);
    expect(await healthBecomes(t.url, 200)).toEqual({ status: 200, body: { status: 'ok' } });
    const client = await WsTestClient.connect(t.url);
    expect(await client.take(2)).toMatchObject([{ kind: 'BotText' }, { kind: 'ChoiceRequest' }]);
    client.send(rust);
    expect(await client.next()).toMatchObject({ kind: 'ChoiceRequest', groupId: 'others' });
    await client.close();
  });

  it('is 503 while appends fail (EIO injected at the file-system port) and 200 after the next successful append', async () => {
    const fs = failingFs();
    log = await openEmbeddedLog({ dir: join(root, 'injected'), fs, logger: collectingLogger() });
    t = await startTestServer({ stream: log, logger: collectingLogger() });
    const client = await WsTestClient.connect(t.url);
    await client.take(2);

    fs.failing = 'EIO';
    client.send(rust);
    expect(await client.next()).toMatchObject({ kind: 'Error', code: 'stream-unavailable' });
    const failing = await health(t.url);
    expect(failing.status).toBe(503);
    expect(failing.body.reason).toMatch(/^embedded log: cannot write to .*00000001\.seg: input\/output error \(EIO\)$/);
    // A new visitor is greeted (nothing is recorded before a first answer) but cannot answer either;
    // health stays 503 and keeps the first failure's time.
    const newcomer = await WsTestClient.connect(t.url);
    expect(await newcomer.take(2)).toMatchObject([{ kind: 'BotText' }, { kind: 'ChoiceRequest' }]);
    newcomer.send(rust);
    expect(await newcomer.next()).toMatchObject({ kind: 'Error', code: 'stream-unavailable' });
    await newcomer.close();
    expect((await health(t.url)).body.since).toBe(failing.body.since);

    fs.failing = undefined;
    client.send(rust);
    expect(await client.next()).toMatchObject({ kind: 'ChoiceRequest', groupId: 'others' });
    expect(await health(t.url)).toEqual({ status: 200, body: { status: 'ok' } });
    await client.close();
  });
});

/** The real file system, with every write and fdatasync failing with `failing` while it is set. */
function failingFs(): LogFileSystem & { failing?: string } {
  const port: LogFileSystem & { failing?: string } = {
    ...fsp,
    open: async (path, flags) => {
      const file = await fsp.open(path, flags);
      const fail = () => Object.assign(new Error(`${port.failing}: simulated`), { code: port.failing });
      const wrapped: LogFile = {
        read: (buffer, offset, length, position) => file.read(buffer, offset, length, position),
        write: async (buffer, offset, length, position) => {
          if (port.failing) throw fail();
          return file.write(buffer, offset, length, position);
        },
        datasync: async () => {
          if (port.failing) throw fail();
          return file.datasync();
        },
        sync: () => file.sync(),
        truncate: (length) => file.truncate(length),
        stat: () => file.stat(),
        close: () => file.close(),
      };
      return wrapped;
    },
  };
  return port;
}
