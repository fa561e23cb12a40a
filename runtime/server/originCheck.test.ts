import { describe, expect, it } from 'vitest';
import { createOriginCheck } from './originCheck.ts';

describe('the websocket origin check', () => {
  const check = createOriginCheck(['https://shop.example.com/any/path']);

  it('allows the same origin, allowed origins and clients without an Origin', () => {
    expect(check({ host: '127.0.0.1:9998', origin: 'http://127.0.0.1:9998' })).toBe(true);
    expect(check({ host: 'bot.example.com', origin: 'https://bot.example.com' })).toBe(true);
    expect(check({ host: 'BOT.example.com:80', origin: 'http://bot.example.com' })).toBe(true);
    expect(check({ host: '127.0.0.1:9998', origin: 'https://shop.example.com' })).toBe(true);
    expect(check({ host: '127.0.0.1:9998' })).toBe(true);
  });

  it('refuses other sites, other ports, null and garbage', () => {
    expect(check({ host: '127.0.0.1:9998', origin: 'https://evil.example' })).toBe(false);
    expect(check({ host: '127.0.0.1:9998', origin: 'http://127.0.0.1:9999' })).toBe(false);
    expect(check({ host: '127.0.0.1:9998', origin: 'http://shop.example.com' })).toBe(false);
    expect(check({ host: '127.0.0.1:9998', origin: 'null' })).toBe(false);
    expect(check({ host: '127.0.0.1:9998', origin: '%%%' })).toBe(false);
    expect(check({ origin: 'http://127.0.0.1:9998' })).toBe(false);
  });

  it('rejects an allowlist entry that is not a URL, naming it', () => {
    expect(() => createOriginCheck(['shop.example.com'])).toThrow(/"shop.example.com" is not a URL/);
  });
});
