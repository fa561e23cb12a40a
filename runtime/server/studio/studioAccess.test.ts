/**
 * Issue 10 items 5 and 6 against a real runtime with the studio host: the preview page and the
 * preview socket answer only this launch's token holder, on this server's own Host and Origin
 * (a DNS-rebinding page or another user of the machine gets nothing, not even a replay).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createStudioHost } from '../studioHost.ts';
import { startTestServer, type TestServer } from '../../testing/testServer.ts';

const TOKEN = 'access-test-token-0123456789abcdef';

let t: TestServer;
let root: string;
let port: number;
let previewToken: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'studio-access-'));
  await mkdir(path.join(root, 'workspace'));
  let server: TestServer['server'] | undefined;
  await writeFile(path.join(root, 'index.html'), '<!DOCTYPE html><html><head><title>studio</title></head><body></body></html>');
  const studio = createStudioHost({ workspace: path.join(root, 'workspace'), staticDir: root, token: TOKEN, preview: () => server?.preview });
  previewToken = studio.previewToken;
  t = await startTestServer({ preview: true, studio });
  server = t.server;
  port = t.server.port;
});

afterEach(async () => {
  await t.stop();
  await rm(root, { recursive: true, force: true });
});

const access = () => `studio-access-${port}=${TOKEN}`;

/** A raw GET with full control over Host, Origin and Cookie. */
function get(urlPath: string, headers: Record<string, string>): Promise<{ status: number; text: string; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), location: res.headers.location }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a preview socket; resolves with its frames once it closes or after `forMs`, or with the refused status. */
/** `answer`: sent once, to the first question (a preview session is recorded from its first answer). */
function previewSocket(query: string, headers: Record<string, string>, forMs = 300, answer?: object): Promise<{ status: number; frames: string[] }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/preview-socket${query}`, { headers });
    const frames: string[] = [];
    ws.on('message', (data) => {
      frames.push(String(data));
      if (answer && String(data).includes('"ChoiceRequest"')) ws.send(JSON.stringify(answer));
      if (String(data).includes('"ChoiceRequest"')) answer = undefined;
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, frames });
      ws.terminate();
    });
    ws.on('open', () => setTimeout(() => ws.close(), forMs));
    ws.on('close', () => resolve({ status: 101, frames }));
    ws.on('error', () => resolve({ status: -1, frames }));
  });
}

const own = () => ({ Host: `127.0.0.1:${port}`, Cookie: access() });

describe('the preview page and socket (issue 10 item 6)', () => {
  it('serve the token holder on this server\u2019s Host', async () => {
    // The page itself is sandboxed (no cookies for its files and socket): it is sent to its address with the preview token.
    expect(await get('/preview/?key=k', own())).toMatchObject({ status: 303, location: `/preview/?key=k&access=${previewToken}` });
    expect((await get(`/preview/?access=${previewToken}`, own())).status).toBe(200);
    expect((await get('/preview/preview.css', own())).status).toBe(200);
    expect((await get('/preview/', { Host: `localhost:${port}`, 'X-Studio-Token': TOKEN })).status).toBe(303);
    const socket = await previewSocket('', { ...own(), Origin: `http://127.0.0.1:${port}` });
    expect(socket.status).toBe(101);
    expect(socket.frames.length).toBeGreaterThan(0);
  });

  it('refuse a DNS-rebinding Host or a foreign Origin, even with the token', async () => {
    for (const Host of [`evil.test:${port}`, 'evil.test', `127.0.0.1:${port + 1}`]) {
      const page = await get('/preview/', { ...own(), Host });
      expect({ Host, status: page.status }).toEqual({ Host, status: 403 });
      expect(page.text).toContain("is not this studio's address");
      const socket = await previewSocket('', { ...own(), Host });
      expect({ Host, status: socket.status }).toEqual({ Host, status: 403 });
    }
    const foreign = await previewSocket('', { ...own(), Origin: 'http://evil.test' });
    expect(foreign.status).toBe(403);
    // An opaque origin (a sandboxed page, any site's) with the studio's cookie but no preview token.
    const opaque = await previewSocket('', { ...own(), Origin: 'null' });
    expect(opaque.status).toBe(401);
  });

  it('refuse anyone without the token: another user of this machine cannot replay a real session', async () => {
    // A real preview conversation, recorded: its sid is what a replay names.
    const sids: string[] = [];
    t.server.preview!.subscribe((step) => sids.push(step.sid));
    const live = await previewSocket('', { ...own(), Origin: `http://127.0.0.1:${port}` }, 300, { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust' });
    expect(live.frames.length).toBeGreaterThan(0);
    const [sid] = sids;
    expect(sid).toMatch(/^[0-9a-f]{40}$/);
    expect(await get(`/preview/?replay=${sid}`, own())).toMatchObject({ status: 303, location: `/preview/?replay=${sid}&access=${previewToken}` });
    expect((await get(`/preview/?replay=${sid}&access=${previewToken}`, own())).status).toBe(200);

    const page = await get(`/preview/?replay=${sid}`, { Host: `127.0.0.1:${port}` });
    expect(page.status).toBe(401);
    expect(page.text).toContain("The studio preview needs this launch's access token");
    const socket = await previewSocket(`?replay=${sid}`, { Host: `127.0.0.1:${port}` });
    expect(socket).toEqual({ status: 401, frames: [] });
    const wrong = await previewSocket(`?replay=${sid}`, { Host: `127.0.0.1:${port}`, Cookie: `studio-access-${port}=${'0'.repeat(TOKEN.length)}` });
    expect(wrong).toEqual({ status: 401, frames: [] });
    const forged = await previewSocket(`?replay=${sid}`, { ...own(), Host: `evil.test:${port}`, Origin: `http://evil.test:${port}` });
    expect(forged).toEqual({ status: 403, frames: [] });
  });
});

