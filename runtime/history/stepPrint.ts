/**
 * A 32-bit fingerprint of what one step sent, to tell cheaply whether a replay sends the same.
 * When every request names its state (`state` tag), the print is over the state names, so a
 * renamed or rerouted state shows; otherwise (older records) over each request's kind and group or
 * chat id, so an edited text does not count as a different route. Pure.
 */

/** The low bit says which of the two the print is over (1: state names). */
export function stepPrint(states: readonly (string | undefined)[], requests: readonly unknown[]): number {
  const tagged = states.length === requests.length && states.every((s) => typeof s === 'string');
  const text = tagged ? `S${states.join('\u0000')}` : `C${requests.map(routeOf).join('\u0000')}`;
  return (hash31(text) * 2 + (tagged ? 1 : 0));
}

/** Is the print over state names? */
export function isTaggedPrint(print: number): boolean {
  return print % 2 === 1;
}

function routeOf(request: unknown): string {
  if (typeof request !== 'object' || request === null) return '?';
  const { kind, groupId, sessionId } = request as Record<string, unknown>;
  return `${String(kind)}\u0001${String(groupId ?? sessionId ?? '')}`;
}

/** FNV-1a 32 of the UTF-16 code units, folded to 31 bits so `* 2 + 1` stays a safe integer. */
function hash31(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 1;
}
