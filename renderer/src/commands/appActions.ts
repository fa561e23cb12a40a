import { runCommand } from './registry.ts';
import { copySelectionText, pasteStatesCommand } from './clipboardCommands.ts';
import { deleteStatesCommand, duplicateStatesCommand, setStartCommand } from './stateCommands.ts';
import { deleteSelectionCommand } from './unlinkCommands.ts';
import type { MenuCommand } from '../host/StudioHost.ts';
import type { WorkspaceStore } from '../files/createWorkspaceStore.ts';
import type { DocumentStore } from '../store/createDocumentStore.ts';
import { useStudioUi } from '../store/useStudioUi.ts';
import { useSessions } from '../sessions/useSessions.ts';
import { usePublishDialog } from '../publish/usePublishDialog.ts';
import type { useCanvasActions } from '../canvas/useCanvasActions.ts';

export type CanvasActions = ReturnType<typeof useCanvasActions>;

/** What actions can reach. `document` and `canvas` are null when no flow is open. */
export interface ActionContext {
  workspace: WorkspaceStore;
  document: DocumentStore | null;
  canvas: CanvasActions | null;
}

/** A studio action: one definition for its shortcut, its host menu command and its button. */
export interface AppAction {
  label: string;
  /** e.g. `mod+z` (mod = Ctrl, or Cmd on macOS), `mod+shift+z`, `delete` */
  keys?: string[];
  run(ctx: ActionContext): void;
}

export type ActionName = MenuCommand | 'file.rename' | 'file.delete' | 'edit.duplicate' | 'edit.setStart' | 'view.autoLayout';

/** Text of the selected states for the clipboard, or null. */
export function selectionClipboardText(ctx: ActionContext): string | null {
  const s = ctx.document?.getState();
  return s ? copySelectionText({ flow: s.flow, positions: s.positions, selection: s.selection }) : null;
}

/** Pastes flow JSON into the open flow, in the middle of the view. */
export function pasteText(ctx: ActionContext, text: string) {
  if (!ctx.document) return;
  runCommand(ctx.document, pasteStatesCommand, { text, at: ctx.canvas?.viewCenter() ?? { x: 0, y: 0 } });
}

/** Last copied text, for hosts where the system clipboard cannot be read (menus in a plain browser tab). */
let copiedText: string | null = null;

function copy(ctx: ActionContext): boolean {
  const text = selectionClipboardText(ctx);
  if (!text) return false;
  copiedText = text;
  void navigator.clipboard?.writeText(text).catch(() => undefined);
  return true;
}

const withDocument = (run: (doc: DocumentStore, ctx: ActionContext) => void) => (ctx: ActionContext) => {
  if (ctx.document) run(ctx.document, ctx);
};

