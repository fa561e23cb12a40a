/**
 * One studio per user: a second launch hands its files to the first and exits.
 */
import { parseFileArgs } from './parseFileArgs.ts';

/** The part of Electron's `app` this module uses. */
export interface SingleInstanceApp {
  requestSingleInstanceLock(): boolean;
  on(event: 'second-instance', listener: (event: unknown, argv: string[], workingDirectory: string) => void): unknown;
  quit(): void;
}

export interface SingleInstanceOptions {
  /** Brings the existing window to the front (restoring it if minimized). */
  focus(): void;
  /** Opens files passed to the second launch. */
  openFiles(paths: string[]): void;
}

/**
 * Takes the single-instance lock. Returns false (and quits) when another instance holds it;
 * otherwise routes later launches to `focus` and `openFiles`.
 */
export function claimSingleInstance(app: SingleInstanceApp, options: SingleInstanceOptions): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', (_event, argv, workingDirectory) => {
    options.focus();
    const files = parseFileArgs(argv, workingDirectory);
    if (files.length > 0) options.openFiles(files);
  });
  return true;
}
