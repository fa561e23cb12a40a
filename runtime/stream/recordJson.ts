/**
 * A record's JSON, exactly as `JSON.stringify(record)` gives it, without serializing again what
 * was serialized once: a flow's requests are the same objects turn after turn and most of a
 * request record's text, so whoever owns such a message says so with `rememberJson` (the object
 * must not change afterwards). Session ids, timestamps and state names are plain ASCII and are
 * quoted as they are; anything else goes through JSON.stringify.
 */
import type { StreamRecord } from './messageStream.ts';

const known = new WeakMap<object, string>();

/** From now on `message`'s JSON is `json` (= JSON.stringify(message); the message must not change). */
export function rememberJson(message: object, json: string): void {
  known.set(message, json);
}

/** The JSON remembered for `message`, if any. */
export function rememberedJson(message: object): string | undefined {
  return known.get(message);
}

/** Printable ASCII without `"` and `\`: a string JSON.stringify only puts in quotes. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** `"name":` for the members records have; others are stringified when met. */
const MEMBER_PREFIX = new Map(['sid', 'payload', 'timestamp', 'state', 'resumedAt', 'flowHash', 'flow', 'preview', 'kind', 'message'].map((name) => [name, `"${name}":`]));

/**
 * `JSON.stringify(record)`, built from its members: a remembered message's text is spliced in
 * and plain strings are quoted without escaping. Throws when a member cannot be serialized
 * (a cycle, a BigInt).
 */
export function recordJson(record: StreamRecord): string {
  return membersJson(record as unknown as Record<string, unknown>, true);
}

/** An object's members as JSON; `payloadLevel` says whether a `payload` member may hold a remembered message. */
function membersJson(object: Record<string, unknown>, payloadLevel: boolean): string {
  let json = '';
  for (const key in object) {
    const value = object[key];
    let text: string | undefined;
    if (typeof value === 'string') text = PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
    else if (typeof value === 'object' && value !== null) text = known.get(value) ?? (payloadLevel && key === 'payload' && holdsRememberedMessage(value) ? membersJson(value as Record<string, unknown>, false) : JSON.stringify(value));
    // Numbers, booleans, null; undefined, functions and symbols are left out, as JSON.stringify does.
    else if ((text = JSON.stringify(value)) === undefined) continue;
    json += `${json === '' ? '{' : ','}${MEMBER_PREFIX.get(key) ?? `${JSON.stringify(key)}:`}${text}`;
  }
  return json === '' ? '{}' : `${json}}`;
}

function holdsRememberedMessage(payload: object): boolean {
  const message = (payload as { message?: unknown }).message;
  return typeof message === 'object' && message !== null && known.has(message);
}

/** Whether a string is plain printable ASCII, one byte a character in UTF-8. */
export function isPlainAscii(text: string): boolean {
  return PLAIN.test(text);
}
