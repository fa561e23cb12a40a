import type { FlowGraph } from '../../../runtime/flow/flowGraph.ts';
import type { Positions } from '../store/documentTypes.ts';

const COLUMN = 340;
const ROW = 170;

/**
 * An instant left-to-right layout (columns by distance from the start state), shown while ELK
 * computes the real one, so a large flow is on screen and usable at once. Linear in the graph.
 */
export function quickLayout(graph: FlowGraph): Positions {
  const outgoing = new Map<string, string[]>();
  for (const edge of graph.edges) {
    const list = outgoing.get(edge.source);
    if (list) list.push(edge.target);
    else outgoing.set(edge.source, [edge.target]);
  }
  const depth = new Map<string, number>();
  const queue: string[] = [];
  const visit = (name: string, d: number) => {
    if (depth.has(name)) return;
    depth.set(name, d);
    queue.push(name);
  };
  if (graph.nodes.length > 0) visit(graph.nodes[0].id, 0);
  for (let i = 0; i < queue.length; i++) {
    const name = queue[i];
    for (const target of outgoing.get(name) ?? []) visit(target, (depth.get(name) ?? 0) + 1);
  }
  // Unreachable states start a column of their own after the reachable ones.
  const last = Math.max(0, ...depth.values());
  for (const node of graph.nodes) visit(node.id, last + 1);
  const rows = new Map<number, number>();
  const positions: Positions = {};
  for (const node of graph.nodes) {
    const d = depth.get(node.id) ?? 0;
    const row = rows.get(d) ?? 0;
    rows.set(d, row + 1);
    positions[node.id] = { x: d * COLUMN, y: row * ROW };
  }
  return positions;
}
