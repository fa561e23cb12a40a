import { describe, expect, it } from 'vitest';
import { closeRuntimeBeforeQuit } from './shutdown.ts';
import type { ShutdownApp } from './shutdown.ts';

function fakeApp() {
  const log: string[] = [];
  let willQuit: ((event: { preventDefault(): void }) => void) | undefined;
  const app: ShutdownApp = {
    on: (_event, listener) => {
      willQuit = listener;
    },
    quit: () => {
      log.push('quit');
      fireWillQuit();
    },
  };
  function fireWillQuit(): void {
    willQuit?.({ preventDefault: () => void log.push('held') });
  }
  return { app, log, fireWillQuit };
}

describe('clean shutdown', () => {
  it('holds the quit until the runtime has closed, then quits for real', async () => {
    const { app, log, fireWillQuit } = fakeApp();
    let finishClose: () => void = () => {};
    closeRuntimeBeforeQuit(app, () => new Promise<void>((resolve) => {
      log.push('closing runtime');
      finishClose = () => (log.push('runtime closed'), resolve());
    }), () => {});
    fireWillQuit();
    fireWillQuit();
    expect(log).toEqual(['held', 'closing runtime', 'held']);
    finishClose();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log).toEqual(['held', 'closing runtime', 'held', 'runtime closed', 'quit']);
  });

  it('still quits when closing the runtime fails, saying why', async () => {
    const { app, log, fireWillQuit } = fakeApp();
    const warnings: string[] = [];
    closeRuntimeBeforeQuit(app, async () => {
      throw new Error('disk full');
    }, (message) => void warnings.push(message));
    fireWillQuit();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log).toEqual(['held', 'quit']);
    expect(warnings).toEqual(['The runtime did not close cleanly: disk full']);
  });
});
