/**
 * The message of anything thrown or rejected, for one-line error reports. Some clients reject with
 * strings or arrays (@fluvio/client rejects with an array of strings), not Errors. Pure: the runtime,
 * the desktop shell and the studio UI all use it.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (Array.isArray(error)) return error.map(String).join('; ');
  return String(error);
}
