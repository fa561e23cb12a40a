import { useMemo } from 'react';
import type { FlowEdge, StateNode } from '../canvas/canvasTypes.ts';
import { useConversationTests, useTestsShown } from './useConversationTests.ts';

/**
 * The canvas as the Tests tab sees it: while the tab shows a failing test, the state where
 * that conversation went another way gets `is-test-diverged`. Only the decorated node is copied.
 */
export function useTestDecorations(shown: { nodes: StateNode[]; edges: FlowEdge[] }): { nodes: StateNode[]; edges: FlowEdge[] } {
  const visible = useTestsShown();
  const diverged = useConversationTests((t) => (visible ? divergedState(t) : null));
  const nodes = useMemo(() => {
    if (diverged === null) return shown.nodes;
    return shown.nodes.map((node) => (node.id === diverged ? { ...node, className: `${node.className ?? ''} is-test-diverged`.trim() } : node));
  }, [shown.nodes, diverged]);
  return nodes === shown.nodes ? shown : { nodes, edges: shown.edges };
}

/** The state where the selected failing test diverged. */
export function divergedState(t: { selected: number | null; summary: { results: { failure?: { state?: string } }[] } | null }): string | null {
  if (t.selected === null) return null;
  return t.summary?.results[t.selected]?.failure?.state ?? null;
}
