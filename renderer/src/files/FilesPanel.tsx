import { useEffect, useRef } from 'react';
import { useWorkspace, useWorkspaceStore } from './workspaceContext.ts';

/** The workspace's flows, and the file commands. */
export function FilesPanel() {
  const workspace = useWorkspaceStore();
  const { files, currentRef } = useWorkspace((w) => ({ files: w.files, currentRef: w.current?.document.ref ?? null }));
  const picker = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void workspace.getState().refresh();
  }, [workspace]);

  return (
    <nav className="files" aria-label="Flows">
      <div className="files__head">
        <h2 className="panel-title">Flows</h2>
        <button type="button" className="tone-primary small" onClick={() => void workspace.getState().newFromTemplate()}>+ New</button>
      </div>
      <ul className="files__list">
        {files.map((f) => (
          <li key={f.ref}>
            <button
              type="button"
              className={`files__item${f.ref === currentRef ? ' is-current' : ''}`}
              aria-current={f.ref === currentRef ? 'page' : undefined}
              onClick={() => void workspace.getState().open(f.ref)}
              title={f.ref}
            >
              {f.displayName}
            </button>
          </li>
        ))}
        {files.length === 0 && <li className="files__empty">No flows yet.</li>}
      </ul>
      <div className="files__footer">
        <button type="button" className="small" onClick={() => picker.current?.click()}>Import…</button>
        <input
          ref={picker}
          type="file"
          accept=".json,application/json"
          hidden
          aria-label="Import a flow file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void workspace.getState().importFile(file);
            e.target.value = '';
          }}
        />
        <span className="files__hint">or drop a .json file on the window</span>
      </div>
    </nav>
  );
}
