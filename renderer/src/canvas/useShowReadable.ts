import { useCallback } from 'react';
import { useReactFlow } from '@xyflow/react';
import { flowToGraph } from '../../../runtime/flow/flowGraph.ts';
import { estimatedSize } from '../layout/layeredGraph.ts';
import { useDocumentStore } from '../store/useDocument.ts';
import type { StateNode } from './canvasTypes.ts';
import { readableViewport, type Box } from './readableViewport.ts';

/**
 * Returns a function that frames the flow readably (see `readableViewport`) from the document's
 * positions and the nodes' measured sizes (estimated for nodes not rendered yet).
 */
export function useShowReadable() {
  const rf = useReactFlow<StateNode>();
  const store = useDocumentStore();
  return useCallback(
    (duration = 0) => {
      const element = document.querySelector('.react-flow');
      if (!element) return;
      const { flow, positions } = store.getState();
      const boxes = new Map<string, Box>();
      for (const node of flowToGraph(flow).nodes) {
        const at = positions[node.id];
        if (!at) continue;
        const measured = rf.getNode(node.id)?.measured;
        const size = measured?.width && measured.height ? { width: measured.width, height: measured.height } : estimatedSize(node);
        boxes.set(node.id, { ...at, ...size });
      }
      const { width, height } = element.getBoundingClientRect();
      void rf.setViewport(readableViewport(boxes, { width, height }, flow.states[0]?.name), { duration });
    },
    [rf, store],
  );
}
