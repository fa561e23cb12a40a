/**
 * The web-mode host API through the real studio server and real Chromium: what the studio page
 * may do (read, save byte for byte, create, rename, delete) and what nobody else may do
 * (paths outside the workspace, no or wrong token, another Host, another origin).
 */
import { readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startStudioServer, type StudioServer } from './support/studioServer.ts';

const SAMPLE = 'state-machines/bot-assistant.json';

// evil.test resolves to this machine, as it would for a DNS-rebinding attacker's page.
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--host-resolver-rules=MAP evil.test 127.0.0.1',
    ],
  },
});

let server: StudioServer;
let port: number;

test.beforeEach(async () => {
  server = await startStudioServer({ flows: [SAMPLE], files: { 'second.json': '{}' } });
  port = server.studio.runtime.port;
});

test.afterEach(async () => {
  await server.close();
});

interface ApiReply {
  status: number;
  body: any;
}

/** Calls the host API from inside the studio page, the way the web host does (token from the page). */
async function callFromPage(page: Page, method: string, apiPath: string, body?: unknown, token?: string): Promise<ApiReply> {
  return page.evaluate(
    async ({ method, apiPath, body, token }) => {
      const pageToken = document.querySelector<HTMLMetaElement>('meta[name="studio-token"]')!.content;
      const headers: Record<string, string> = { 'X-Studio-Token': token ?? pageToken };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const response = await fetch(`/studio/api/${apiPath}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: response.status, body: await response.json() };
    },
    { method, apiPath, body, token },
  );
}

/** A raw request from Node, with full control over Host, Origin and token. */
function rawRequest(method: string, urlPath: string, headers: Record<string, string>, body?: string): Promise<ApiReply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function pageToken(page: Page): Promise<string> {
  return (await page.locator('meta[name="studio-token"]').getAttribute('content'))!;
}

test('the studio page carries a per-launch token and a strict CSP, not in its URL', async ({ page }) => {
  const response = await page.goto(server.url);
  expect(response!.status()).toBe(200);
  expect(page.url()).not.toContain('token');
  expect(await pageToken(page)).toMatch(/^[0-9a-f]{64}$/);
  const csp = response!.headers()['content-security-policy'];
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  const listed = await callFromPage(page, 'GET', 'flows');
  expect(listed.status).toBe(200);
  expect(listed.body.flows.map((f: { ref: string }) => f.ref)).toEqual(['bot-assistant.json', 'second.json']);
});

test('anonymous visitors get neither the page nor the token; the printed address signs in once (issue 10 item 5)', async ({ page, context }) => {
  const anonymous = await page.goto(`http://127.0.0.1:${port}/studio/`);
  expect(anonymous!.status()).toBe(401);
  expect(await page.content()).toContain('open the address `npm run studio` (or `npm start`) printed');
  expect(await page.locator('meta[name="studio-token"]').count()).toBe(0);
  const anonymousPreview = await page.goto(`http://127.0.0.1:${port}/preview/`);
  expect(anonymousPreview!.status()).toBe(401);

  expect(server.url).toMatch(/\/studio\/\?token=[0-9a-f]{64}$/);
  const signedIn = await page.goto(server.url);
  expect(signedIn!.status()).toBe(200);
  expect(page.url()).toBe(`http://127.0.0.1:${port}/studio/`);
  const [cookie] = await context.cookies();
  expect(cookie).toMatchObject({ name: `studio-access-${port}`, httpOnly: true, sameSite: 'Strict', path: '/' });
  expect(await page.evaluate(() => document.cookie)).toBe('');
  // Signed in, the studio's own pages and previews open without the token in the address.
  expect((await page.goto(`http://127.0.0.1:${port}/preview/`))!.status()).toBe(200);
  // A page on a rebinding name gets no preview, cookie or not (issue 10 item 6).
  expect((await page.goto(`http://evil.test:${port}/preview/`))!.status()).toBe(403);
});

test('save writes exactly the text and the layout sidecar; open reads them back', async ({ page }) => {
  await page.goto(server.url);
  const text = '{\r\n\t"héllo": {"sendRequest": {"kind": "BotText", "content": "<b>ünïcode</b> 👋"}}}';
  const layout = { positions: { 'héllo': { x: 12, y: 34.5 } }, viewport: { x: -5, y: 6, zoom: 0.75 } };
  const saved = await callFromPage(page, 'PUT', 'flow', { ref: 'bot-assistant.json', text, layout, baseVersion: null });
  expect(saved).toEqual({ status: 200, body: { ok: true, version: expect.stringMatching(/^[0-9a-f]{32}$/) } });
  expect(await readFile(path.join(server.workspace, 'bot-assistant.json'), 'utf8')).toBe(text);
  expect(JSON.parse(await readFile(path.join(server.workspace, 'bot-assistant.layout.json'), 'utf8'))).toEqual(layout);
  const opened = await callFromPage(page, 'GET', 'flow?ref=bot-assistant.json');
  expect(opened.body).toEqual({ ref: 'bot-assistant.json', displayName: 'bot-assistant.json', text, layout, version: saved.body.version });
  expect((await readdir(server.workspace)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
});

test('create, rename and delete move the flow and its sidecar, never over an existing file', async ({ page }) => {
  await page.goto(server.url);
  const created = await callFromPage(page, 'POST', 'flows', { name: 'new.json', text: '{"start": {}}\n' });
  expect(created).toEqual({ status: 201, body: { ref: 'new.json' } });
  expect(await readFile(path.join(server.workspace, 'new.json'), 'utf8')).toBe('{"start": {}}\n');
  const duplicate = await callFromPage(page, 'POST', 'flows', { name: 'second.json', text: 'x' });
  expect(duplicate.status).toBe(409);
  expect(duplicate.body.error).toContain('"second.json" already exists');

  await callFromPage(page, 'PUT', 'flow', { ref: 'new.json', text: '{"start": {}}\n', layout: { positions: { start: { x: 1, y: 1 } } }, baseVersion: null });
  const renamed = await callFromPage(page, 'POST', 'flow/rename', { ref: 'new.json', newName: 'renamed.json' });
  expect(renamed).toEqual({ status: 200, body: { ref: 'renamed.json' } });
  let names = (await readdir(server.workspace)).filter((n) => !n.startsWith('.')).sort();
  expect(names).toEqual(['bot-assistant.json', 'renamed.json', 'renamed.layout.json', 'second.json']);
  const clash = await callFromPage(page, 'POST', 'flow/rename', { ref: 'renamed.json', newName: 'second.json' });
  expect(clash.status).toBe(409);
  expect(await readFile(path.join(server.workspace, 'second.json'), 'utf8')).toBe('{}');

  const deleted = await callFromPage(page, 'DELETE', 'flow?ref=renamed.json');
  expect(deleted).toEqual({ status: 200, body: { ok: true } });
  names = (await readdir(server.workspace)).filter((n) => !n.startsWith('.')).sort();
  expect(names).toEqual(['bot-assistant.json', 'second.json']);
});

test('paths outside the workspace are refused: ../, absolute, encoded, symlinks out', async ({ page }) => {
  const outsideFile = path.join(path.dirname(server.workspace), 'outside.json');
  await writeFile(outsideFile, '{"secret": 1}');
  await symlink(outsideFile, path.join(server.workspace, 'link.json'));
  await symlink(path.dirname(server.workspace), path.join(server.workspace, 'up'));
  await page.goto(server.url);

  const attempts: ApiReply[] = [
    await callFromPage(page, 'GET', `flow?ref=${encodeURIComponent('../outside.json')}`),
    await callFromPage(page, 'GET', `flow?ref=${encodeURIComponent(outsideFile)}`),
    await callFromPage(page, 'GET', 'flow?ref=%2e%2e%2foutside.json'),
    await callFromPage(page, 'GET', 'flow?ref=link.json'),
    await callFromPage(page, 'GET', 'flow?ref=up%2Foutside.json'),
    await callFromPage(page, 'PUT', 'flow', { ref: '../outside.json', text: 'owned', layout: null, baseVersion: null }),
    await callFromPage(page, 'PUT', 'flow', { ref: 'link.json', text: 'owned', layout: null, baseVersion: null }),
    await callFromPage(page, 'POST', 'flows', { name: 'up/planted.json', text: 'owned' }),
    await callFromPage(page, 'POST', 'flow/rename', { ref: 'second.json', newName: '../moved.json' }),
    await callFromPage(page, 'DELETE', `flow?ref=${encodeURIComponent('../outside.json')}`),
  ];
  for (const reply of attempts) {
    expect(reply.status).toBe(403);
    expect(reply.body.error).toContain('path is outside the workspace');
  }
  const nul = await callFromPage(page, 'GET', 'flow?ref=second.json%00.txt');
  expect(nul.status).toBe(400);
  expect(nul.body.error).toContain('NUL byte');
  const notJson = await callFromPage(page, 'GET', `flow?ref=${encodeURIComponent('../../etc/passwd')}`);
  expect(notJson.status).toBe(403);

  expect(await readFile(outsideFile, 'utf8')).toBe('{"secret": 1}');
  expect((await readdir(path.dirname(server.workspace))).sort()).toEqual(['data', 'outside.json', 'workspace']);
  expect(await readFile(path.join(server.workspace, 'second.json'), 'utf8')).toBe('{}');
});

test('a missing or wrong token is refused', async ({ page }) => {
  await page.goto(server.url);
  const wrong = await callFromPage(page, 'GET', 'flows', undefined, 'f'.repeat(64));
  expect(wrong.status).toBe(403);
  expect(wrong.body.error).toContain('wrong X-Studio-Token');
  const missing = await rawRequest('GET', '/studio/api/flows', { Host: `127.0.0.1:${port}` });
  expect(missing.status).toBe(403);
  expect(missing.body.error).toContain('X-Studio-Token header is missing');
  const save = await rawRequest(
    'PUT', '/studio/api/flow',
    { Host: `127.0.0.1:${port}`, 'Content-Type': 'application/json' },
    JSON.stringify({ ref: 'second.json', text: 'owned', layout: null, baseVersion: null }),
  );
  expect(save.status).toBe(403);
  expect(await readFile(path.join(server.workspace, 'second.json'), 'utf8')).toBe('{}');
});

test('another Host is refused, even with the right token (DNS rebinding)', async ({ page }) => {
  await page.goto(server.url);
  const token = await pageToken(page);
  const reply = await rawRequest('GET', '/studio/api/flows', { Host: `evil.test:${port}`, 'X-Studio-Token': token });
  expect(reply.status).toBe(403);
  expect(reply.body.error).toContain("is not this studio's address");

  // A real browser on a name that resolves to 127.0.0.1 gets neither the page nor the token.
  const rebound = await page.goto(`http://evil.test:${port}/studio/`);
  expect(rebound!.status()).toBe(403);
  expect(await page.content()).not.toContain(token);
  expect(await page.locator('meta[name="studio-token"]').count()).toBe(0);
});

test('a page from another origin cannot use the API', async ({ page }) => {
  const evil = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>evil</title>');
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  try {
    await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
    const outcome = await page.evaluate(async (target) => {
      const results: string[] = [];
      // A "simple" request (no preflight): the server sees the foreign Origin and refuses it.
      const simple = await fetch(`${target}/studio/api/flows`, {
        method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' },
        body: JSON.stringify({ name: 'planted.json', text: 'owned' }),
      }).then(() => 'sent', (e: Error) => `failed: ${e.message}`);
      results.push(simple);
      // With the token header the browser preflights; the preflight is refused.
      const preflighted = await fetch(`${target}/studio/api/flows`, { headers: { 'X-Studio-Token': 'guess' } })
        .then((r) => `status ${r.status}`, () => 'blocked');
      results.push(preflighted);
      return results;
    }, `http://127.0.0.1:${port}`);
    expect(outcome[1]).toBe('blocked');
  } finally {
    await new Promise((resolve) => evil.close(resolve));
  }
  const direct = await rawRequest('PUT', '/studio/api/flow', {
    Host: `127.0.0.1:${port}`, Origin: 'http://evil.test', 'X-Studio-Token': 'whatever', 'Content-Type': 'application/json',
  }, JSON.stringify({ ref: 'second.json', text: 'owned', layout: null, baseVersion: null }));
  expect(direct.status).toBe(403);
  expect(direct.body.error).toContain('cross-origin');
  expect(await readFile(path.join(server.workspace, 'second.json'), 'utf8')).toBe('{}');
  expect((await readdir(server.workspace)).includes('planted.json')).toBe(false);
});
