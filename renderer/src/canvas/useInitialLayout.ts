import { useEffect, useRef } from 'react';
import { useReactFlow } from '@xyflow/react';
import type { FlowGraph } from '../../../runtime/flow/flowGraph.ts';
import { autoLayout, canvasAspectRatio } from '../layout/autoLayout.ts';
import { quickLayout } from '../layout/quickLayout.ts';
import { useDocumentStore } from '../store/useDocument.ts';
import { fitOptions } from './fitOptions.ts';

/**
 * A flow opened without a sidecar gets an instant column layout, then ELK's layered layout from a
 * worker once it is ready (unless the author moved something meanwhile). Neither is an undo step.
 */
export function useInitialLayout(graph: FlowGraph) {
  const store = useDocumentStore();
  const rf = useReactFlow();
  const done = useRef(false);
  useEffect(() => {
    if (done.current) return;
    done.current = true;
    const { positions } = store.getState();
    if (graph.nodes.length === 0 || Object.keys(positions).length > 0) return;
    const quick = quickLayout(graph);
    store.getState().setInitialPositions(quick);
    store.getState().setLayingOut(true);
    const finish = () => store.getState().setLayingOut(false);
    autoLayout(graph, new Map(), canvasAspectRatio())
      .then((laid) => {
        if (store.getState().positions !== quick) return finish();
        store.getState().setInitialPositions(laid);
        // React Flow sees the new positions after the next render: fit after that.
        setTimeout(() => {
          void rf.fitView(fitOptions(graph.nodes.length, graph.nodes[0]?.id));
          finish();
        }, 80);
      })
      .catch((error: unknown) => {
        store.getState().notify(`Auto-layout failed: ${error instanceof Error ? error.message : String(error)}`, 'error');
        finish();
      });
  }, [graph, rf, store]);
}
