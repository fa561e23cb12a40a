import { useState } from 'react';
import type { StudioHost } from './host/studioHost.ts';
import { createWorkspaceStore } from './files/createWorkspaceStore.ts';
import { WorkspaceContext } from './files/workspaceContext.ts';
import { StudioShell } from './workbench/StudioShell.tsx';

/** The studio: one workspace (files, dialogs) around the open document. Composition only. */
export function App({ host }: { host: StudioHost }) {
  const [workspace] = useState(() => createWorkspaceStore(host));
  return (
    <WorkspaceContext.Provider value={workspace}>
      <StudioShell />
    </WorkspaceContext.Provider>
  );
}
