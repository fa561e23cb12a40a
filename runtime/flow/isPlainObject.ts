/** Is `value` a JSON object (not null, not an array)? The guard every reader of untrusted flow data needs. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
