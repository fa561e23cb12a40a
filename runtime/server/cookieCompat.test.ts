/**
 * `serve --cookie-compat`: the article's own widget resets a conversation by clearing the
 * session cookie from script (`document.cookie = "Fluvio-Bot-Assistant=; expires=…1970…"`) and
 * reconnecting. That only works on a cookie without HttpOnly; by default the cookie is HttpOnly.
 */
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from './sessionCookie.ts';
import { startTestServer, type TestServer } from '../testing/testServer.ts';
import { WsTestClient } from '../testing/wsTestClient.ts';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

/** The Set-Cookie line a new visitor gets. */
function setCookieOf(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'));
    ws.once('upgrade', (res) => {
      resolve(res.headers['set-cookie']?.find((line) => line.startsWith(`${SESSION_COOKIE}=`)) ?? '');
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

describe('--cookie-compat', () => {
  it('sets the session cookie without HttpOnly, so the article widget can clear it and start afresh', async () => {
    t = await startTestServer({ cookieCompat: true });
    const line = await setCookieOf(t.url);
    expect(line).toMatch(/^Fluvio-Bot-Assistant=[0-9a-f]{40}; Path=\/; SameSite=Lax$/);

    const visitor = await WsTestClient.connect(t.url);
    await visitor.take(2);
    visitor.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    await visitor.next();
    await visitor.close();
    // The article widget's reset: the cookie is gone (cleared by script), so the reconnect carries none.
    const afterReset = await WsTestClient.connect(t.url);
    expect(afterReset.cookieSet).toBe(true);
    expect(afterReset.sid).not.toBe(visitor.sid);
    expect((await afterReset.drain(300, 2000)).map((f) => f.kind)).toEqual(['BotText', 'ChoiceRequest']);
    await afterReset.close();
  });

  it('is off by default: the cookie is HttpOnly', async () => {
    t = await startTestServer();
    expect(await setCookieOf(t.url)).toMatch(/; HttpOnly; SameSite=Lax$/);
  });
});
