import { useCallback, useEffect, useState, type DragEvent } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { ShortcutsDialog } from '../commands/ShortcutsDialog.tsx';
import { DialogHost } from '../files/DialogHost.tsx';
import { FilesPanel } from '../files/FilesPanel.tsx';
import { PublishDialogHost } from '../publish/PublishDialog.tsx';
import { useWorkspace, useWorkspaceStore } from '../files/workspaceContext.ts';
import { DocumentProvider } from '../store/DocumentProvider.tsx';
import type { DocumentStore } from '../store/createDocumentStore.ts';
import { useStudioUi } from '../store/useStudioUi.ts';
import { LivePanel } from '../live/LivePanel.tsx';
import { DocumentView } from './DocumentView.tsx';
import { Welcome } from './Welcome.tsx';
import './skipLink.css';
import './narrow.css';

const hasFiles = (e: DragEvent) => e.dataTransfer.types.includes('Files');

/**
 * The studio window: the flows list, the open flow (or a welcome), dialogs, and import by dropping
 * a JSON file anywhere. The flows list folds away while a flow is open (the top bar brings it back). The open file is kept in the address (`#flow=…`), so a reload reopens it.
 */
export function StudioShell() {
  const workspace = useWorkspaceStore();
  const current = useWorkspace((w) => w.current);
  const [dropping, setDropping] = useState(false);
  const filesOpen = useStudioUi((s) => s.filesOpen) || !current;
  const onStore = useCallback((store: DocumentStore | null) => workspace.getState().setDocumentStore(store), [workspace]);

  useEffect(() => {
    const ref = new URLSearchParams(location.hash.slice(1)).get('flow');
    if (ref) void workspace.getState().open(ref);
  }, [workspace]);

  useEffect(() => {
    const ref = current?.document.ref;
    const hash = ref ? `#flow=${encodeURIComponent(ref)}` : '';
    if (location.hash !== hash) history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
  }, [current]);

  return (
    <div
      className={`studio${dropping ? ' is-dropping' : ''}${filesOpen ? '' : ' files-closed'}`}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDropping(true);
      }}
      onDragLeave={(e) => e.currentTarget === e.target && setDropping(false)}
      onDrop={(e) => {
        setDropping(false);
        const file = e.dataTransfer.files[0];
        if (!file) return;
        e.preventDefault();
        void workspace.getState().importFile(file);
      }}
    >
      {current && (
        <a className="skip-link" href="#flow-canvas" onClick={(e) => {
          e.preventDefault();
          skipToCanvas();
        }}>
          Skip to the canvas
        </a>
      )}
      {filesOpen && <FilesPanel />}
      {current ? (
        <ReactFlowProvider key={current.key}>
          <DocumentProvider key={current.key} document={current.document} onStore={onStore}>
            <DocumentView />
          </DocumentProvider>
        </ReactFlowProvider>
      ) : (
        <Welcome />
      )}
      {dropping && <div className="drop-overlay">Drop a flow file to import it</div>}
      <DialogHost />
      <ShortcutsDialog desktop={workspace.getState().host.kind === 'desktop'} />
      <PublishDialogHost />
      <LivePanel />
    </div>
  );
}

/** The skip link's target: the flow's first step, or the canvas itself when it has none. */
function skipToCanvas() {
  const target = document.querySelector<HTMLElement>('#flow-canvas .react-flow__node[tabindex]') ?? document.getElementById('flow-canvas');
  target?.focus();
}
