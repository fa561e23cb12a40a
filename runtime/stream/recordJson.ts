/**
 * A record's JSON, exactly as `JSON.stringify(record)` gives it, written straight into a buffer
 * (the embedded log's commit buffer) without building a string for it: this runs for every
 * record of every turn, and the strings it would build are garbage a busy server pays for in
 * scavenges. A flow's requests are the same objects turn after turn and most of a request
 * record's text, so whoever owns such a message says so with `rememberJson` (the object must not
 * change afterwards) and its bytes are copied from then on. Session ids, timestamps and state
 * names are plain ASCII and are copied as they are; anything else goes through JSON.stringify.
 */
import type { StreamRecord } from './messageStream.ts';

const known = new WeakMap<object, { json: string; bytes: Buffer }>();

/** From now on `message`'s JSON is `json` (= JSON.stringify(message); the message must not change). */
export function rememberJson(message: object, json: string): void {
  known.set(message, { json, bytes: Buffer.from(json) });
}

/** The JSON remembered for `message`, if any. */
export function rememberedJson(message: object): string | undefined {
  return known.get(message)?.json;
}

/** `"name":` for the members records have; other names are stringified when met. */
const MEMBER_PREFIX = new Map(['sid', 'payload', 'timestamp', 'state', 'resumedAt', 'flowHash', 'flow', 'preview', 'kind', 'message'].map((name) => [name, Buffer.from(`"${name}":`)]));

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;
const QUOTE = 0x22;

/**
 * Writes the JSON of `record` into `buffer` from `at`. Returns where it ends, or -1 when `buffer`
 * ends first (nothing is written past its end). Throws when a member cannot be serialized (a
 * cycle, a BigInt).
 */
export function writeRecordJson(buffer: Buffer, at: number, record: StreamRecord): number {
  return writeMembers(buffer, at, record as unknown as Record<string, unknown>, true);
}

/** An object's members as JSON; `payloadLevel` says whether a `payload` member may hold a remembered message. */
function writeMembers(buffer: Buffer, at: number, object: Record<string, unknown>, payloadLevel: boolean): number {
  let pos = at;
  let separator = OPEN_BRACE;
  for (const key in object) {
    const value = object[key];
    const isObject = typeof value === 'object' && value !== null;
    const remembered = isObject ? known.get(value) : undefined;
    const nested = isObject && !remembered && payloadLevel && key === 'payload' && holdsRememberedMessage(value);
    // Anything else is stringified; members without JSON (undefined, functions) are left out, as JSON.stringify does.
    const text = typeof value === 'string' || remembered || nested ? undefined : JSON.stringify(value);
    if (text === undefined && typeof value !== 'string' && !remembered && !nested) continue;
    pos = writeByte(buffer, pos, separator);
    separator = COMMA;
    const prefix = MEMBER_PREFIX.get(key);
    pos = prefix ? copyBytes(buffer, pos, prefix) : writeText(buffer, pos, `${JSON.stringify(key)}:`);
    if (typeof value === 'string') {
      const end = copyPlainString(buffer, pos, value);
      pos = end === NOT_PLAIN ? writeText(buffer, pos, JSON.stringify(value)) : end;
    } else if (remembered) pos = copyBytes(buffer, pos, remembered.bytes);
    else if (nested) pos = pos < 0 ? pos : writeMembers(buffer, pos, value as Record<string, unknown>, false);
    else pos = writeText(buffer, pos, text!);
    if (pos < 0) return -1;
  }
  if (separator === OPEN_BRACE) pos = writeByte(buffer, pos, OPEN_BRACE); // an object without members
  return writeByte(buffer, pos, CLOSE_BRACE);
}

function holdsRememberedMessage(payload: object): boolean {
  const message = (payload as { message?: unknown }).message;
  return typeof message === 'object' && message !== null && known.has(message);
}

const NOT_PLAIN = -2;

/**
 * Copies `text` in quotes when it is printable ASCII without `"` and `\` (JSON.stringify only
 * quotes such a string). Returns the end, -1 when it does not fit, NOT_PLAIN for any other text.
 */
function copyPlainString(buffer: Buffer, pos: number, text: string): number {
  if (pos < 0) return pos;
  const end = pos + text.length + 2;
  if (end > buffer.length) return isPlainAscii(text) ? -1 : NOT_PLAIN;
  buffer[pos] = QUOTE;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === QUOTE || code === 0x5c) return NOT_PLAIN;
    buffer[pos + 1 + i] = code;
  }
  buffer[end - 1] = QUOTE;
  return end;
}

/** Copies a plain ASCII string as it is (no quotes); returns the end, or -1 when it does not fit. */
export function copyAscii(buffer: Buffer, pos: number, text: string): number {
  const end = pos + text.length;
  if (end > buffer.length) return -1;
  for (let i = 0; i < text.length; i++) buffer[pos + i] = text.charCodeAt(i);
  return end;
}

/** Writes any text as UTF-8; returns the end, or -1 when it may not fit. */
function writeText(buffer: Buffer, pos: number, text: string): number {
  // UTF-8 takes at most 3 bytes for each UTF-16 unit.
  if (pos < 0 || pos + 3 * text.length > buffer.length) return -1;
  return pos + buffer.write(text, pos, 'utf8');
}

function copyBytes(buffer: Buffer, pos: number, bytes: Uint8Array): number {
  if (pos < 0 || pos + bytes.length > buffer.length) return -1;
  if (bytes.length > 16) buffer.set(bytes, pos);
  else for (let i = 0; i < bytes.length; i++) buffer[pos + i] = bytes[i];
  return pos + bytes.length;
}

function writeByte(buffer: Buffer, pos: number, byte: number): number {
  if (pos < 0 || pos >= buffer.length) return -1;
  buffer[pos] = byte;
  return pos + 1;
}

/** Printable ASCII without `"` and `\`: one byte a character in UTF-8, and no escapes in JSON. */
export function isPlainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === QUOTE || code === 0x5c) return false;
  }
  return true;
}
