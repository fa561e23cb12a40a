import { useMemo } from 'react';
import type { FlowEdge, StateNode } from '../canvas/canvasTypes.ts';
import { linkKey } from './previewTrail.ts';
import { usePreview } from './usePreview.ts';

/**
 * The canvas as the preview sees it: states the last step passed through get `is-preview-visited`,
 * states waiting for the user `is-preview-waiting`, and links taken so far `edge-preview-path`
 * (animated). Only the decorated objects are copied.
 */
export function usePreviewDecorations(nodes: StateNode[], edges: FlowEdge[]): { nodes: StateNode[]; edges: FlowEdge[] } {
  const trail = usePreview((s) => s.trail);
  const decoratedNodes = useMemo(() => {
    if (trail.visited.length === 0 && trail.waiting.length === 0) return nodes;
    const visited = new Set(trail.visited);
    const waiting = new Set(trail.waiting);
    return nodes.map((node) => {
      const classes = [visited.has(node.id) ? 'is-preview-visited' : '', waiting.has(node.id) ? 'is-preview-waiting' : ''].filter(Boolean).join(' ');
      return classes ? { ...node, className: classes } : node;
    });
  }, [nodes, trail]);
  const decoratedEdges = useMemo(() => {
    if (trail.links.length === 0) return edges;
    const taken = new Set(trail.links);
    return edges.map((edge) => (taken.has(linkKey(edge.source, edge.target)) ? { ...edge, className: `${edge.className ?? ''} edge-preview-path`, animated: true } : edge));
  }, [edges, trail]);
  return { nodes: decoratedNodes, edges: decoratedEdges };
}
