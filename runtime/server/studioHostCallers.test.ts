/**
 * Who may call the studio host's API: the token, the Host header (DNS rebinding), the Origin, and
 * body limits.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStudioHost } from './studioHost.ts';
import { FLOW, TOKEN, studioHostPerTest } from '../testing/studioHostFixture.ts';

const studio = studioHostPerTest();

describe('studio host API: who may call it', () => {
  it('refuses a missing or wrong token', async () => {
    const missing = await studio.request('GET', '/studio/api/flows', { token: null });
    expect(missing.status).toBe(403);
    expect(missing.json.error).toContain('X-Studio-Token header is missing');
    const wrong = await studio.request('GET', '/studio/api/flows', { token: 'x'.repeat(TOKEN.length) });
    expect(wrong.status).toBe(403);
    expect(wrong.json.error).toContain('wrong X-Studio-Token');
    const short = await studio.request('GET', '/studio/api/flows', { token: 'x' });
    expect(short.status).toBe(403);
  });

  it('refuses a Host header that is not this server (DNS rebinding)', async () => {
    for (const host of [`evil.example:${studio.port}`, 'evil.example', '127.0.0.1', '127.0.0.1:1', `10.0.0.1:${studio.port}`]) {
      const reply = await studio.request('GET', '/studio/api/flows', { headers: { Host: host } });
      expect(reply.status).toBe(403);
      expect(reply.json.error).toContain("is not this studio's address");
    }
    const page = await studio.request('GET', '/studio/', { headers: { Host: `evil.example:${studio.port}` } });
    expect(page.status).toBe(403);
    expect(page.text).not.toContain(TOKEN);
    const localhost = await studio.request('GET', '/studio/api/flows', { headers: { Host: `localhost:${studio.port}` } });
    expect(localhost.status).toBe(200);
  });

  it('refuses cross-origin requests and accepts its own origin', async () => {
    const evil = await studio.request('PUT', '/studio/api/flow', {
      headers: { Origin: 'http://evil.example' },
      body: { ref: 'a.json', text: 'owned', layout: null },
    });
    expect(evil.status).toBe(403);
    expect(evil.json.error).toContain('cross-origin');
    expect(await readFile(path.join(studio.workspace, 'a.json'), 'utf8')).toBe(FLOW);
    const nullOrigin = await studio.request('GET', '/studio/api/flows', { headers: { Origin: 'null' } });
    expect(nullOrigin.status).toBe(403);
    const own = await studio.request('GET', '/studio/api/flows', { headers: { Origin: `http://127.0.0.1:${studio.port}` } });
    expect(own.status).toBe(200);
  });

  it('answers 413 for a body over the limit', async () => {
    const reply = await studio.request('PUT', '/studio/api/flow', {
      rawBody: JSON.stringify({ ref: 'a.json', text: 'x'.repeat(100 * 1024), layout: null }),
    });
    expect(reply.status).toBe(413);
    expect(reply.json.error).toContain('Request body too large');
    expect(await readFile(path.join(studio.workspace, 'a.json'), 'utf8')).toBe(FLOW);
  });

  it('answers 413 at once for a declared or streamed body over the default 10 MiB', async () => {
    const host = createStudioHost({ workspace: studio.workspace, staticDir: path.join(studio.root, 'static'), token: TOKEN });
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
    const bad = await studio.request('PUT', '/studio/api/flow', { rawBody: '{"ref": ' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toContain('not valid JSON');
    const unknown = await studio.request('GET', '/studio/api/nothing');
    expect(unknown.status).toBe(404);
  });
});
