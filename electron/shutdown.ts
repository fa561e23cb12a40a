/**
 * Clean shutdown: the embedded runtime is closed (its stream flushed to disk) before the app exits.
 */
import { describeError } from '../runtime/describeError.ts';

/** The part of Electron's `app` this module uses. */
export interface ShutdownApp {
  on(event: 'will-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

/**
 * Holds the quit until `closeRuntime` settles, then quits for real. It hooks 'will-quit' rather than
 * 'before-quit': that one fires before the windows close, and a window with unsaved changes may still
 * cancel the quit, which must not leave the studio running without its runtime.
 */
export function closeRuntimeBeforeQuit(app: ShutdownApp, closeRuntime: () => Promise<void>, warn: (message: string) => void): void {
  let state: 'running' | 'closing' | 'closed' = 'running';
  app.on('will-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    closeRuntime()
      .catch((error: unknown) => warn(`The runtime did not close cleanly: ${describeError(error)}`))
      .finally(() => {
        state = 'closed';
        app.quit();
      });
  });
}
