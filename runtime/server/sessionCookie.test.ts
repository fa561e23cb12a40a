import { describe, expect, it } from 'vitest';
import { newSessionId, readSessionCookie, sessionCookieHeader } from './sessionCookie.ts';

const SID = '0123456789abcdef0123456789abcdef01234567';

describe('the session cookie', () => {
  it('makes 160-bit hex ids that differ', () => {
    const ids = new Set(Array.from({ length: 1000 }, newSessionId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{40}$/);
  });

  it('reads the session id among other cookies, quoted or not', () => {
    expect(readSessionCookie(`a=1; Fluvio-Bot-Assistant=${SID}; b=2`)).toBe(SID);
    expect(readSessionCookie(`Fluvio-Bot-Assistant="${SID}"`)).toBe(SID);
    expect(readSessionCookie(['a=1', `Fluvio-Bot-Assistant=${SID}`])).toBe(SID);
  });

  it('skips malformed pairs and values without throwing', () => {
    for (const header of ['', 'other=%E0%A4%A', 'noequals', ';;;=', 'Fluvio-Bot-Assistant=', 'Fluvio-Bot-Assistant=%E0%A4%A', `Fluvio-Bot-Assistant=${SID.toUpperCase()}`, `fluvio-bot-assistant=${SID}`, `Fluvio-Bot-Assistant=${SID}0`]) {
      expect(readSessionCookie(header), header).toBeUndefined();
    }
    expect(readSessionCookie(undefined)).toBeUndefined();
  });

  it('takes the first well-formed value when the cookie is duplicated', () => {
    const other = 'f'.repeat(40);
    expect(readSessionCookie(`Fluvio-Bot-Assistant=bad; Fluvio-Bot-Assistant=${SID}; Fluvio-Bot-Assistant=${other}`)).toBe(SID);
  });

  it('writes HttpOnly, SameSite=Lax, Path=/ and Secure only when asked', () => {
    expect(sessionCookieHeader(SID, false)).toBe(`Fluvio-Bot-Assistant=${SID}; Path=/; HttpOnly; SameSite=Lax`);
    expect(sessionCookieHeader(SID, true)).toBe(`Fluvio-Bot-Assistant=${SID}; Path=/; HttpOnly; SameSite=Lax; Secure`);
  });
});
