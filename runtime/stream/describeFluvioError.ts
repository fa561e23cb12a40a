/**
 * @fluvio/client rejects with an array of strings (from its native module), not an Error. This turns
 * whatever it threw into one clear sentence that says what to do.
 */
const HOW_TO_FIX = 'Start a cluster or set FLUVIO_ENDPOINT / a fluvio profile.';

/** The raw text of anything @fluvio/client threw or rejected with. */
export function fluvioErrorText(error: unknown): string {
  if (Array.isArray(error)) return error.map(String).join('; ');
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * An Error for a failed connection: `fluvio: cannot connect to 127.0.0.1:9003: connection refused. Start a cluster ...`.
 * @param target `host:port`, or undefined when the active profile was used
 */
export function connectError(error: unknown, target: string | undefined): Error {
  const text = fluvioErrorText(error);
  if (/no active profile/i.test(text)) return new Error(`fluvio: no cluster configured (the fluvio config has no active profile). ${HOW_TO_FIX}`);
  const where = target ?? "the active fluvio profile's cluster";
  const reason = /connection refused/i.test(text)
    ? 'connection refused'
    : /lookup address|not known|no such host/i.test(text)
      ? 'unknown host'
      : /timed? ?out/i.test(text)
        ? 'timed out'
        : text;
  return new Error(`fluvio: cannot connect to ${where}: ${reason}. ${HOW_TO_FIX}`);
}

/** An Error for a failed operation on a connected cluster: `fluvio: <doing>: <reason>`. */
export function operationError(doing: string, error: unknown): Error {
  return new Error(`fluvio: ${doing}: ${fluvioErrorText(error)}`);
}
