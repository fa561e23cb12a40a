import type { MessageBoxOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { askToSaveChanges, createCloseGuard } from './closeGuard.ts';
import type { CloseChoice } from './closeGuard.ts';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(choice: CloseChoice) {
  const log: string[] = [];
  const guard = createCloseGuard({
    ask: async () => (log.push('ask'), choice),
    requestSave: () => void log.push('save'),
    close: () => {
      log.push('close');
      guard.onClose(closeEvent());
    },
  });
  const closeEvent = () => ({ preventDefault: () => void log.push('prevented') });
  return { guard, log, closeEvent };
}

describe('unsaved-changes prompt', () => {
  it('asks Save / Don’t Save / Cancel about the named flow and maps the answer', async () => {
    const shown: MessageBoxOptions[] = [];
    const answer = (response: number) => (options: MessageBoxOptions) => (shown.push(options), Promise.resolve({ response }));
    expect(await askToSaveChanges(answer(0), '/f/bot.json', 'darwin')).toBe('save');
    expect(await askToSaveChanges(answer(1), '/f/bot.json', 'linux')).toBe('discard');
    expect(await askToSaveChanges(answer(2), null, 'win32')).toBe('cancel');
    expect(shown[0]).toMatchObject({ message: 'Do you want to save the changes you made to bot.json?', buttons: ['Save', 'Don’t Save', 'Cancel'], cancelId: 2, defaultId: 0 });
    expect(shown[2].message).toBe('Do you want to save the changes you made to this new flow?');
  });
});

describe('close guard', () => {
  it('lets a clean window close without asking', () => {
    const { guard, log, closeEvent } = setup('cancel');
    guard.onClose(closeEvent());
    expect(log).toEqual([]);
  });

  it('keeps the window open on Cancel', async () => {
    const { guard, log, closeEvent } = setup('cancel');
    guard.setDirty(true);
    guard.onClose(closeEvent());
    await flush();
    expect(log).toEqual(['prevented', 'ask']);
  });

  it("closes on Don't Save", async () => {
    const { guard, log, closeEvent } = setup('discard');
    guard.setDirty(true);
    guard.onClose(closeEvent());
    await flush();
    expect(log).toEqual(['prevented', 'ask', 'close']);
  });

  it('on Save asks the studio to save and closes once it reports clean', async () => {
    const { guard, log, closeEvent } = setup('save');
    guard.setDirty(true);
    guard.onClose(closeEvent());
    await flush();
    expect(log).toEqual(['prevented', 'ask', 'save']);
    guard.setDirty(false);
    expect(log).toEqual(['prevented', 'ask', 'save', 'close']);
  });

  it('stays open when the save is aborted, and does not close on a later save', async () => {
    const { guard, log, closeEvent } = setup('save');
    guard.setDirty(true);
    guard.onClose(closeEvent());
    await flush();
    guard.saveAborted();
    guard.setDirty(false);
    expect(log).toEqual(['prevented', 'ask', 'save']);
  });

  it('asks once even if close is requested again while the prompt is up', async () => {
    const { guard, log, closeEvent } = setup('cancel');
    guard.setDirty(true);
    guard.onClose(closeEvent());
    guard.onClose(closeEvent());
    await flush();
    expect(log).toEqual(['prevented', 'ask', 'prevented']);
  });
});
