/**
 * The studio's publish endpoints end to end: the studio host API (as the page calls it) → the
 * host's signed client → a real runtime's publish API. The page names a token file; the token
 * itself never appears in an answer.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFlow } from '../../flow/parseFlow.ts';
import { serializeFlow } from '../../flow/serializeFlow.ts';
import { flowOf } from '../../testing/testFlows.ts';
import { createStudioPublishing } from '../publish/studioPublishing.ts';
import { createStudioHost } from '../studioHost.ts';
import { startTestServer, type TestServer } from '../../testing/testServer.ts';

const STUDIO_TOKEN = 'studio-token-0123456789abcdef';
const PUBLISH_TOKEN = 'publish-token-0123456789abcdef-secret';
const flow = (greeting: string) => serializeFlow(flowOf({ hello: { sendRequest: { kind: 'BotText', content: greeting } } }));
const V1 = flow('Hi there');
const V2 = flow('Welcome back');

let root: string;
let bots: TestServer;
let studio: http.Server;
let port: number;
let target: { serverUrl: string; tokenFile: string };

async function call(method: string, endpoint: string, body?: unknown): Promise<{ status: number; json: any; raw: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/studio/api/${endpoint}`, {
    method,
    headers: { Host: `127.0.0.1:${port}`, 'X-Studio-Token': STUDIO_TOKEN, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const raw = await response.text();
  expect(raw).not.toContain(PUBLISH_TOKEN);
  return { status: response.status, json: JSON.parse(raw), raw };
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'studio-publish-'));
  await mkdir(path.join(root, 'workspace'));
  await writeFile(path.join(root, 'token'), `${PUBLISH_TOKEN}\n`);
  bots = await startTestServer({ flow: parseFlow(V1).flow!, publishing: { dir: path.join(root, 'versions'), token: PUBLISH_TOKEN, flowText: V1 } }, path.join(root, 'data'));
  target = { serverUrl: bots.url, tokenFile: path.join(root, 'token') };
  const publishing = createStudioPublishing({ publisher: 'ada (studio)', targetsFile: path.join(root, 'studio-data', 'publish-targets.json') });
  const host = createStudioHost({ workspace: path.join(root, 'workspace'), staticDir: root, token: STUDIO_TOKEN, publishing });
  studio = http.createServer((req, res) => void host.handle(req, res));
  await new Promise<void>((resolve) => studio.listen(0, '127.0.0.1', resolve));
  port = (studio.address() as AddressInfo).port;
});

afterEach(async () => {
  await new Promise((resolve) => studio.close(resolve));
  await bots.stop();
  await rm(root, { recursive: true, force: true });
});

describe('publish endpoints of the studio host API', () => {
  it('checks, publishes, lists, reads and rolls back through the host, remembering the target', async () => {
    expect((await call('GET', 'publish/targets')).json).toEqual({ targets: [] });

    const check = await call('POST', 'publish/check', { target, flowText: V2 });
    expect(check.status).toBe(200);
    expect(check.json).toMatchObject({ ok: true, liveOnOlder: 0 });
    // the server's own recorded conversations replayed through the draft (it has none on its version yet)
    expect(check.json.routing).toMatchObject({ version: expect.stringMatching(/^[0-9a-f]{16}$/), recorded: 0, checked: 0, limit: 1000, changed: 0 });
    expect(check.json.changes.map((c: { text: string }) => c.text).join(' ')).toContain('Welcome back');

    const before = (await call('POST', 'publish/status', { target })).json;
    const published = await call('POST', 'publish', { target, flowText: V2 });
    expect(published.json).toMatchObject({ changed: true });
    const status = (await call('POST', 'publish/status', { target })).json;
    expect(status.current).toBe(published.json.hash);
    expect(status.versions[0]).toMatchObject({ hash: published.json.hash, by: 'ada (studio)', liveSessions: 0 });

    const text = (await call('POST', 'publish/version', { target, hash: before.current })).json.text;
    expect(parseFlow(text).flow).toEqual(parseFlow(V1).flow);

    const rolledBack = await call('POST', 'publish/rollback', { target, hash: before.current });
    expect(rolledBack.json).toMatchObject({ hash: before.current, changed: true });
    expect((await call('POST', 'publish/status', { target })).json.current).toBe(before.current);

    expect((await call('GET', 'publish/targets')).json).toEqual({ targets: [target] });
    expect(JSON.parse(await readFile(path.join(root, 'studio-data', 'publish-targets.json'), 'utf8'))).toEqual([target]);
    // The next launch of the studio remembers it too.
    expect(await createStudioPublishing({ targetsFile: path.join(root, 'studio-data', 'publish-targets.json') }).publishTargets()).toEqual([target]);
  });

  it('refuses a draft with errors with its diagnostics, and the server keeps its version', async () => {
    const broken = '{"hello": {"sendRequest": {"kind": "BotText", "content": "Hi"}, "next": "nowhere"}}';
    const check = (await call('POST', 'publish/check', { target, flowText: broken })).json;
    expect(check.ok).toBe(false);
    expect(check.routing).toBeUndefined();
    expect(check.diagnostics.some((d: { severity: string }) => d.severity === 'error')).toBe(true);
    const current = (await call('POST', 'publish/status', { target })).json.current;
    const refused = await call('POST', 'publish', { target, flowText: broken });
    expect(refused.status).toBe(502);
    expect(refused.json.error).toMatch(/refused: 422 the flow has 1 error; the running version stays: .*nowhere/);
    expect((await call('POST', 'publish/status', { target })).json.current).toBe(current);
  });

  it('says what is wrong with the target, the token file or the token', async () => {
    expect((await call('POST', 'publish/status', {})).json.error).toMatch(/"target" must be \{ serverUrl, tokenFile \}/);
    expect((await call('POST', 'publish/status', { target: { ...target, serverUrl: 'http://bots.example.com/' } })).json.error).toMatch(/plain http is allowed only to this machine/);
    const missing = await call('POST', 'publish/status', { target: { ...target, tokenFile: path.join(root, 'missing') } });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toMatch(/cannot read the publish token file .*missing/);
    // Relative to the studio's launch directory would be a guess the author can't see.
    const relative = await call('POST', 'publish/status', { target: { ...target, tokenFile: 'token' } });
    expect(relative.status).toBe(400);
    expect(relative.json.error).toMatch(/the token file "token" is not a full path: give the whole path \(e\.g\. \/.*publish\.token, or ~\/publish\.token\)/);
    await writeFile(path.join(root, 'wrong'), 'another-token-0123456789abcdef');
    const wrong = await call('POST', 'publish/status', { target: { ...target, tokenFile: path.join(root, 'wrong') } });
    expect(wrong.status).toBe(502);
    expect(wrong.json.error).toMatch(/refused: 401 wrong publish token/);
    const badHash = await call('POST', 'publish/rollback', { target, hash: 'nope' });
    expect(badHash.status).toBe(400);
    expect(badHash.json.error).toMatch(/not a version hash/);
    expect((await call('POST', 'publish/check', { target })).json.error).toMatch(/"flowText" must be/);
    expect((await call('GET', 'publish/targets')).json).toEqual({ targets: [] });
  });

  it('reads a token file under ~/ from the home directory, and remembers it as typed', async () => {
    const home = process.env.HOME;
    process.env.HOME = root; // os.homedir() reads it
    try {
      expect((await call('POST', 'publish/status', { target: { ...target, tokenFile: '~/token' } })).status).toBe(200);
    } finally {
      process.env.HOME = home;
    }
    expect((await call('GET', 'publish/targets')).json).toEqual({ targets: [{ ...target, tokenFile: '~/token' }] });
  });
});
