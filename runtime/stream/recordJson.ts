/**
 * A record's JSON, exactly as `JSON.stringify(record)` gives it, written straight into a buffer
 * (the embedded log's commit buffer) without building a string for it: this runs for every
 * record of every turn, and the strings it would build are garbage a busy server pays for in
 * scavenges. A flow's requests are the same objects turn after turn and most of a request
 * record's text, so whoever owns such a message says so with `rememberJson` (the object must not
 * change afterwards): its request records then share one payload object, whose bytes are copied.
 * Session ids, timestamps and state names are plain ASCII and are copied as they are; anything
 * else goes through JSON.stringify.
 */
import type { Payload, StreamRecord } from './messageStream.ts';

interface Remembered {
  json: string;
  /** `{kind: 'Request', message}`, shared (frozen) by every request record carrying the message */
  requestPayload: Payload;
}

const known = new WeakMap<object, Remembered>();
/** The JSON bytes of each shared request payload. */
const payloadBytes = new WeakMap<object, Buffer>();

/** From now on `message`'s JSON is `json` (= JSON.stringify(message); the message must not change). */
export function rememberJson(message: object, json: string): void {
  const requestPayload = Object.freeze({ kind: 'Request', message }) as Payload;
  known.set(message, { json, requestPayload });
  payloadBytes.set(requestPayload, Buffer.from(`{"kind":"Request","message":${json}}`));
}

/** The JSON remembered for `message`, if any. */
export function rememberedJson(message: object): string | undefined {
  return known.get(message)?.json;
}

/** The payload of a record sending `message` to the user: the shared one when the message is remembered. */
export function requestPayloadOf(message: object): Payload {
  return known.get(message)?.requestPayload ?? ({ kind: 'Request', message } as Payload);
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
  const tag = articleTag(record);
  if (tag === null) return writeMembers(buffer, at, record as unknown as Record<string, unknown>);
  // The article's layout, as records.ts builds every turn's records: each member written by name.
  let pos = copyBytes(buffer, at, SID_PREFIX);
  pos = writeString(buffer, pos, record.sid);
  pos = copyBytes(buffer, pos, PAYLOAD_PREFIX);
  pos = writePayload(buffer, pos, record.payload!);
  pos = copyBytes(buffer, pos, TIMESTAMP_PREFIX);
  pos = writeString(buffer, pos, record.timestamp);
  if (tag !== undefined) {
    pos = writeByte(buffer, pos, COMMA);
    pos = copyBytes(buffer, pos, MEMBER_PREFIX.get(tag) ?? Buffer.from(`${JSON.stringify(tag)}:`));
    pos = writeString(buffer, pos, record[tag] as string);
  }
  return writeByte(buffer, pos, CLOSE_BRACE);
}

const SID_PREFIX = Buffer.from('{"sid":');
const PAYLOAD_PREFIX = Buffer.from(',"payload":');
const TIMESTAMP_PREFIX = Buffer.from(',"timestamp":');

/**
 * For a record laid out as the article's `{sid, payload, timestamp}` (an object payload) with at
 * most one string member after them: the name of that member (undefined when there is none).
 * null for any other record.
 */
function articleTag(record: StreamRecord): string | undefined | null {
  let index = 0;
  let tag: string | undefined;
  for (const key in record) {
    if (index < 3 ? key !== ARTICLE_MEMBERS[index] : index > 3 || typeof record[key] !== 'string') return null;
    if (index === 3) tag = key;
    index += 1;
  }
  return index >= 3 && typeof record.payload === 'object' && record.payload !== null ? tag : null;
}

const ARTICLE_MEMBERS = ['sid', 'payload', 'timestamp'];

/** A payload: a shared request payload's bytes, anything else stringified. */
function writePayload(buffer: Buffer, pos: number, payload: object): number {
  const bytes = payloadBytes.get(payload);
  return bytes ? copyBytes(buffer, pos, bytes) : writeText(buffer, pos, JSON.stringify(payload));
}

/** A string member's value: plain ASCII copied in quotes, anything else through JSON.stringify. */
function writeString(buffer: Buffer, pos: number, text: string): number {
  const end = copyPlainString(buffer, pos, text);
  return end === NOT_PLAIN ? writeText(buffer, pos, JSON.stringify(text)) : end;
}

/** Any other record's members, in their order: strings as above, everything else through JSON.stringify. */
function writeMembers(buffer: Buffer, at: number, object: Record<string, unknown>): number {
  let pos = at;
  let separator = OPEN_BRACE;
  for (const key in object) {
    const value = object[key];
    const text = typeof value === 'string' ? undefined : JSON.stringify(value);
    // Members without JSON (undefined, functions) are left out, as JSON.stringify does.
    if (typeof value !== 'string' && text === undefined) continue;
    pos = writeByte(buffer, pos, separator);
    separator = COMMA;
    const prefix = MEMBER_PREFIX.get(key);
    pos = prefix ? copyBytes(buffer, pos, prefix) : writeText(buffer, pos, `${JSON.stringify(key)}:`);
    pos = typeof value === 'string' ? writeString(buffer, pos, value) : writeText(buffer, pos, text!);
    if (pos < 0) return -1;
  }
  if (separator === OPEN_BRACE) pos = writeByte(buffer, pos, OPEN_BRACE); // an object without members
  return writeByte(buffer, pos, CLOSE_BRACE);
}

const NOT_PLAIN = -2;

/**
 * Copies `text` in quotes when it is printable ASCII without `"` and `\` (JSON.stringify only
 * quotes such a string). Returns the end, -1 after an earlier write that did not fit, NOT_PLAIN
 * for any other text and when it does not fit (the JSON.stringify fallback then says so).
 */
function copyPlainString(buffer: Buffer, pos: number, text: string): number {
  if (pos < 0) return pos;
  const end = pos + text.length + 2;
  if (end > buffer.length) return NOT_PLAIN;
  buffer[pos] = QUOTE;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === QUOTE || code === 0x5c) return NOT_PLAIN;
    buffer[pos + 1 + i] = code;
  }
  buffer[end - 1] = QUOTE;
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
