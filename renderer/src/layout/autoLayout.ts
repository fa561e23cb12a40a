import ELK from 'elkjs/lib/elk-api.js';
import type { FlowGraph } from '../../../runtime/flow/flowGraph.ts';
import type { Positions } from '../store/documentTypes.ts';
import { layeredGraph, type NodeSizes } from './layeredGraph.ts';

export type { NodeSizes } from './layeredGraph.ts';

let elk: InstanceType<typeof ELK> | null = null;

function layoutEngine(): InstanceType<typeof ELK> {
  elk ??= new ELK({ workerFactory: () => new Worker(new URL('./elkWorker.ts', import.meta.url), { type: 'module' }) });
  return elk;
}

/**
 * Lays the flow out left to right with ELK's layered algorithm (see `layeredGraph`), in a Web
 * Worker so a large flow never blocks the canvas. Resolves with a position for every state.
 */
export async function autoLayout(graph: FlowGraph, sizes: NodeSizes): Promise<Positions> {
  const laid = await layoutEngine().layout(layeredGraph(graph, sizes));
  const positions: Positions = {};
  for (const child of laid.children ?? []) positions[child.id] = { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) };
  return positions;
}
