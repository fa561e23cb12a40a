/**
 * The widget frame of each request a flow sends, serialized once per compiled flow instead of on
 * every turn: a turn's requests are the compiled flow's own `sendRequest` objects, which nothing
 * changes once compiled (the compiled indexes already rely on that). The same text goes into the
 * request's stream record (runtime/stream/recordJson.ts). Any other message (a replayed record, an
 * operator's) is serialized as it comes.
 */
import type { CompiledFlow } from '../flow/compileFlow.ts';
import { isPlainObject } from '../flow/isPlainObject.ts';
import { rememberedJson, rememberJson } from '../stream/recordJson.ts';

const known = new WeakSet<CompiledFlow>();

/** Serialize every `sendRequest` of `compiled` now (once per flow; later calls return at once). */
export function serializeRequests(compiled: CompiledFlow): void {
  if (known.has(compiled)) return;
  known.add(compiled);
  for (const state of compiled.states.values()) {
    const request: unknown = isPlainObject(state) ? state.sendRequest : undefined;
    if (isPlainObject(request)) rememberJson(request, JSON.stringify(request));
  }
}

/** `JSON.stringify(message)`, taken from the flow's serialized requests when it is one. */
export function messageFrame(message: object): string {
  return rememberedJson(message) ?? JSON.stringify(message);
}
