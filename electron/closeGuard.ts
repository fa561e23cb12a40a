/**
 * Asks before closing a window with unsaved changes (Save / Don't Save / Cancel). The studio reports
 * its dirty state through setDirty; "Save" asks the studio to save and closes once it reports clean.
 */
import { basename } from 'node:path';
import type { MessageBoxOptions } from 'electron';

export type CloseChoice = 'save' | 'discard' | 'cancel';

/** Electron's dialog.showMessageBox, already parented to the window. */
export type ShowMessageBox = (options: MessageBoxOptions) => Promise<{ response: number }>;

const BUTTONS: readonly CloseChoice[] = ['save', 'discard', 'cancel'];

/** Shows the native unsaved-changes prompt for `flowPath` (null: a flow never saved). */
export async function askToSaveChanges(showMessageBox: ShowMessageBox, flowPath: string | null, platform: string): Promise<CloseChoice> {
  const name = flowPath ? basename(flowPath) : 'this new flow';
  const { response } = await showMessageBox({
    type: 'warning',
    message: `Do you want to save the changes you made to ${name}?`,
    detail: 'Your changes will be lost if you don’t save them.',
    buttons: ['Save', platform === 'darwin' ? 'Don’t Save' : 'Don’t save', 'Cancel'],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
  });
  return BUTTONS[response] ?? 'cancel';
}

export interface CloseGuardOptions {
  /** Asks the author what to do with unsaved changes. */
  ask(): Promise<CloseChoice>;
  /** Tells the studio to save (it sends the file.save MenuCommand). */
  requestSave(): void;
  /** Closes the window for real (the guard lets this one through). */
  close(): void;
}

export interface CloseGuard {
  /** The studio's setDirty. */
  setDirty(dirty: boolean): void;
  isDirty(): boolean;
  /** The window's 'close' handler. */
  onClose(event: { preventDefault(): void }): void;
  /** A save ended without saving (dialog cancelled, write failed): the window stays open. */
  saveAborted(): void;
}

/** Creates the guard for one window. */
export function createCloseGuard(options: CloseGuardOptions): CloseGuard {
  let dirty = false;
  let asking = false;
  let closeWhenClean = false;
  let allowClose = false;

  function closeNow(): void {
    allowClose = true;
    options.close();
  }

  return {
    setDirty(next) {
      dirty = next;
      if (!dirty && closeWhenClean) {
        closeWhenClean = false;
        closeNow();
      }
    },
    isDirty: () => dirty,
    onClose(event) {
      if (allowClose || !dirty) return;
      event.preventDefault();
      if (asking || closeWhenClean) return;
      asking = true;
      options.ask().then((choice) => {
        asking = false;
        if (choice === 'discard') closeNow();
        else if (choice === 'save') {
          closeWhenClean = true;
          options.requestSave();
        }
      }, () => {
        asking = false;
      });
    },
    saveAborted() {
      closeWhenClean = false;
    },
  };
}
