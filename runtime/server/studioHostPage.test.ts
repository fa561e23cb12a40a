/**
 * The studio page the host serves: the token only to the holder of the access cookie, a strict
 * CSP, the cookie exchange, and the built assets.
 */
import { describe, expect, it } from 'vitest';
import { TOKEN, studioHostPerTest } from '../testing/studioHostFixture.ts';

const studio = studioHostPerTest();

describe('studio page', () => {
  const cookie = () => ({ Cookie: `studio-access-${studio.port}=${TOKEN}` });

  it('serves index.html with the token and a strict CSP to the holder of the access cookie', async () => {
    const reply = await studio.request('GET', '/studio/', { token: null, headers: cookie() });
    expect(reply.status).toBe(200);
    expect(reply.text).toContain(`<meta name="studio-token" content="${TOKEN}">`);
    const csp = String(reply.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${studio.port}`);
    expect(csp).toContain("worker-src 'self' blob:");
    expect(reply.headers['cache-control']).toBe('no-store');
  });

  it('gives an anonymous request (another user on this machine) neither the page nor the token (issue 10 item 5)', async () => {
    for (const p of ['/studio/', '/studio/index.html', '/studio', '/studio/assets/main-abc.js']) {
      const reply = await studio.request('GET', p, { token: null });
      expect({ p, status: reply.status }).toEqual({ p, status: 401 });
      expect(reply.text).not.toContain(TOKEN);
      expect(reply.text).toContain('open the address `npm run studio` (or `npm start`) printed');
    }
    const otherPort = await studio.request('GET', '/studio/', { token: null, headers: { Cookie: `studio-access-1=${TOKEN}` } });
    expect(otherPort.status).toBe(401);
    const wrongCookie = await studio.request('GET', '/studio/', { token: null, headers: { Cookie: `studio-access-${studio.port}=${'0'.repeat(TOKEN.length)}` } });
    expect(wrongCookie.status).toBe(401);
  });

  it('trades the printed address for an HttpOnly SameSite=Strict cookie and takes the token out of the address', async () => {
    const exchange = await studio.request('GET', `/studio/?token=${TOKEN}&x=1`, { token: null });
    expect(exchange.status).toBe(303);
    expect(exchange.headers.location).toBe('/studio/?x=1');
    expect(exchange.headers['set-cookie']).toEqual([`studio-access-${studio.port}=${TOKEN}; Path=/; HttpOnly; SameSite=Strict`]);
    expect(exchange.text).not.toContain(TOKEN);
    const bare = await studio.request('GET', `/studio?token=${TOKEN}`, { token: null });
    expect(bare.headers.location).toBe('/studio/');
    const wrong = await studio.request('GET', `/studio/?token=${'f'.repeat(TOKEN.length)}`, { token: null });
    expect(wrong.status).toBe(403);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(wrong.text).toContain('wrong access token');
    // The cookie carries the page and the assets; API calls still need the header too (no CSRF by cookie alone).
    const page = await studio.request('GET', '/studio/?x=1', { token: null, headers: { Cookie: exchange.headers['set-cookie']![0].split(';')[0] } });
    expect(page.status).toBe(200);
    const cookieOnlyApi = await studio.request('GET', '/studio/api/flows', { token: null, headers: cookie() });
    expect(cookieOnlyApi.status).toBe(403);
  });

  it('serves assets, redirects /studio, 404s files outside the build, and leaves other paths alone', async () => {
    const asset = await studio.request('GET', '/studio/assets/main-abc.js', { token: null, headers: cookie() });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect(asset.text).toBe('console.log(1)');
    const redirect = await studio.request('GET', '/studio', { token: null, headers: cookie() });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/studio/');
    // URL parsing turns /studio/%2e%2e/x into /x: no longer a studio path, so the studio declines it.
    const normalized = await studio.request('GET', '/studio/%2e%2e/workspace/a.json', { token: null, headers: cookie() });
    expect(normalized.status).toBe(418);
    for (const p of ['/studio/assets/%2e%2e%2f%2e%2e%2fsecret.json', '/studio/assets/..%2f..%2fsecret.json', '/studio/nope.js']) {
      const reply = await studio.request('GET', p, { token: null, headers: cookie() });
      expect({ p, status: reply.status }).toEqual({ p, status: 404 });
    }
    const other = await studio.request('GET', '/studiox', { token: null });
    expect(other.status).toBe(418);
  });
});
