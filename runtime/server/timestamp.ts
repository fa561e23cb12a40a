/**
 * The article's record timestamp: local time as ISO 8601 without a zone, to the millisecond
 * ("2021-01-05T17:58:46.511"), so consumers written for the original keep parsing it.
 */
export function formatTimestamp(date: Date): string {
  // A busy server stamps many records in the same millisecond: format each millisecond once.
  const ms = date.getTime();
  if (ms !== last.ms) last = { ms, text: new Date(ms - date.getTimezoneOffset() * 60_000).toISOString().slice(0, -1) };
  return last.text;
}

let last = { ms: NaN, text: '' };
