import { useLayoutEffect, useMemo, useState } from 'react';
import type { FlowGraph } from '../../../runtime/flow/flowGraph.ts';
import type { Diagnostic } from '../../../runtime/flow/types.ts';
import type { Positions } from '../store/documentTypes.ts';
import type { StateNode } from './canvasTypes.ts';
import { reconcileNodes, type StateProblems } from './reconcileNodes.ts';

const RANK = { error: 3, warning: 2, info: 1 } as const;

/** Worst severity and count of problems per state. */
export function problemsByState(diagnostics: readonly Diagnostic[]): Map<string, StateProblems> {
  const byState = new Map<string, StateProblems>();
  for (const d of diagnostics) {
    if (!d.state) continue;
    const current = byState.get(d.state);
    if (!current) byState.set(d.state, { severity: d.severity, count: 1 });
    else {
      current.count++;
      if (RANK[d.severity] > RANK[current.severity]) current.severity = d.severity;
    }
  }
  return byState;
}

/**
 * The canvas nodes, kept in local state so React Flow can apply its own changes (measuring,
 * dragging) between document edits; re-derived from the document whenever it changes.
 */
export function useCanvasNodes(graph: FlowGraph, positions: Positions, selection: string[], diagnostics: Diagnostic[], highlighted: ReadonlySet<string>) {
  const [nodes, setNodes] = useState<StateNode[]>([]);
  const selected = useMemo(() => new Set(selection), [selection]);
  const problems = useMemo(() => problemsByState(diagnostics), [diagnostics]);
  useLayoutEffect(() => {
    setNodes((prev) => reconcileNodes(prev, { graph: graph.nodes, positions, selection: selected, problems, highlighted }));
  }, [graph, positions, selected, problems, highlighted]);
  return [nodes, setNodes] as const;
}
