/**
 * A stable content hash of a flow, to tell "changed since saved/deployed" cheaply. Pure.
 */
import type { Flow } from './types.ts';

/**
 * FNV-1a 64 of the flow's canonical JSON text: compact JSON of the states in order
 * (`{"name":{...},...}`, key order kept), so layout and whitespace of the file do not count but
 * every name, value, and order does. 16 lowercase hex digits. Not cryptographic.
 */
export function flowHash(flow: Flow): string {
  const parts = flow.states.map((s) => `${JSON.stringify(s.name)}:${JSON.stringify(s.state) ?? 'null'}`);
  return fnv1a64(`{${parts.join(',')}}`);
}

/** FNV-1a 64 of a string's UTF-8 bytes (lone surrogates count as U+FFFD, like TextEncoder), as 16 hex digits. */
export function fnv1a64(text: string): string {
  // The 64-bit state in four 16-bit limbs (h0 lowest), so every product stays exact in a double.
  let h0 = 0x2325, h1 = 0x8422, h2 = 0x9ce4, h3 = 0xcbf2;
  const add = (byte: number): void => {
    h0 ^= byte;
    // multiply by the FNV prime 2^40 + 0x1b3, modulo 2^64
    const t0 = h0 * 0x1b3;
    let t1 = h1 * 0x1b3;
    let t2 = h2 * 0x1b3 + (h0 << 8);
    const t3 = h3 * 0x1b3 + (h1 << 8);
    t1 += t0 >>> 16;
    h0 = t0 & 0xffff;
    t2 += t1 >>> 16;
    h1 = t1 & 0xffff;
    h3 = (t3 + (t2 >>> 16)) & 0xffff;
    h2 = t2 & 0xffff;
  };
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) {
      const low = code <= 0xdbff ? text.charCodeAt(i + 1) : NaN;
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      } else {
        code = 0xfffd;
      }
    }
    if (code < 0x80) {
      add(code);
    } else if (code < 0x800) {
      add(0xc0 | (code >> 6));
      add(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      add(0xe0 | (code >> 12));
      add(0x80 | ((code >> 6) & 0x3f));
      add(0x80 | (code & 0x3f));
    } else {
      add(0xf0 | (code >> 18));
      add(0x80 | ((code >> 12) & 0x3f));
      add(0x80 | ((code >> 6) & 0x3f));
      add(0x80 | (code & 0x3f));
    }
  }
  return [h3, h2, h1, h0].map((limb) => limb.toString(16).padStart(4, '0')).join('');
}
