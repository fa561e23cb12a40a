/**
 * The question the studio asks when a save was refused because the file changed on disk since it
 * was opened (another window, another program, a teammate's sync): lose nothing without asking.
 */
import type { DialogAnswer, DialogRequest } from './dialogTypes.ts';

/** What the author chose: reload the file from disk, overwrite it, save the edits elsewhere, or nothing yet. */
export type ConflictChoice = 'reload' | 'overwrite' | 'saveAs' | 'cancel';

export async function askSaveConflict(
  ask: (request: Omit<DialogRequest, 'resolve'>) => Promise<DialogAnswer | null>,
  displayName: string,
  existsOnDisk: boolean,
): Promise<ConflictChoice> {
  const answer = await ask(
    existsOnDisk
      ? {
          title: 'This flow changed on disk',
          message: `"${displayName}" was changed outside this window since you opened it. Reload it (your unsaved edits are discarded), overwrite those changes with yours, or save your edits as another file.`,
          buttons: [
            { id: 'cancel', label: 'Cancel' },
            { id: 'reload', label: 'Reload', tone: 'danger' },
            { id: 'saveAs', label: 'Save as…' },
            { id: 'overwrite', label: 'Overwrite', tone: 'primary' },
          ],
        }
      : {
          title: 'This flow was deleted on disk',
          message: `"${displayName}" was deleted or moved outside this window since you opened it. Save it again under its name, or save your edits as another file.`,
          buttons: [
            { id: 'cancel', label: 'Cancel' },
            { id: 'saveAs', label: 'Save as…' },
            { id: 'overwrite', label: 'Save again', tone: 'primary' },
          ],
        },
  );
  const button = answer?.button;
  return button === 'reload' || button === 'overwrite' || button === 'saveAs' ? button : 'cancel';
}
