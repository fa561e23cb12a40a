import { useEffect, useRef } from 'react';
import type { FlowGraph } from '../../../runtime/flow/flowGraph.ts';
import { autoLayout } from '../layout/autoLayout.ts';
import { quickLayout } from '../layout/quickLayout.ts';
import { useDocumentStore } from '../store/useDocument.ts';
import { useShowReadable } from './useShowReadable.ts';
import { describeError } from '../../../runtime/describeError.ts';

/**
 * Frames a flow readably when it opens without a saved viewport. A flow opened without a sidecar
 * gets an instant column layout, then ELK's layered layout from a worker once it is ready (unless
 * the author moved something meanwhile), framed again. Neither layout is an undo step.
 */
export function useInitialLayout(graph: FlowGraph) {
  const store = useDocumentStore();
  const showReadable = useShowReadable();
  const done = useRef(false);
  useEffect(() => {
    if (done.current) return;
    done.current = true;
    const { positions, viewport } = store.getState();
    const frame = () => {
      if (!viewport) showReadable();
    };
    if (graph.nodes.length === 0) return;
    if (Object.keys(positions).length > 0) return frame();
    const quick = quickLayout(graph);
    store.getState().setInitialPositions(quick);
    frame();
    store.getState().setLayingOut(true);
    const finish = () => store.getState().setLayingOut(false);
    autoLayout(graph, new Map())
      .then((laid) => {
        if (store.getState().positions !== quick) return finish();
        store.getState().setInitialPositions(laid);
        // React Flow measures the moved nodes after the next render: frame after that.
        setTimeout(() => {
          frame();
          finish();
        }, 80);
      })
      .catch((error: unknown) => {
        store.getState().notify(`Auto-layout failed: ${describeError(error)}`, 'error');
        finish();
      });
  }, [graph, store, showReadable]);
}