/** Every studio action by name (the names are the host's menu commands, plus a few of the studio's own). */
export const ACTIONS: Record<ActionName, AppAction> = {
  'file.new': { label: 'New flow…', run: (ctx) => void ctx.workspace.getState().newFromTemplate() },
  'file.open': { label: 'Open…', keys: ['mod+o'], run: (ctx) => openFromHost(ctx) },
  'file.save': { label: 'Save', keys: ['mod+s'], run: (ctx) => void ctx.workspace.getState().save() },
  'file.saveAs': { label: 'Save as…', keys: ['mod+shift+s'], run: (ctx) => void ctx.workspace.getState().saveAs() },
  'file.export': { label: 'Export', keys: ['mod+e'], run: (ctx) => ctx.workspace.getState().exportCurrent() },
  'file.publish': { label: 'Publish…', run: withDocument((doc) => usePublishDialog.getState().show(doc)) },
  'file.close': { label: 'Close', run: (ctx) => void ctx.workspace.getState().close() },
  'file.rename': { label: 'Rename…', run: (ctx) => void ctx.workspace.getState().rename() },
  'file.delete': { label: 'Delete file…', run: (ctx) => void ctx.workspace.getState().remove() },
  'edit.undo': { label: 'Undo', keys: ['mod+z'], run: withDocument((doc) => doc.getState().undo()) },
  'edit.redo': { label: 'Redo', keys: ['mod+shift+z', 'mod+y'], run: withDocument((doc) => doc.getState().redo()) },
  'edit.copy': { label: 'Copy', run: (ctx) => void copy(ctx) },
  'edit.cut': { label: 'Cut', run: withDocument((doc, ctx) => copy(ctx) && runCommand(doc, deleteStatesCommand, {})) },
  'edit.paste': {
    label: 'Paste',
    run: (ctx) => {
      const fallback = () => copiedText && pasteText(ctx, copiedText);
      if (!navigator.clipboard?.readText) return void fallback();
      navigator.clipboard.readText().then((text) => (text ? pasteText(ctx, text) : fallback()), fallback);
    },
  },
  'edit.delete': { label: 'Delete', keys: ['delete', 'backspace'], run: withDocument((doc) => runCommand(doc, deleteSelectionCommand, { links: doc.getState().selectedLinks })) },
  'edit.selectAll': { label: 'Select all', keys: ['mod+a'], run: withDocument((doc) => doc.getState().setSelection(doc.getState().flow.states.map((s) => s.name))) },
  'edit.find': { label: 'Find', keys: ['mod+f'], run: () => useStudioUi.getState().setSearchOpen(true) },
  'edit.duplicate': { label: 'Duplicate', keys: ['mod+d'], run: withDocument((doc) => runCommand(doc, duplicateStatesCommand, {})) },
  'edit.setStart': {
    label: 'Set as start',
    run: withDocument((doc) => {
      const [name] = doc.getState().selection;
      if (name) runCommand(doc, setStartCommand, { name });
    }),
  },
  'view.fit': { label: 'Fit view', keys: ['shift+1'], run: (ctx) => ctx.canvas?.fit() },
  'view.zoomIn': { label: 'Zoom in', keys: ['mod+=', 'mod++'], run: (ctx) => ctx.canvas?.zoomIn() },
  'view.zoomOut': { label: 'Zoom out', keys: ['mod+-'], run: (ctx) => ctx.canvas?.zoomOut() },
  'view.zoomReset': { label: 'Actual size', keys: ['mod+0'], run: (ctx) => ctx.canvas?.zoomReset() },
  'view.autoLayout': { label: 'Auto-layout', keys: ['mod+shift+l'], run: (ctx) => void ctx.canvas?.autoLayout() },
  'view.toggleJson': { label: 'Show/hide JSON', keys: ['mod+j'], run: () => useStudioUi.getState().toggleRightTab('json') },
  'view.togglePreview': { label: 'Show/hide preview', run: () => useStudioUi.getState().toggleRightTab('preview') },
  'view.toggleSessions': { label: 'Sessions', keys: ['mod+shift+h'], run: () => useSessions.getState().toggle() },
  'help.about': { label: 'About', run: (ctx) => ctx.workspace.getState().notify('Bot Assistant Studio: design chat-bot flows visually.') },
  'help.docs': {
    label: 'Keyboard shortcuts',
    run: (ctx) =>
      void ctx.workspace.getState().ask({
        title: 'Keyboard shortcuts',
        message: Object.values(ACTIONS)
          .filter((a) => a.keys)
          .map((a) => `${a.label}: ${a.keys!.join(' or ')}`)
          .join(' · '),
        buttons: [{ id: 'ok', label: 'OK', tone: 'primary' }],
      }),
  },
};

function openFromHost(ctx: ActionContext) {
  const workspace = ctx.workspace.getState();
  void workspace.host.showOpenDialog().then((ref) => {
    if (ref) void workspace.open(ref);
    else document.querySelector<HTMLElement>('.files__item')?.focus();
  });
}

/** The action a key press asks for, if any. */
export function actionForKey(event: KeyboardEvent): ActionName | null {
  const parts: string[] = [];
  if (event.ctrlKey || event.metaKey) parts.push('mod');
  if (event.shiftKey) parts.push('shift');
  if (event.altKey) parts.push('alt');
  const key = event.key === '!' && event.shiftKey ? '1' : event.key.toLowerCase();
  const combo = [...parts, key].join('+');
  for (const [name, action] of Object.entries(ACTIONS) as [ActionName, AppAction][]) {
    if (action.keys?.includes(combo)) return name;
  }
  return null;
}
