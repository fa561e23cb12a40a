import { useShortcuts } from '../commands/useShortcuts.ts';
import { useWorkspace, useWorkspaceStore } from '../files/workspaceContext.ts';
import { Toast } from './Toast.tsx';

/** Shown when no flow is open. */
export function Welcome() {
  const workspace = useWorkspaceStore();
  const notice = useWorkspace((w) => w.notice);
  useShortcuts({ workspace, document: null, canvas: null });
  return (
    <main className="welcome">
      <div className="welcome__card">
        <h1>Bot Assistant Studio</h1>
        <p>Design what your website's chat assistant says and how it answers: pick a flow on the left, or start a new one.</p>
        <button type="button" className="tone-primary" onClick={() => void workspace.getState().newFromTemplate()}>+ New flow</button>
      </div>
      <Toast notice={notice} />
    </main>
  );
}
