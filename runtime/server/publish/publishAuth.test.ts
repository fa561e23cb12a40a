import { describe, expect, it } from 'vitest';
import { PUBLISH_WINDOW_MS, PublishAuth, signPublishRequest } from './publishAuth.ts';

const TOKEN = 'a-publish-token-of-32-characters';
const request = { method: 'POST', path: '/publish', body: '{"start":{}}' };

describe('PublishAuth', () => {
  it('accepts a request signed with the token, once', () => {
    let now = 1_700_000_000_000;
    const auth = new PublishAuth(TOKEN, () => now);
    const header = signPublishRequest(TOKEN, request, now);
    expect(auth.check(header, request)).toEqual({ ok: true });
    now += 1000;
    expect(auth.check(header, request)).toEqual({ ok: false, reason: 'this request was already used (replayed)' });
  });

  it('refuses a wrong token, a changed body or path, and a missing or malformed header', () => {
    const now = 1_700_000_000_000;
    const auth = new PublishAuth(TOKEN, () => now);
    expect(auth.check(signPublishRequest('another-token-of-enough-length', request, now), request)).toMatchObject({ ok: false, reason: expect.stringMatching(/wrong publish token/) });
    const header = signPublishRequest(TOKEN, request, now);
    expect(auth.check(header, { ...request, body: '{"start":{"next":"x"}}' })).toMatchObject({ ok: false, reason: expect.stringMatching(/wrong publish token/) });
    expect(auth.check(header, { ...request, path: '/publish/rollback' })).toMatchObject({ ok: false, reason: expect.stringMatching(/wrong publish token/) });
    expect(auth.check(undefined, request)).toMatchObject({ ok: false, reason: expect.stringMatching(/missing Authorization/) });
    expect(auth.check(`Bearer ${TOKEN}`, request)).toMatchObject({ ok: false, reason: expect.stringMatching(/malformed/) });
  });

  it('refuses a request older than the window, even never seen before', () => {
    const now = 1_700_000_000_000;
    const auth = new PublishAuth(TOKEN, () => now);
    expect(auth.check(signPublishRequest(TOKEN, request, now - PUBLISH_WINDOW_MS - 1), request)).toMatchObject({ ok: false, reason: expect.stringMatching(/too old/) });
    expect(auth.check(signPublishRequest(TOKEN, request, now + PUBLISH_WINDOW_MS + 1), request)).toMatchObject({ ok: false, reason: expect.stringMatching(/too old/) });
  });

  it('refuses tokens too short to be secret', () => {
    expect(() => new PublishAuth('short')).toThrow(/at least 16 characters/);
  });
});
