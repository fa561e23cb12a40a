import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { CHAT_HANDLE, NEXT_HANDLE, type FlowGraph, type GraphNode } from '../../../runtime/flow/flowGraph.ts';
import { TARGET_HANDLE } from '../canvas/canvasTypes.ts';

/** Node sizes by state name (what the canvas measured); missing ones are estimated. */
export type NodeSizes = ReadonlyMap<string, { width: number; height: number }>;

/** Estimated size of a node not measured yet (it may be off-screen); matches `.state-node` in studio.css. */
export function estimatedSize(node: GraphNode): { width: number; height: number } {
  const rows = (node.choices?.length ?? 0) + (node.kind === 'StartChatSession' ? 1 : 0);
  return { width: 242, height: 92 + rows * 30 + (rows > 0 ? 6 : 0) };
}

const portId = (node: string, handle: string) => `${node}\u0000${handle}`;

/**
 * The flow as an ELK graph for a left-to-right layered layout. Every link is a layering edge
 * (`next` and answer links alike), leaving from a port per handle in the order the node shows
 * them (choices top to bottom, then the chat, then "then"), so ELK keeps a question's answers in
 * the order of its choices and their links do not cross. Self-links are left out (they do not
 * affect layering).
 */
export function layeredGraph(graph: FlowGraph, sizes: NodeSizes): ElkNode {
  const names = new Set(graph.nodes.map((n) => n.id));
  return {
    id: '__root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '36',
      'elk.spacing.edgeNode': '24',
      'elk.layered.spacing.nodeNodeBetweenLayers': '80',
      'elk.layered.spacing.edgeNodeBetweenLayers': '24',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.crossingMinimization.forceNodeModelOrder': 'false',
      // a state as early as its links allow: a question's answers share the column after it
      'elk.layered.layering.strategy': 'LONGEST_PATH_SOURCE',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
      'elk.separateConnectedComponents': 'false',
    },
    children: graph.nodes.map((node) => {
      const handles = [...(node.choices ?? []).map((c) => c.handleId), ...(node.kind === 'StartChatSession' ? [CHAT_HANDLE] : []), NEXT_HANDLE];
      return {
        id: node.id,
        ...(sizes.get(node.id) ?? estimatedSize(node)),
        layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
        ports: [
          // ELK orders ports clockwise from the top-left: the east side runs top to bottom.
          ...handles.map((handle, index) => ({ id: portId(node.id, handle), width: 1, height: 1, layoutOptions: { 'elk.port.side': 'EAST', 'elk.port.index': String(index) } })),
          { id: portId(node.id, TARGET_HANDLE), width: 1, height: 1, layoutOptions: { 'elk.port.side': 'WEST', 'elk.port.index': String(handles.length) } },
        ],
      };
    }),
    edges: graph.edges
      .filter((e) => names.has(e.source) && names.has(e.target) && e.source !== e.target)
      .map((e) => ({ id: e.id, sources: [portId(e.source, e.sourceHandle ?? NEXT_HANDLE)], targets: [portId(e.target, TARGET_HANDLE)] })),
  };
}
