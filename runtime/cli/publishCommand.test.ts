/**
 * `serve --watch --publish-token-file` and `bot-assistant publish`, as real processes: a broken
 * file is refused and the running version keeps serving; the CLI publishes, checks, lists, rolls
 * back, and exits non-zero with the server's reason when refused.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServe, whenReady, type ServeProcess } from '../testing/serveProcess.ts';
import { ARTICLE_FLOW } from '../testing/testServer.ts';
import { WsTestClient } from '../testing/wsTestClient.ts';

const CLI = fileURLToPath(new URL('../bot-assistant.mjs', import.meta.url));
const TOKEN = 'cli-publish-token-0123456789abcdef';

let dir: string;
let flowFile: string;
let tokenFile: string;
let serve: ServeProcess;
let url: string;

function publishCli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'publish', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function firstBotText(): Promise<unknown> {
  const client = await WsTestClient.connect(url);
  const frame = await client.next(10_000);
  await client.close();
  return frame;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; serve said: ${serve.stdout} ${serve.stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'publish-cli-'));
  flowFile = path.join(dir, 'bot.json');
  tokenFile = path.join(dir, 'token');
  await copyFile(ARTICLE_FLOW, flowFile);
  await writeFile(tokenFile, `${TOKEN}\n`);
  serve = spawnServe([flowFile, '--port', '0', '--data-dir', path.join(dir, 'data'), '--watch', '--publish-token-file', tokenFile]);
  url = await whenReady(serve);
});

afterAll(async () => {
  serve.child.kill('SIGTERM');
  await serve.exited;
  await rm(dir, { recursive: true, force: true });
});

describe('serve --watch and bot-assistant publish', { timeout: 120_000 }, () => {
  it('refuses a broken file on --watch, keeps the running version, and takes the file once fixed', async () => {
    const original = await readFile(flowFile, 'utf8');
    await writeFile(flowFile, original.replace('"next": "langChoices"', '"next": "nowhere"'));
    await until(async () => serve.stderr.includes('refused'), 'the refusal');
    expect(serve.stderr).toMatch(/next-missing/);
    expect(await firstBotText()).toEqual({ kind: 'BotText', content: "Hi, I'm Bot! Nice to meet you." });

    await writeFile(flowFile, original.replace("Hi, I'm Bot!", 'Hello, I am Bot!'));
    await until(async () => JSON.stringify(await firstBotText()).includes('Hello, I am Bot!'), 'the fixed version');
  });

  it('publishes with the CLI, says what a check would change, lists versions, and rolls back', async () => {
    const draft = path.join(dir, 'draft.json');
    await writeFile(draft, (await readFile(ARTICLE_FLOW, 'utf8')).replace("Hi, I'm Bot! Nice to meet you.", 'Welcome back!'));
    // one recorded conversation on the running version (a session is recorded from its first answer)
    const visitor = await WsTestClient.connect(url);
    await visitor.take(2, 10_000);
    visitor.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    await visitor.next(10_000);
    await visitor.close();
    const check = await publishCli(draft, '--check', '--server', url, '--token-file', tokenFile);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('Changed the message “Hello, I am Bot! Nice to meet you.” to the message “Welcome back!”.');
    // the server replayed its own recorded conversation through the draft
    expect(check.stdout).toMatch(/^The one recorded conversation on the running version [0-9a-f]{8} would go the same way\.$/m);

    const published = await publishCli(draft, '--server', url, '--token-file', tokenFile, '--as', 'ana');
    expect(published.stdout).toMatch(/^published version [0-9a-f]{16}/m);
    expect(published.code).toBe(0);
    expect(await firstBotText()).toEqual({ kind: 'BotText', content: 'Welcome back!' });
    // the flow file now holds the published version, so a restart runs it
    expect(await readFile(flowFile, 'utf8')).toContain('Welcome back!');

    const list = await publishCli('--list', '--server', url, '--token-file', tokenFile);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^\* [0-9a-f]{16} .* by ana/);
    const earlier = /^ {2}([0-9a-f]{16}) .* by the flow file, reloaded/m.exec(list.stdout)?.[1];
    expect(earlier).toBeDefined();

    const rollback = await publishCli('--rollback', earlier!, '--server', url, '--token-file', tokenFile);
    expect(rollback.code).toBe(0);
    expect(await firstBotText()).toEqual({ kind: 'BotText', content: 'Hello, I am Bot! Nice to meet you.' });
  });

  it('exits 1 with the reason when refused, and 2 on a usage error', async () => {
    const broken = path.join(dir, 'broken.json');
    await writeFile(broken, '{ "a": { "next": "b" } }');
    const refused = await publishCli(broken, '--server', url, '--token-file', tokenFile);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refused: 422 the flow has 2 errors; the running version stays/);
    expect(refused.stderr).toMatch(/broken\.json:1:\d+ error next-missing/);

    const wrongToken = path.join(dir, 'wrong-token');
    await writeFile(wrongToken, 'not-the-servers-token-at-all');
    const unauthorized = await publishCli(broken, '--server', url, '--token-file', wrongToken);
    expect(unauthorized).toMatchObject({ code: 1, stderr: expect.stringMatching(/401 wrong publish token/) });

    const plainHttp = await publishCli(broken, '--server', 'http://bots.example.com/', '--token-file', tokenFile);
    expect(plainHttp).toMatchObject({ code: 1, stderr: expect.stringMatching(/plain http is allowed only to this machine/) });

    expect((await publishCli(broken, '--token-file', tokenFile)).code).toBe(2);
  });
});
