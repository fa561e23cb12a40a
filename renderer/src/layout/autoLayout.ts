import ELK, { type ElkNode } from 'elkjs/lib/elk-api.js';
import type { FlowGraph } from '../../../runtime/flow/flowGraph.ts';
import type { Positions } from '../store/documentTypes.ts';

/** Node sizes by state name (what the canvas measured); missing ones are estimated. */
export type NodeSizes = ReadonlyMap<string, { width: number; height: number }>;

let elk: InstanceType<typeof ELK> | null = null;

function layoutEngine(): InstanceType<typeof ELK> {
  elk ??= new ELK({ workerFactory: () => new Worker(new URL('./elkWorker.ts', import.meta.url), { type: 'module' }) });
  return elk;
}

/** Estimated size of a node not measured yet (it may be off-screen). */
export function estimatedSize(graphNode: FlowGraph['nodes'][number]): { width: number; height: number } {
  return { width: 260, height: 96 + (graphNode.choices?.length ?? 0) * 30 + (graphNode.kind === 'StartChatSession' ? 30 : 0) };
}

/**
 * Lays the flow out left to right with ELK's layered algorithm, in a Web Worker. A long flow wraps
 * into rows so the result fits a view of `aspectRatio` (width / height). Resolves with a position
 * for every state.
 */
export async function autoLayout(graph: FlowGraph, sizes: NodeSizes, aspectRatio = 1.6): Promise<Positions> {
  const names = new Set(graph.nodes.map((n) => n.id));
  const root: ElkNode = {
    id: '__root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '36',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.wrapping.strategy': 'MULTI_EDGE',
      'elk.aspectRatio': String(aspectRatio),
    },
    children: graph.nodes.map((node) => ({ id: node.id, ...(sizes.get(node.id) ?? estimatedSize(node)) })),
    edges: graph.edges
      .filter((e) => names.has(e.source) && names.has(e.target) && e.source !== e.target)
      .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  const laid = await layoutEngine().layout(root);
  const positions: Positions = {};
  for (const child of laid.children ?? []) positions[child.id] = { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) };
  return positions;
}

/** Width / height of the canvas on screen (what a layout should fill). */
export function canvasAspectRatio(): number {
  const box = document.querySelector('.react-flow')?.getBoundingClientRect();
  return box && box.height > 0 ? box.width / box.height : 1.6;
}
