import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStudioHost } from './studioHost.ts';

const TOKEN = 'test-token-0123456789abcdef';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

let root: string;
let workspace: string;
let outside: string;
let server: http.Server;
let port: number;

async function request(
  method: string,
  urlPath: string,
  options: { body?: unknown; rawBody?: string | Buffer; headers?: Record<string, string>; token?: string | null } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { Host: `127.0.0.1:${port}`, ...options.headers };
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers['X-Studio-Token'] = token;
  // Saves name the version they are based on; these tests overwrite (null) unless they say otherwise.
  const body = method === 'PUT' && isObject(options.body) && !('baseVersion' in options.body) ? { ...options.body, baseVersion: null } : options.body;
  const payload = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) headers['Content-Type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const FLOW = '{\n    "start": {\n        "sendRequest": {\n            "kind": "BotText",\n            "content": "Hi"\n        }\n    }\n}\n';

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'studio-host-'));
  workspace = path.join(root, 'workspace');
  outside = path.join(root, 'outside');
  const staticDir = path.join(root, 'static');
  await mkdir(path.join(workspace, 'more'), { recursive: true });
  await mkdir(outside);
  await mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><html><head><title>x</title></head><body></body></html>');
  await writeFile(path.join(staticDir, 'assets', 'main-abc.js'), 'console.log(1)');
  await writeFile(path.join(root, 'secret.json'), '{"secret": true}');
  await writeFile(path.join(outside, 'secret.json'), '{"secret": true}');
  await writeFile(path.join(workspace, 'a.json'), FLOW);
  await writeFile(path.join(workspace, 'a.layout.json'), JSON.stringify({ positions: { start: { x: 1, y: 2 } } }));
  await writeFile(path.join(workspace, 'more', 'b.json'), '{}');
  await writeFile(path.join(workspace, '.hidden.json'), '{}');
  await writeFile(path.join(workspace, 'notes.txt'), 'x');

  const host = createStudioHost({ workspace, staticDir, token: TOKEN, maxBodyBytes: 64 * 1024 });
  server = http.createServer(async (req, res) => {
    if (!(await host.handle(req, res))) {
      res.writeHead(418);
      res.end('not studio');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

describe('studio host API: files', () => {
  it('lists the workspace flows, not sidecars, hidden or other files', async () => {
    const reply = await request('GET', '/studio/api/flows');
    expect(reply.status).toBe(200);
    expect(reply.json.flows.map((f: { ref: string }) => f.ref)).toEqual(['a.json', 'more/b.json']);
    expect(reply.json.flows[0].displayName).toBe('a.json');
    expect(reply.json.flows[0].modifiedMs).toBeGreaterThan(0);
  });

  it('opens a flow with its sidecar, or a null layout without one', async () => {
    const a = await request('GET', '/studio/api/flow?ref=a.json');
    expect(a.status).toBe(200);
    expect(a.json).toEqual({ ref: 'a.json', displayName: 'a.json', text: FLOW, layout: { positions: { start: { x: 1, y: 2 } } }, version: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const b = await request('GET', `/studio/api/flow?ref=${encodeURIComponent('more/b.json')}`);
    expect(b.json.layout).toBeNull();
    const missing = await request('GET', '/studio/api/flow?ref=nope.json');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toContain('"nope.json" does not exist');
  });

  it('reads and writes the conversation tests beside a flow, refusing an invalid tests file, and never lists it as a flow', async () => {
    expect((await request('GET', '/studio/api/flow/tests?ref=a.json')).json).toEqual({ text: null });
    const text = '{\n    "tests": [\n        { "name": "hi", "turns": [ { "bot": [ { "kind": "BotText", "content": "Hi" } ] } ] }\n    ]\n}\n';
    expect((await request('PUT', '/studio/api/flow/tests', { body: { ref: 'a.json', text } })).status).toBe(200);
    expect(await readFile(path.join(workspace, 'a.tests.json'), 'utf8')).toBe(text);
    expect((await request('GET', '/studio/api/flow/tests?ref=a.json')).json).toEqual({ text });
    const bad = await request('PUT', '/studio/api/flow/tests', { body: { ref: 'a.json', text: '{ "tests": [ { "name": 1 } ] }' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/^Not saved: a\.tests\.json would not be a valid tests file \(line 1, column 14\): tests\[0\] has no "turns": add it\./);
    expect(await readFile(path.join(workspace, 'a.tests.json'), 'utf8')).toBe(text);
    const outsideRef = await request('PUT', '/studio/api/flow/tests', { body: { ref: '../secret.json', text } });
    expect(outsideRef.status).toBe(403);
    expect((await request('GET', '/studio/api/flow?ref=a.tests.json')).json.error).toContain('is a conversation tests file, not a flow');
    expect((await request('GET', '/studio/api/flows')).json.flows.map((f: { ref: string }) => f.ref)).toEqual(['a.json', 'more/b.json']);
  });

  it('reports a broken sidecar with its name and how to fix it', async () => {
    await writeFile(path.join(workspace, 'a.layout.json'), '{"positions": ');
    const reply = await request('GET', '/studio/api/flow?ref=a.json');
    expect(reply.status).toBe(422);
    expect(reply.json.error).toMatch(/a\.layout\.json is not valid JSON.*delete it/);
  });

  it('saves the text byte for byte and the layout to the sidecar, leaving no temp files', async () => {
    const text = '{\r\n\t"héllo 👋": {"next": "x"}}';
    const layout = { positions: { 'héllo 👋': { x: 10.5, y: -3 } }, viewport: { x: 0, y: 0, zoom: 1.25 } };
    const reply = await request('PUT', '/studio/api/flow', { body: { ref: 'a.json', text, layout } });
    expect(reply.status).toBe(200);
    expect(await readFile(path.join(workspace, 'a.json'), 'utf8')).toBe(text);
    const sidecar = await readFile(path.join(workspace, 'a.layout.json'), 'utf8');
    expect(JSON.parse(sidecar)).toEqual(layout);
    expect(sidecar).toContain('\n    "positions"');
    expect((await readdir(workspace)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a save based on a version that changed, writes nothing, and says so (issue 10 item 7)', async () => {
    const opened = await request('GET', '/studio/api/flow?ref=a.json');
    expect(opened.json.version).toMatch(/^[0-9a-f]{32}$/);
    const first = await request('PUT', '/studio/api/flow', { body: { ref: 'a.json', text: '{"first": {}}', layout: { positions: {} }, baseVersion: opened.json.version } });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ ok: true, version: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(first.json.version).not.toBe(opened.json.version);
    const second = await request('PUT', '/studio/api/flow', { body: { ref: 'a.json', text: '{"second": {}}', layout: null, baseVersion: opened.json.version } });
    expect(second.status).toBe(409);
    expect(second.json).toEqual({ error: 'a.json changed on disk since it was opened; nothing was saved.', conflict: { version: first.json.version, exists: true } });
    expect(await readFile(path.join(workspace, 'a.json'), 'utf8')).toBe('{"first": {}}');
    expect(await readFile(path.join(workspace, 'a.layout.json'), 'utf8')).toBe('{\n    "positions": {}\n}\n');
    // What open reports is what a save checks: the version after the first save opens the same.
    expect((await request('GET', '/studio/api/flow?ref=a.json')).json.version).toBe(first.json.version);
    const missing = await request('PUT', '/studio/api/flow', { rawBody: JSON.stringify({ ref: 'a.json', text: 'x', layout: null }) });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toContain('"baseVersion" is missing');
    const junk = await request('PUT', '/studio/api/flow', { body: { ref: 'a.json', text: 'x', layout: null, baseVersion: 7 } });
    expect(junk.status).toBe(400);
    await rm(path.join(workspace, 'a.json'));
    const deleted = await request('PUT', '/studio/api/flow', { body: { ref: 'a.json', text: 'x', layout: null, baseVersion: first.json.version } });
    expect(deleted.status).toBe(409);
    expect(deleted.json.conflict.exists).toBe(false);
  });

  it('writes the flow and its layout as one unit: 40 concurrent saves never leave a mixed pair (issue 10 item 7)', async () => {
    for (let round = 0; round < 5; round++) {
      const { version } = (await request('GET', '/studio/api/flow?ref=a.json')).json;
      const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => request('PUT', '/studio/api/flow', {
        body: { ref: 'a.json', text: `{"save${i}": {}}`, layout: { positions: { [`save${i}`]: { x: i, y: round } } }, baseVersion: i % 2 === 0 ? null : version },
      })));
      const flow = JSON.parse(await readFile(path.join(workspace, 'a.json'), 'utf8'));
      const layout = JSON.parse(await readFile(path.join(workspace, 'a.layout.json'), 'utf8'));
      expect(Object.keys(layout.positions)).toEqual(Object.keys(flow));
      const basedOnOpened = replies.filter((_, i) => i % 2 === 1);
      expect(basedOnOpened.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
      expect(basedOnOpened.every((r) => r.status === 200 || r.status === 409)).toBe(true);
      expect(replies.filter((_, i) => i % 2 === 0).every((r) => r.status === 200)).toBe(true);
    }
  });

  it('removes the sidecar when saving with a null layout', async () => {
    await request('PUT', '/studio/api/flow', { body: { ref: 'a.json', text: '{}', layout: null } });
    expect((await readdir(workspace)).includes('a.layout.json')).toBe(false);
  });

  it('rejects a malformed layout without touching the files', async () => {
    const reply = await request('PUT', '/studio/api/flow', {
      body: { ref: 'a.json', text: '{}', layout: { positions: { start: { x: 'left', y: 0 } } } },
    });
    expect(reply.status).toBe(422);
    expect(reply.json.error).toContain('positions.start');
    expect(await readFile(path.join(workspace, 'a.json'), 'utf8')).toBe(FLOW);
  });

  it('creates a flow and refuses to overwrite an existing one', async () => {
    const created = await request('POST', '/studio/api/flows', { body: { name: 'new.json', text: '{"s": {}}' } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ ref: 'new.json' });
    expect(await readFile(path.join(workspace, 'new.json'), 'utf8')).toBe('{"s": {}}');
    const again = await request('POST', '/studio/api/flows', { body: { name: 'a.json', text: 'x' } });
    expect(again.status).toBe(409);
    expect(again.json.error).toContain('already exists');
    expect(await readFile(path.join(workspace, 'a.json'), 'utf8')).toBe(FLOW);
  });

  it('renames a flow with its sidecar and never replaces an existing file', async () => {
    const renamed = await request('POST', '/studio/api/flow/rename', { body: { ref: 'a.json', newName: 'more/c.json' } });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toEqual({ ref: 'more/c.json' });
    expect((await readdir(workspace)).filter((n) => n.startsWith('a.'))).toEqual([]);
    expect(await readFile(path.join(workspace, 'more', 'c.json'), 'utf8')).toBe(FLOW);
    expect(JSON.parse(await readFile(path.join(workspace, 'more', 'c.layout.json'), 'utf8')).positions.start).toEqual({ x: 1, y: 2 });

    const clash = await request('POST', '/studio/api/flow/rename', { body: { ref: 'more/c.json', newName: 'more/b.json' } });
    expect(clash.status).toBe(409);
    expect(await readFile(path.join(workspace, 'more', 'b.json'), 'utf8')).toBe('{}');
    expect(await readFile(path.join(workspace, 'more', 'c.json'), 'utf8')).toBe(FLOW);
  });

  it('renames and deletes a flow with its tests, and refuses a rename that would replace another flow\'s tests', async () => {
    const tests = '{\n    "tests": []\n}\n';
    await writeFile(path.join(workspace, 'a.tests.json'), tests);
    await writeFile(path.join(workspace, 'more', 'd.tests.json'), tests);
    const clash = await request('POST', '/studio/api/flow/rename', { body: { ref: 'a.json', newName: 'more/d.json' } });
    expect(clash.status).toBe(409);
    expect(clash.json.error).toBe('Cannot rename to "more/d.json": its tests file d.tests.json already exists.');
    expect((await readdir(workspace)).filter((n) => n.startsWith('a.')).sort()).toEqual(['a.json', 'a.layout.json', 'a.tests.json']);
    expect((await request('POST', '/studio/api/flow/rename', { body: { ref: 'a.json', newName: 'e.json' } })).status).toBe(200);
    expect((await readdir(workspace)).filter((n) => /^[ae]\./.test(n)).sort()).toEqual(['e.json', 'e.layout.json', 'e.tests.json']);
    expect((await request('GET', '/studio/api/flow/tests?ref=e.json')).json).toEqual({ text: tests });
    expect((await request('DELETE', '/studio/api/flow?ref=e.json')).status).toBe(200);
    expect((await readdir(workspace)).filter((n) => n.startsWith('e.'))).toEqual([]);
  });

  it('deletes a flow with its sidecar', async () => {
    const reply = await request('DELETE', '/studio/api/flow?ref=a.json');
    expect(reply.status).toBe(200);
    expect((await readdir(workspace)).filter((n) => n.startsWith('a.'))).toEqual([]);
    expect((await request('DELETE', '/studio/api/flow?ref=a.json')).status).toBe(404);
  });
});

describe('studio host API: paths outside the workspace are refused', () => {
  const outsideRefs = ['../secret.json', '../outside/secret.json', 'more/../../secret.json', '/etc/passwd.json', `${'/'}tmp/x.json`];
  for (const ref of outsideRefs) {
    it(`refuses to read ${ref}`, async () => {
      const reply = await request('GET', `/studio/api/flow?ref=${encodeURIComponent(ref)}`);
      expect(reply.status).toBe(403);
      expect(reply.json.error).toContain('path is outside the workspace');
    });
  }

  it('refuses percent-encoded traversal in the query', async () => {
    const reply = await request('GET', '/studio/api/flow?ref=%2e%2e%2fsecret.json');
    expect(reply.status).toBe(403);
    expect(reply.json.error).toContain('path is outside the workspace');
  });

  it('refuses traversal when writing, creating, renaming and deleting', async () => {
    const save = await request('PUT', '/studio/api/flow', { body: { ref: '../evil.json', text: 'x', layout: null } });
    const create = await request('POST', '/studio/api/flows', { body: { name: '../evil.json', text: 'x' } });
    const renameFrom = await request('POST', '/studio/api/flow/rename', { body: { ref: '../secret.json', newName: 'stolen.json' } });
    const renameTo = await request('POST', '/studio/api/flow/rename', { body: { ref: 'a.json', newName: '../outside/a.json' } });
    const remove = await request('DELETE', `/studio/api/flow?ref=${encodeURIComponent('../secret.json')}`);
    for (const reply of [save, create, renameFrom, renameTo, remove]) {
      expect(reply.status).toBe(403);
      expect(reply.json.error).toContain('path is outside the workspace');
    }
    expect((await readdir(root)).sort()).toEqual(['outside', 'secret.json', 'static', 'workspace']);
    expect(await readFile(path.join(root, 'secret.json'), 'utf8')).toBe('{"secret": true}');
    expect(await readFile(path.join(workspace, 'a.json'), 'utf8')).toBe(FLOW);
  });

  it('refuses NUL bytes, names not ending in .json, sidecars and hidden files', async () => {
    const cases: Array<[string, number, string]> = [
      ['a.json%00.txt', 400, 'NUL byte'],
      ['notes.txt', 400, 'must end in .json'],
      ['a.layout.json', 400, 'layout sidecar'],
      ['.hidden.json', 400, 'hidden'],
      ['more//b.json', 400, 'not a plain relative path'],
      ['more\\..\\..\\secret.json', 403, 'outside the workspace'],
    ];
    for (const [ref, status, message] of cases) {
      const reply = await request('GET', `/studio/api/flow?ref=${ref.includes('%') ? ref : encodeURIComponent(ref)}`);
      expect({ ref, status: reply.status }).toEqual({ ref, status });
      expect(reply.json.error).toContain(message);
    }
  });

  it('refuses symlinks that lead outside, for files and folders, and dangling ones', async () => {
    await symlink(path.join(outside, 'secret.json'), path.join(workspace, 'link.json'));
    await symlink(outside, path.join(workspace, 'linkdir'));
    await symlink(path.join(outside, 'not-yet.json'), path.join(workspace, 'dangling.json'));
    const read = await request('GET', '/studio/api/flow?ref=link.json');
    const readDir = await request('GET', '/studio/api/flow?ref=linkdir/secret.json');
    const save = await request('PUT', '/studio/api/flow', { body: { ref: 'link.json', text: 'owned', layout: null } });
    const createInDir = await request('POST', '/studio/api/flows', { body: { name: 'linkdir/new.json', text: 'owned' } });
    const saveDangling = await request('PUT', '/studio/api/flow', { body: { ref: 'dangling.json', text: 'owned', layout: null } });
    for (const reply of [read, readDir, save, createInDir, saveDangling]) {
      expect(reply.status).toBe(403);
      expect(reply.json.error).toContain('path is outside the workspace');
    }
    expect((await readdir(outside)).sort()).toEqual(['secret.json']);
    expect(await readFile(path.join(outside, 'secret.json'), 'utf8')).toBe('{"secret": true}');
    const listed = await request('GET', '/studio/api/flows');
    expect(listed.json.flows.map((f: { ref: string }) => f.ref)).toEqual(['a.json', 'more/b.json']);
  });

  it('allows symlinks that stay inside the workspace', async () => {
    await symlink(path.join(workspace, 'more'), path.join(workspace, 'alias'));
    const reply = await request('GET', '/studio/api/flow?ref=alias/b.json');
    expect(reply.status).toBe(200);
    expect(reply.json.text).toBe('{}');
  });
});

describe('studio host API: who may call it', () => {
  it('refuses a missing or wrong token', async () => {
    const missing = await request('GET', '/studio/api/flows', { token: null });
    expect(missing.status).toBe(403);
    expect(missing.json.error).toContain('X-Studio-Token header is missing');
    const wrong = await request('GET', '/studio/api/flows', { token: 'x'.repeat(TOKEN.length) });
    expect(wrong.status).toBe(403);
    expect(wrong.json.error).toContain('wrong X-Studio-Token');
    const short = await request('GET', '/studio/api/flows', { token: 'x' });
    expect(short.status).toBe(403);
  });

  it('refuses a Host header that is not this server (DNS rebinding)', async () => {
    for (const host of [`evil.example:${port}`, 'evil.example', '127.0.0.1', '127.0.0.1:1', `10.0.0.1:${port}`]) {
      const reply = await request('GET', '/studio/api/flows', { headers: { Host: host } });
      expect(reply.status).toBe(403);
      expect(reply.json.error).toContain("is not this studio's address");
    }
    const page = await request('GET', '/studio/', { headers: { Host: `evil.example:${port}` } });
    expect(page.status).toBe(403);
    expect(page.text).not.toContain(TOKEN);
    const localhost = await request('GET', '/studio/api/flows', { headers: { Host: `localhost:${port}` } });
    expect(localhost.status).toBe(200);
  });

  it('refuses cross-origin requests and accepts its own origin', async () => {
    const evil = await request('PUT', '/studio/api/flow', {
      headers: { Origin: 'http://evil.example' },
      body: { ref: 'a.json', text: 'owned', layout: null },
    });
    expect(evil.status).toBe(403);
    expect(evil.json.error).toContain('cross-origin');
    expect(await readFile(path.join(workspace, 'a.json'), 'utf8')).toBe(FLOW);
    const nullOrigin = await request('GET', '/studio/api/flows', { headers: { Origin: 'null' } });
    expect(nullOrigin.status).toBe(403);
    const own = await request('GET', '/studio/api/flows', { headers: { Origin: `http://127.0.0.1:${port}` } });
    expect(own.status).toBe(200);
  });

  it('answers 413 for a body over the limit', async () => {
    const reply = await request('PUT', '/studio/api/flow', {
      rawBody: JSON.stringify({ ref: 'a.json', text: 'x'.repeat(100 * 1024), layout: null }),
    });
    expect(reply.status).toBe(413);
    expect(reply.json.error).toContain('Request body too large');
    expect(await readFile(path.join(workspace, 'a.json'), 'utf8')).toBe(FLOW);
  });

  it('answers 413 at once for a declared or streamed body over the default 10 MiB', async () => {
    const host = createStudioHost({ workspace, staticDir: path.join(root, 'static'), token: TOKEN });
    const big = http.createServer(async (req, res) => {
      await host.handle(req, res);
    });
    await new Promise<void>((resolve) => big.listen(0, '127.0.0.1', resolve));
    const bigPort = (big.address() as AddressInfo).port;
    try {
      const payload = Buffer.alloc(11 * 1024 * 1024, 0x20);
      for (const chunked of [false, true]) {
        const status = await new Promise<number>((resolve, reject) => {
          const headers: Record<string, string> = { Host: `127.0.0.1:${bigPort}`, 'X-Studio-Token': TOKEN, 'Content-Type': 'application/json' };
          if (!chunked) headers['Content-Length'] = String(payload.length);
          const req = http.request({ host: '127.0.0.1', port: bigPort, method: 'PUT', path: '/studio/api/flow', headers }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end(payload);
        });
        expect({ chunked, status }).toEqual({ chunked, status: 413 });
      }
    } finally {
      big.closeAllConnections();
      await new Promise((resolve) => big.close(resolve));
    }
  });

  it('answers 400 for a body that is not JSON, and 404 for an unknown endpoint', async () => {
    const bad = await request('PUT', '/studio/api/flow', { rawBody: '{"ref": ' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toContain('not valid JSON');
    const unknown = await request('GET', '/studio/api/nothing');
    expect(unknown.status).toBe(404);
  });
});

describe('studio page', () => {
  const cookie = () => ({ Cookie: `studio-access-${port}=${TOKEN}` });

  it('serves index.html with the token and a strict CSP to the holder of the access cookie', async () => {
    const reply = await request('GET', '/studio/', { token: null, headers: cookie() });
    expect(reply.status).toBe(200);
    expect(reply.text).toContain(`<meta name="studio-token" content="${TOKEN}">`);
    const csp = String(reply.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${port}`);
    expect(csp).toContain("worker-src 'self' blob:");
    expect(reply.headers['cache-control']).toBe('no-store');
  });

  it('gives an anonymous request (another user on this machine) neither the page nor the token (issue 10 item 5)', async () => {
    for (const p of ['/studio/', '/studio/index.html', '/studio', '/studio/assets/main-abc.js']) {
      const reply = await request('GET', p, { token: null });
      expect({ p, status: reply.status }).toEqual({ p, status: 401 });
      expect(reply.text).not.toContain(TOKEN);
      expect(reply.text).toContain('open the address `npm run studio` (or `npm start`) printed');
    }
    const otherPort = await request('GET', '/studio/', { token: null, headers: { Cookie: `studio-access-1=${TOKEN}` } });
    expect(otherPort.status).toBe(401);
    const wrongCookie = await request('GET', '/studio/', { token: null, headers: { Cookie: `studio-access-${port}=${'0'.repeat(TOKEN.length)}` } });
    expect(wrongCookie.status).toBe(401);
  });

  it('trades the printed address for an HttpOnly SameSite=Strict cookie and takes the token out of the address', async () => {
    const exchange = await request('GET', `/studio/?token=${TOKEN}&x=1`, { token: null });
    expect(exchange.status).toBe(303);
    expect(exchange.headers.location).toBe('/studio/?x=1');
    expect(exchange.headers['set-cookie']).toEqual([`studio-access-${port}=${TOKEN}; Path=/; HttpOnly; SameSite=Strict`]);
    expect(exchange.text).not.toContain(TOKEN);
    const bare = await request('GET', `/studio?token=${TOKEN}`, { token: null });
    expect(bare.headers.location).toBe('/studio/');
    const wrong = await request('GET', `/studio/?token=${'f'.repeat(TOKEN.length)}`, { token: null });
    expect(wrong.status).toBe(403);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(wrong.text).toContain('wrong access token');
    // The cookie carries the page and the assets; API calls still need the header too (no CSRF by cookie alone).
    const page = await request('GET', '/studio/?x=1', { token: null, headers: { Cookie: exchange.headers['set-cookie']![0].split(';')[0] } });
    expect(page.status).toBe(200);
    const cookieOnlyApi = await request('GET', '/studio/api/flows', { token: null, headers: cookie() });
    expect(cookieOnlyApi.status).toBe(403);
  });

  it('serves assets, redirects /studio, 404s files outside the build, and leaves other paths alone', async () => {
    const asset = await request('GET', '/studio/assets/main-abc.js', { token: null, headers: cookie() });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect(asset.text).toBe('console.log(1)');
    const redirect = await request('GET', '/studio', { token: null, headers: cookie() });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/studio/');
    // URL parsing turns /studio/%2e%2e/x into /x: no longer a studio path, so the studio declines it.
    const normalized = await request('GET', '/studio/%2e%2e/workspace/a.json', { token: null, headers: cookie() });
    expect(normalized.status).toBe(418);
    for (const p of ['/studio/assets/%2e%2e%2f%2e%2e%2fsecret.json', '/studio/assets/..%2f..%2fsecret.json', '/studio/nope.js']) {
      const reply = await request('GET', p, { token: null, headers: cookie() });
      expect({ p, status: reply.status }).toEqual({ p, status: 404 });
    }
    const other = await request('GET', '/studiox', { token: null });
    expect(other.status).toBe(418);
  });
});
