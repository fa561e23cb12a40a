import { useMemo } from 'react';
import type { FlowEdge, StateNode } from '../canvas/canvasTypes.ts';
import { useSessions } from './useSessions.ts';

/**
 * The canvas as the Sessions panel sees it: states the replay's current step went through get
 * `is-replay-step` (`is-replay-differs` when the draft routes it differently), the links it took
 * `edge-replay-path`, and with the coverage overlay on, every edge is labelled with how many
 * sessions took it (state counts are drawn by the nodes themselves). Only decorated objects are copied.
 */
export function useHistoryDecorations(shown: { nodes: StateNode[]; edges: FlowEdge[] }): { nodes: StateNode[]; edges: FlowEdge[] } {
  const highlight = useSessions((s) => s.highlight);
  const coverage = useSessions((s) => (s.coverageOn ? s.coverage : null));
  const nodes = useMemo(() => {
    if (!highlight || highlight.states.length === 0) return shown.nodes;
    const states = new Set(highlight.states);
    const extra = highlight.differs ? 'is-replay-step is-replay-differs' : 'is-replay-step';
    return shown.nodes.map((node) => (states.has(node.id) ? { ...node, className: `${node.className ?? ''} ${extra}`.trim() } : node));
  }, [shown.nodes, highlight]);
  const edges = useMemo(() => {
    const taken = new Set(highlight?.links.map((l) => `${l.source}\u0000${l.target}`));
    const counts = new Map(coverage?.edges.map((e) => [e.id, e.count]));
    if (taken.size === 0 && !coverage) return shown.edges;
    return shown.edges.map((edge) => {
      const onPath = taken.has(`${edge.source}\u0000${edge.target}`);
      if (!onPath && !coverage) return edge;
      const decorated: FlowEdge = { ...edge };
      if (onPath) {
        decorated.className = `${edge.className ?? ''} edge-replay-path`;
        decorated.animated = true;
      }
      if (coverage) {
        const count = counts.get(edge.id) ?? 0;
        decorated.label = String(count);
        decorated.className = `${decorated.className ?? ''} ${count === 0 ? 'edge-uncovered' : 'edge-covered'}`;
      }
      return decorated;
    });
  }, [shown.edges, highlight, coverage]);
  return { nodes, edges };
}
