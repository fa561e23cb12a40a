import { useCallback, useMemo } from 'react';
import { useReactFlow } from '@xyflow/react';
import { flowToGraph } from '../../../runtime/flow/flowGraph.ts';
import { runCommand } from '../commands/registry.ts';
import { addAfterSelectionCommand } from '../commands/addAfterSelection.ts';
import { applyLayoutCommand } from '../commands/layoutCommands.ts';
import type { NewStateKind } from '../commands/newStateBody.ts';
import { autoLayout } from '../layout/autoLayout.ts';
import { useDocumentStore } from '../store/useDocument.ts';
import type { StateNode } from './canvasTypes.ts';
import { useShowReadable } from './useShowReadable.ts';
import { describeError } from '../../../runtime/describeError.ts';

/** Canvas operations shared by toolbar buttons, shortcuts, menus and the problems panel. */
export function useCanvasActions() {
  const rf = useReactFlow<StateNode>();
  const store = useDocumentStore();
  const showReadable = useShowReadable();

  const viewCenter = useCallback(() => {
    const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
    if (!pane) return { x: 0, y: 0 };
    const at = rf.screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 });
    return { x: Math.round(at.x - 130), y: Math.round(at.y - 50) };
  }, [rf]);

  const centerOn = useCallback(
    (name: string) => {
      const node = rf.getNode(name);
      const position = node?.position ?? store.getState().positions[name];
      if (!position) return;
      const width = node?.measured?.width ?? 260;
      const height = node?.measured?.height ?? 100;
      void rf.setCenter(position.x + width / 2, position.y + height / 2, { zoom: Math.max(rf.getZoom(), 0.9), duration: 250 });
    },
    [rf, store],
  );

  const runAutoLayout = useCallback(async () => {
    const { flow } = store.getState();
    store.getState().setLayingOut(true);
    try {
      const sizes = new Map(rf.getNodes().flatMap((n) => (n.measured?.width && n.measured.height ? [[n.id, { width: n.measured.width, height: n.measured.height }] as const] : [])));
      const positions = await autoLayout(flowToGraph(flow), sizes);
      if (store.getState().flow !== flow) return; // the flow changed meanwhile: this layout is stale
      // Steps glide to their new places (a transition while the class is on), then the view re-fits.
      const pane = document.querySelector('.react-flow');
      pane?.classList.add('is-laying-out');
      runCommand(store, applyLayoutCommand, { positions });
      setTimeout(() => showReadable(300), 80);
      setTimeout(() => pane?.classList.remove('is-laying-out'), 450);
    } catch (error) {
      store.getState().notify(`Auto-layout failed: ${describeError(error)}`, 'error');
    } finally {
      store.getState().setLayingOut(false);
    }
  }, [rf, store, showReadable]);

  return useMemo(
    () => ({
      viewCenter,
      centerOn,
      autoLayout: runAutoLayout,
      // After the selected step when it simply goes on, else in the middle of the view.
      addAtCenter: (kind: NewStateKind) => runCommand(store, addAfterSelectionCommand, { kind, center: viewCenter() }),
      // Fit view never shrinks text below a readable zoom: a flow too big for that shows its start.
      fit: () => showReadable(250),
      zoomIn: () => void rf.zoomIn({ duration: 150 }),
      zoomOut: () => void rf.zoomOut({ duration: 150 }),
      zoomReset: () => void rf.zoomTo(1, { duration: 150 }),
    }),
    [viewCenter, centerOn, runAutoLayout, store, rf, showReadable],
  );
}
