import { describe, expect, it } from 'vitest';
import { fnv1a64, flowHash } from './flowHash.ts';
import { renameState } from './renameState.ts';
import { articleFlow, flowOf } from '../testing/testFlows.ts';

describe('fnv1a64', () => {
  it('matches the published FNV-1a 64 test vectors', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });

  it('hashes the UTF-8 bytes of non-ASCII text', () => {
    // UTF-8 of "é" is c3 a9; hashing those two bytes by hand:
    let h = 0xcbf29ce484222325n;
    for (const byte of [0xc3, 0xa9]) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
    expect(fnv1a64('é')).toBe(h.toString(16).padStart(16, '0'));
    expect(fnv1a64('𝄞')).not.toBe(fnv1a64('\ud834'));
  });
});

describe('flowHash', () => {
  it('is stable for equal flows', () => {
    expect(flowHash(articleFlow())).toBe(flowHash(articleFlow()));
    expect(flowHash(articleFlow())).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes with any content, name or order change', () => {
    const base = flowHash(articleFlow());
    const edited = articleFlow();
    edited.states[0].state = { ...edited.states[0].state, sendRequest: { kind: 'BotText', content: "Hi, I'm Bot! Nice to meet you!" } };
    expect(flowHash(edited)).not.toBe(base);
    const renamed = renameState(articleFlow(), 'done', 'finished');
    expect(renamed.ok && flowHash(renamed.flow)).not.toBe(base);
    expect(flowHash(flowOf({ a: {}, b: {} }))).not.toBe(flowHash(flowOf({ b: {}, a: {} })));
    expect(flowHash(flowOf({ a: { next: 'b' } }))).not.toBe(flowHash(flowOf({ a: { next: 'c' } })));
  });
});
