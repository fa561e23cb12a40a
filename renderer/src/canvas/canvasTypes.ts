/** The React Flow node and edge types of the canvas: a state node's data and a link's. */
import type { Edge, Node } from '@xyflow/react';
import type { GraphNode } from '../../../runtime/flow/flowGraph.ts';

/** Data of one state node on the canvas. */
export interface StateNodeData extends Record<string, unknown> {
  graph: GraphNode;
  /** worst problem severity on this state, if any */
  problem: 'error' | 'warning' | 'info' | null;
  problemCount: number;
  /** the state matches the current search */
  highlighted: boolean;
}

export type StateNode = Node<StateNodeData, 'state'>;
export type FlowEdge = Edge<{ kind: 'next' | 'answer' }>;

/** The target handle of every state node (source handles come from flowToGraph). */
export const TARGET_HANDLE = 'in';
