/**
 * What each studio action does. Names, labels and keys come from the one action table
 * (runtime/contract/studioActions.ts, which also builds the native menu); this adds the `run`
 * of each, over the workspace, the open document and the canvas, and finds the action a key asks for.
 */
import { runCommand } from './registry.ts';
import { copySelectionText, pasteStatesCommand } from './clipboardCommands.ts';
import { deleteStatesCommand, duplicateStatesCommand, setStartCommand } from './stateCommands.ts';
import { deleteSelectionCommand } from './unlinkCommands.ts';
import { keyOfEvent, keysOn, STUDIO_ACTIONS, type StudioActionName, type StudioActionSpec } from '../../../runtime/contract/studioActions.ts';
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

/** A studio action: its entry in the one action table (label, keys) plus what it does. */
export interface AppAction extends StudioActionSpec {
  run(ctx: ActionContext): void;
}

export type ActionName = StudioActionName;

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
const RUNS: Record<ActionName, AppAction['run']> = {
  'file.new': (ctx) => void ctx.workspace.getState().newFromTemplate(),
  'file.open': (ctx) => openFromHost(ctx),
  'file.save': (ctx) => void ctx.workspace.getState().save(),
  'file.saveAs': (ctx) => void ctx.workspace.getState().saveAs(),
  'file.export': (ctx) => ctx.workspace.getState().exportCurrent(),
  'file.publish': withDocument((doc) => usePublishDialog.getState().show(doc)),
  'file.close': (ctx) => void ctx.workspace.getState().close(),
  'file.rename': (ctx) => void ctx.workspace.getState().rename(),
  'file.delete': (ctx) => void ctx.workspace.getState().remove(),
  'edit.undo': withDocument((doc) => doc.getState().undo()),
  'edit.redo': withDocument((doc) => doc.getState().redo()),
  'edit.copy': (ctx) => void copy(ctx),
  'edit.cut': withDocument((doc, ctx) => copy(ctx) && runCommand(doc, deleteStatesCommand, {})),
  'edit.paste': (ctx) => {
    const fallback = () => copiedText && pasteText(ctx, copiedText);
    if (!navigator.clipboard?.readText) return void fallback();
    navigator.clipboard.readText().then((text) => (text ? pasteText(ctx, text) : fallback()), fallback);
  },
  'edit.delete': withDocument((doc) => runCommand(doc, deleteSelectionCommand, { links: doc.getState().selectedLinks })),
  'edit.selectAll': withDocument((doc) => doc.getState().setSelection(doc.getState().flow.states.map((s) => s.name))),
  'edit.find': () => useStudioUi.getState().setSearchOpen(true),
  'edit.duplicate': withDocument((doc) => runCommand(doc, duplicateStatesCommand, {})),
  'edit.setStart': withDocument((doc) => {
    const [name] = doc.getState().selection;
    if (name) runCommand(doc, setStartCommand, { name });
  }),
  'view.fit': (ctx) => ctx.canvas?.fit(),
  'view.zoomIn': (ctx) => ctx.canvas?.zoomIn(),
  'view.zoomOut': (ctx) => ctx.canvas?.zoomOut(),
  'view.zoomReset': (ctx) => ctx.canvas?.zoomReset(),
  'view.autoLayout': (ctx) => void ctx.canvas?.autoLayout(),
  'view.toggleJson': () => useStudioUi.getState().toggleRightTab('json'),
  'view.togglePreview': () => useStudioUi.getState().toggleRightTab('preview'),
  'view.toggleSessions': () => useSessions.getState().toggle(),
  'help.about': (ctx) => ctx.workspace.getState().notify('Bot Assistant Studio: design chat-bot flows visually.'),
  'help.docs': () => useStudioUi.getState().setShortcutsOpen(true),
};

/** Every studio action by name: the table's label and keys with what the action does. */
export const ACTIONS = Object.fromEntries(
  (Object.keys(RUNS) as ActionName[]).map((name) => [name, { ...STUDIO_ACTIONS[name], run: RUNS[name] }]),
) as Record<ActionName, AppAction>;

function openFromHost(ctx: ActionContext) {
  const workspace = ctx.workspace.getState();
  void workspace.host.showOpenDialog().then((ref) => {
    if (ref) void workspace.open(ref);
    else document.querySelector<HTMLElement>('.files__item')?.focus();
  });
}

/** The action a key press asks for on this platform, if any (clipboard keys are left to the clipboard events). */
export function actionForKey(event: KeyboardEvent, platform: string): ActionName | null {
  const combo = keyOfEvent(event);
  for (const name of Object.keys(ACTIONS) as ActionName[]) {
    if (!ACTIONS[name].viaClipboard && keysOn(name, platform).includes(combo)) return name;
  }
  return null;
}
