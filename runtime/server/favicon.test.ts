/** Every page's tab icon: linked from the pages, served at /favicon.svg and at /favicon.ico (asked for unprompted). */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('the favicon', () => {
  it('is an SVG at /favicon.svg and /favicon.ico, and HEAD sends no body', async () => {
    server = await startTestServer();
    for (const path of ['favicon.svg', 'favicon.ico']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/svg+xml');
      const body = await response.text();
      expect(body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^]*<\/svg>\n$/);
      expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
      const head = await fetch(`${server.url}${path}`, { method: 'HEAD' });
      expect(await head.text()).toBe('');
    }
    expect((await fetch(`${server.url}favicon.svg`, { method: 'POST' })).status).toBe(404);
  });

  it('is linked from the demo page, the operator console and the studio', async () => {
    server = await startTestServer();
    expect(await (await fetch(server.url)).text()).toContain('<link rel="icon" type="image/svg+xml" href="/favicon.svg">');
    for (const page of ['./operator/console/index.html', '../../renderer/index.html']) {
      expect(await readFile(fileURLToPath(new URL(page, import.meta.url)), 'utf8'), page).toMatch(/<link rel="icon" type="image\/svg\+xml" href="\/favicon\.svg"/);
    }
  });
});
