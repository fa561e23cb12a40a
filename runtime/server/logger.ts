/**
 * The logging port the runtime writes to. Services take one; the CLI passes a console logger,
 * tests a silent or collecting one.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Writes `info` to stdout and `warn`/`error` to stderr, one line each. */
export const consoleLogger: Logger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};

/** Drops everything (the default for embedded use, where the host decides what to show). */
export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  error: () => {},
};
