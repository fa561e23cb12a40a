import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnServe, whenReady } from '../testing/serveProcess.ts';
import { ARTICLE_FLOW } from '../testing/testServer.ts';
import { WsTestClient } from '../testing/wsTestClient.ts';

describe('bot-assistant serve (the real CLI)', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'bot-cli-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  it('prints one ready line, serves, and exits 0 on SIGTERM after closing sockets', { timeout: 60_000 }, async () => {
    const dir = await tempDir();
    const serve = spawnServe([ARTICLE_FLOW, '--port', '0', '--data-dir', dir]);
    cleanups.push(async () => serve.child.kill('SIGKILL'));
    const url = await whenReady(serve);
    expect(serve.stdout).toContain(`(stream: embedded log at ${dir})`);
    const client = await WsTestClient.connect(url);
    expect(await client.next()).toMatchObject({ kind: 'BotText' });
    serve.child.kill('SIGTERM');
    expect(await client.whenClosed()).toBe(1001);
    expect(await serve.exited).toBe(0);
  });

  it('exits 2 with one clear line on an unknown option, a bad port or a bad role', { timeout: 60_000 }, async () => {
    for (const [args, message] of [
      [[ARTICLE_FLOW, '--bogus'], /unknown option --bogus/],
      [[ARTICLE_FLOW, '--port', 'eighty'], /--port must be a whole number/],
      [[ARTICLE_FLOW, '--port', '70000'], /--port must be between 0 and 65535/],
      [[ARTICLE_FLOW, '--role', 'proxy'], /--role proxy needs --stream fluvio/],
      [[], /missing the flow file/],
    ] as const) {
      const serve = spawnServe([...args]);
      expect(await serve.exited, String(args)).toBe(2);
      expect(serve.stderr.trim().split('\n')).toHaveLength(1);
      expect(serve.stderr).toMatch(message);
    }
  });

  it('prints file:line:col diagnostics and exits 1 on a flow with a missing next target or a loop', { timeout: 60_000 }, async () => {
    const dir = await tempDir();
    const missing = join(dir, 'missing.json');
    await writeFile(missing, JSON.stringify({ hello: { sendRequest: { kind: 'BotText', content: 'Hi' }, next: 'nowhere' } }, null, 4));
    const loop = join(dir, 'loop.json');
    await writeFile(loop, JSON.stringify({ a: { next: 'b' }, b: { next: 'a' } }, null, 4));
    for (const file of [missing, loop]) {
      const serve = spawnServe([file, '--port', '0', '--data-dir', join(dir, 'data')]);
      expect(await serve.exited).toBe(1);
      expect(serve.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+ error \\S+ `, 'm'));
      expect(serve.stdout).not.toContain('serving');
    }
  });
});
