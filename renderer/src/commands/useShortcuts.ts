import { useEffect, useRef } from 'react';
import { studioPlatform } from './platform.ts';
import { rescueFocus } from '../canvas/rescueFocus.ts';
import { isModalOpen } from '../workbench/useModal.ts';
import { ACTIONS, actionForKey, pasteText, selectionClipboardText, type ActionContext, type ActionName } from './appActions.ts';

/**
 * Actions that still apply while the author types in a form field (not in the JSON editor): the
 * ones whose keys mean nothing to a text box (Find must not leave its keys to the field).
 */
const IN_FIELDS: readonly ActionName[] = [
  'file.save', 'file.saveAs', 'file.export', 'edit.undo', 'edit.redo', 'edit.find',
  'view.toggleJson', 'view.togglePreview', 'view.toggleSessions', 'help.docs',
];
/** Actions that apply even inside the JSON editor (it has its own undo, find and clipboard). */
const IN_EDITOR: readonly ActionName[] = ['file.save', 'file.saveAs', 'file.export'];

function typingPlace(target: EventTarget | null): 'editor' | 'field' | null {
  if (!(target instanceof Element)) return null;
  if (target.closest('.monaco-editor')) return 'editor';
  if (target.closest('input, textarea, select, [contenteditable="true"]')) return 'field';
  return null;
}

/**
 * Wires the keyboard, the clipboard and the host's menus to the one action registry. Copy, cut and
 * paste use the system clipboard's own events, so states travel between flows (and windows) as JSON.
 */
export function useShortcuts(ctx: ActionContext) {
  const current = useRef(ctx);
  current.current = ctx;

  useEffect(() => {
    const run = (name: ActionName) => ACTIONS[name].run(current.current);

    const platform = studioPlatform();
    const onKey = (event: KeyboardEvent) => {
      const name = actionForKey(event, platform);
      if (!name) return;
      // A modal dialog has the keyboard: the studio behind it takes no commands.
      if (isModalOpen()) return;
      const place = typingPlace(event.target);
      if (place === 'editor' && !IN_EDITOR.includes(name)) return;
      if (place === 'field' && !IN_FIELDS.includes(name)) return;
      event.preventDefault();
      const from = document.activeElement;
      run(name);
      // A deleted or replaced step took the focus with it: back onto the canvas.
      if (from?.closest('#flow-canvas')) rescueFocus();
    };
    const onCopy = (event: ClipboardEvent) => {
      if (typingPlace(event.target) || window.getSelection()?.toString()) return;
      const text = selectionClipboardText(current.current);
      if (!text || !event.clipboardData) return;
      event.clipboardData.setData('text/plain', text);
      event.preventDefault();
      if (event.type === 'cut') run('edit.delete');
    };
    const onPaste = (event: ClipboardEvent) => {
      if (typingPlace(event.target)) return;
      const text = event.clipboardData?.getData('text/plain');
      if (!text) return;
      event.preventDefault();
      pasteText(current.current, text);
    };
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (current.current.document?.getState().isDirty()) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCopy);
    document.addEventListener('paste', onPaste);
    window.addEventListener('beforeunload', onBeforeUnload);
    const unsubscribe = current.current.workspace.getState().host.onMenuCommand((command) => run(command));
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCopy);
      document.removeEventListener('paste', onPaste);
      window.removeEventListener('beforeunload', onBeforeUnload);
      unsubscribe();
    };
  }, []);
}
