/**
 * The article's record timestamp: local time as ISO 8601 without a zone, to the millisecond
 * ("2021-01-05T17:58:46.511"), so consumers written for the original keep parsing it.
 */
export function formatTimestamp(date: Date): string {
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, -1);
}