describe('the sandboxed preview: its own token, in its address (Electron review)', () => {
  const opaque = () => ({ Host: `127.0.0.1:${port}`, Origin: 'null' });
  const withAccess = (query: string, token = previewToken) => `${query}${query ? '&' : '?'}access=${token}`;

  it('reaches the studio page only, in a meta tag, and differs from the launch token', async () => {
    expect(previewToken).toMatch(/^[0-9a-f]{64}$/);
    expect(previewToken).not.toBe(TOKEN);
    const page = await get('/studio/', own());
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<meta name="preview-access" content="${previewToken}">`);
    expect((await get('/studio/', { Host: `127.0.0.1:${port}` })).text).not.toContain(previewToken);
  });

  it('opens the page, its files and the socket from an opaque origin with no cookie', async () => {
    const page = await get(`/preview/${withAccess('?key=0123456789abcdef0123456789abcdef')}`, { Host: `127.0.0.1:${port}` });
    expect(page.status).toBe(200);
    expect(page.text).toContain(`access=${previewToken}`);
    expect((await get(`/preview/preview.css${withAccess('')}`, { Host: `127.0.0.1:${port}` })).status).toBe(200);
    expect((await get(`/preview/preview.js${withAccess('')}`, { Host: `127.0.0.1:${port}` })).status).toBe(200);
    const socket = await previewSocket(withAccess(''), opaque());
    expect(socket.status).toBe(101);
    expect(socket.frames.length).toBeGreaterThan(0);
  });

  it('is refused when wrong or missing, and never with a rebinding Host or a foreign Origin', async () => {
    expect((await get('/preview/preview.css', { Host: `127.0.0.1:${port}` })).status).toBe(401);
    expect((await previewSocket('', opaque())).status).toBe(401);
    expect((await previewSocket(withAccess('', '0'.repeat(64)), opaque())).status).toBe(401);
    expect((await previewSocket(withAccess('', TOKEN), opaque())).status).toBe(401); // the launch token is not the preview token
    expect((await previewSocket(withAccess(''), { ...opaque(), Host: `evil.test:${port}` })).status).toBe(403);
    expect((await previewSocket(withAccess(''), { Host: `127.0.0.1:${port}`, Origin: 'http://evil.test' })).status).toBe(403);
    expect((await get(`/preview/${withAccess('')}`, { Host: `evil.test:${port}` })).status).toBe(403);
  });

  it('opens nothing of the studio: not its pages, not its API (the Live console: studioLive.test.ts)', async () => {
    const host = { Host: `127.0.0.1:${port}` };
    expect((await get(`/studio/?token=${previewToken}`, host)).status).toBe(403);
    expect((await get(`/studio/${withAccess('')}`, host)).status).toBe(401);
    expect((await get('/studio/', { ...host, Cookie: `studio-access-${port}=${previewToken}` })).status).toBe(401);
    expect((await get('/studio/api/flows', { ...host, 'X-Studio-Token': previewToken })).status).toBe(403);
    expect((await get(`/studio/api/flows${withAccess('')}`, { ...host, Origin: 'null' })).status).toBe(403);
  });
});
