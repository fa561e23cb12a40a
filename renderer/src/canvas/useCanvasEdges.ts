import { useMemo, useRef } from 'react';
import { MarkerType } from '@xyflow/react';
import type { FlowGraph, GraphEdge } from '../../../runtime/flow/flowGraph.ts';
import { TARGET_HANDLE, type FlowEdge } from './canvasTypes.ts';

const NEXT_MARKER = { type: MarkerType.ArrowClosed, color: 'var(--edge-next)', width: 18, height: 18 };
const ANSWER_MARKER = { type: MarkerType.ArrowClosed, color: 'var(--edge-answer)', width: 18, height: 18 };
const SELECTED_MARKER = { type: MarkerType.ArrowClosed, color: 'var(--accent)', width: 16, height: 16 };

/**
 * What a screen reader hears for a link: what takes it (a choice's words, typed text, "then"),
 * then the step names it joins (they are shown under each step).
 */
function linkLabel(edge: GraphEdge, choices: ReadonlyMap<string, string>): string {
  const route = `from ${edge.source} to ${edge.target}`;
  if (edge.kind === 'next') return `Then, ${route}`;
  const choice = choices.get(`${edge.source}\u0000${edge.sourceHandle}`);
  return choice !== undefined ? `Answer “${choice}”, ${route}` : `Answer (what the user types), ${route}`;
}

function toEdge(edge: GraphEdge, label: string): FlowEdge {
  return {
    id: edge.id,
    source: edge.source,
    target: edge.target,
    sourceHandle: edge.sourceHandle,
    targetHandle: TARGET_HANDLE,
    className: `edge-${edge.kind}`,
    markerEnd: edge.kind === 'next' ? NEXT_MARKER : ANSWER_MARKER,
    data: { kind: edge.kind },
    ariaLabel: label,
  };
}

/**
 * Canvas edges; an edge object is reused while its id (source, handle, target) is unchanged, and
 * the selected ones (`selectedLinks`, edge ids) are marked selected.
 */
export function useCanvasEdges(graph: FlowGraph, selectedLinks: readonly string[]): FlowEdge[] {
  const cache = useRef(new Map<string, FlowEdge>());
  const edges = useMemo(() => {
    const choices = new Map<string, string>();
    for (const node of graph.nodes) for (const choice of node.choices ?? []) choices.set(`${node.id}\u0000${choice.handleId}`, choice.content || String(choice.itemId));
    const next = new Map<string, FlowEdge>();
    const list = graph.edges.map((edge) => {
      const label = linkLabel(edge, choices);
      const cached = cache.current.get(edge.id);
      const made = cached && cached.ariaLabel === label ? cached : toEdge(edge, label);
      next.set(edge.id, made);
      return made;
    });
    cache.current = next;
    return list;
  }, [graph]);
  return useMemo(() => {
    if (selectedLinks.length === 0) return edges;
    const selected = new Set(selectedLinks);
    return edges.map((edge) => (selected.has(edge.id) ? { ...edge, selected: true, markerEnd: SELECTED_MARKER } : edge));
  }, [edges, selectedLinks]);
}
