import { useEffect, useMemo } from 'react';
import { FlowCanvas } from '../canvas/FlowCanvas.tsx';
import { useCanvasActions } from '../canvas/useCanvasActions.ts';
import { useShortcuts } from '../commands/useShortcuts.ts';
import { useWorkspaceStore } from '../files/workspaceContext.ts';
import { Inspector } from '../inspector/Inspector.tsx';
import { usePreviewSync } from '../preview/usePreviewSync.ts';
import { ProblemsPanel } from '../problems/ProblemsPanel.tsx';
import { SessionsPanel } from '../sessions/SessionsPanel.tsx';
import { useSessions } from '../sessions/useSessions.ts';
import { useDocument, useDocumentStore } from '../store/useDocument.ts';
import { useTestRunner } from '../tests-panel/useTestRunner.ts';
import { RightColumn } from './RightColumn.tsx';
import { Toast } from './Toast.tsx';
import { TopBar } from './TopBar.tsx';

/** One open flow in three panes: canvas; inspector and problems; JSON or live preview (tabs). */
export function DocumentView() {
  const workspace = useWorkspaceStore();
  const document = useDocumentStore();
  const canvas = useCanvasActions();
  const ctx = useMemo(() => ({ workspace, document, canvas }), [workspace, document, canvas]);
  useShortcuts(ctx);
  usePreviewSync();
  useTestRunner();
  const { notice, dirty } = useDocument((s) => ({ notice: s.notice, dirty: s.text !== s.savedText || s.positions !== s.savedPositions }));
  const sessionsOpen = useSessions((s) => s.open);

  useEffect(() => workspace.getState().host.setDirty(dirty), [workspace, dirty]);

  return (
    <div className="workbench">
      <TopBar ctx={ctx} />
      <div className="panes">
        <FlowCanvas />
        <aside className="side">
          <Inspector />
          <ProblemsPanel onShowState={canvas.centerOn} />
        </aside>
        <RightColumn />
      </div>
      {sessionsOpen && <SessionsPanel />}
      <Toast notice={notice} />
    </div>
  );
}
