import type { ReactNode } from 'react';
import { ACTIONS, type ActionContext, type ActionName } from '../commands/appActions.ts';
import { studioPlatform } from '../commands/platform.ts';
import { displayKey, keysOn } from '../../../runtime/contract/studioActions.ts';
import { useDocument } from '../store/useDocument.ts';
import { useStudioUi } from '../store/useStudioUi.ts';
import { useSessions } from '../sessions/useSessions.ts';
import { TestsButton } from '../tests-panel/TestsButton.tsx';
import { LiveButton } from '../live/LiveButton.tsx';

interface Props {
  ctx: ActionContext;
}

/** The key an action's tooltip shows, as this platform writes it. */
function shownKey(name: ActionName): string {
  const platform = studioPlatform();
  const [key] = keysOn(name, platform);
  return key ? displayKey(key, platform) : '';
}

/** A top-bar button for an action; `busyText` replaces its text and name while the action runs (a name must contain the visible text). */
function ActionButton({ ctx, name, children, disabled, className, busyText }: { ctx: ActionContext; name: ActionName; children: ReactNode; disabled?: boolean; className?: string; busyText?: string }) {
  const action = ACTIONS[name];
  const keys = shownKey(name);
  return (
    <button type="button" className={className} title={keys ? `${action.label} (${keys})` : action.label} aria-label={busyText ?? action.label} disabled={disabled} onClick={() => action.run(ctx)}>
      {children}
    </button>
  );
}

/** The open file's name and dirty marker, and the commands authors use most. */
export function TopBar({ ctx }: Props) {
  const { name, dirty, canUndo, canRedo, undoLabel, redoLabel, layingOut, hasRef } = useDocument((s) => ({
    name: s.displayName,
    dirty: s.text !== s.savedText || s.positions !== s.savedPositions,
    canUndo: s.past.length > 0,
    canRedo: s.future.length > 0,
    undoLabel: s.past.at(-1)?.label,
    redoLabel: s.future.at(-1)?.label,
    layingOut: s.layingOut,
    hasRef: s.ref !== null,
  }));
  const jsonShown = useStudioUi((s) => s.rightOpen && s.rightTab === 'json');
  const filesOpen = useStudioUi((s) => s.filesOpen);
  const sessionsOpen = useSessions((s) => s.open);
  return (
    <header className="topbar">
      <button type="button" className={`topbar__flows${filesOpen ? ' is-on' : ''}`} aria-expanded={filesOpen} aria-label="Flows list" title="Show or hide the flows list" onClick={() => useStudioUi.getState().setFilesOpen(!filesOpen)}>
        ☰<span className="topbar__flows-word"> Flows</span>
      </button>
      <div className="topbar__file">
        <span className="topbar__name" data-testid="document-name">{name}</span>
        {dirty && <span className="topbar__dirty" title="Unsaved changes" aria-label="Unsaved changes">●</span>}
      </div>
      <div className="topbar__group" role="toolbar" aria-label="File">
        <ActionButton ctx={ctx} name="file.save" className="tone-primary">Save</ActionButton>
        <ActionButton ctx={ctx} name="file.saveAs">Save as…</ActionButton>
        <ActionButton ctx={ctx} name="file.rename" disabled={!hasRef}>Rename…</ActionButton>
        <ActionButton ctx={ctx} name="file.export">Export</ActionButton>
        <ActionButton ctx={ctx} name="file.publish">Publish…</ActionButton>
        <ActionButton ctx={ctx} name="file.delete" disabled={!hasRef} className="danger-text">Delete…</ActionButton>
      </div>
      <div className="topbar__group" role="toolbar" aria-label="Edit">
        <button type="button" title={`Undo${undoLabel ? ` ${undoLabel}` : ''} (${shownKey('edit.undo')})`} aria-label="Undo" disabled={!canUndo} onClick={() => ACTIONS['edit.undo'].run(ctx)}>↶</button>
        <button type="button" title={`Redo${redoLabel ? ` ${redoLabel}` : ''} (${shownKey('edit.redo')})`} aria-label="Redo" disabled={!canRedo} onClick={() => ACTIONS['edit.redo'].run(ctx)}>↷</button>
        <ActionButton ctx={ctx} name="edit.find">Find</ActionButton>
        <ActionButton ctx={ctx} name="view.autoLayout" disabled={layingOut} busyText={layingOut ? 'Laying out…' : undefined}>{layingOut ? 'Laying out…' : 'Auto-layout'}</ActionButton>
        <ActionButton ctx={ctx} name="view.toggleJson" className={jsonShown ? 'is-on' : undefined}>{'{ } JSON'}</ActionButton>
        <ActionButton ctx={ctx} name="view.toggleSessions" className={sessionsOpen ? 'is-on' : undefined}>Sessions</ActionButton>
        <LiveButton />
        <TestsButton />
        <ActionButton ctx={ctx} name="help.docs">?</ActionButton>
      </div>
    </header>
  );
}
