/**
 * A record's JSON, as `JSON.stringify(record)` gives it, without serializing again a message that
 * was serialized once already: a flow's requests are the same objects turn after turn, and their
 * text is most of a request record's. Whoever owns such a message says so with `rememberJson`
 * (the object must not change afterwards); any other record is stringified as it comes.
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

/** `JSON.stringify(record)`, with a remembered `payload.message` spliced in. */
export function recordJson(record: StreamRecord): string {
  const payload = record.payload;
  const messageJson = payload && known.get(payload.message);
  if (messageJson === undefined) return JSON.stringify(record);
  // Records are plain objects: `for...in` walks their own members in JSON.stringify's order.
  let json = '';
  for (const key in record) {
    const text: string | undefined = key === 'payload' ? payloadJson(payload!, messageJson) : JSON.stringify(record[key]);
    // JSON.stringify leaves out members whose value has no JSON (undefined, functions).
    if (text !== undefined) json += `${json === '' ? '{' : ','}${JSON.stringify(key)}:${text}`;
  }
  return `${json}}`;
}

function payloadJson(payload: object, messageJson: string): string {
  let json = '';
  for (const key in payload) {
    const text: string | undefined = key === 'message' ? messageJson : JSON.stringify((payload as Record<string, unknown>)[key]);
    if (text !== undefined) json += `${json === '' ? '{' : ','}${JSON.stringify(key)}:${text}`;
  }
  return `${json}}`;
}
