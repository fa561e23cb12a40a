import type { GraphNode } from '../../../runtime/flow/flowGraph.ts';
import type { Positions } from '../store/documentTypes.ts';
import type { StateNode } from './canvasTypes.ts';

/** The worst problem of a state and how many it has. */
export interface StateProblems {
  severity: 'error' | 'warning' | 'info';
  count: number;
}

export interface NodeInputs {
  graph: readonly GraphNode[];
  positions: Positions;
  selection: ReadonlySet<string>;
  problems: ReadonlyMap<string, StateProblems>;
  highlighted: ReadonlySet<string>;
}

/**
 * Builds the canvas nodes, reusing the previous node object of every state whose look did not
 * change, so React Flow re-renders only what changed (a rename of one state in a 2,000-state flow
 * re-renders a handful of nodes). Keeps what React Flow measured. Returns `prev` itself when
 * nothing changed at all.
 */
export function reconcileNodes(prev: readonly StateNode[], inputs: NodeInputs): StateNode[] {
  const previous = new Map(prev.map((node) => [node.id, node]));
  const ids = new Set(inputs.graph.map((graph) => graph.id));
  let changed = prev.length !== inputs.graph.length;
  const nodes = inputs.graph.map((graph, index) => {
    const old = previous.get(graph.id);
    const position = inputs.positions[graph.id] ?? fallbackPosition(index);
    const selected = inputs.selection.has(graph.id);
    const problem = inputs.problems.get(graph.id);
    const highlighted = inputs.highlighted.has(graph.id);
    if (
      old &&
      prev[index] === old &&
      old.position.x === position.x &&
      old.position.y === position.y &&
      old.selected === selected &&
      old.data.highlighted === highlighted &&
      old.data.problem === (problem?.severity ?? null) &&
      old.data.problemCount === (problem?.count ?? 0) &&
      sameGraphNode(old.data.graph, graph)
    ) {
      return old;
    }
    changed = true;
    const node: StateNode = {
      id: graph.id,
      type: 'state',
      position: old && old.position.x === position.x && old.position.y === position.y ? old.position : position,
      selected,
      ariaLabel: stepLabel(graph),
      data: {
        graph: old && sameGraphNode(old.data.graph, graph) ? old.data.graph : graph,
        problem: problem?.severity ?? null,
        problemCount: problem?.count ?? 0,
        highlighted,
      },
    };
    // A step renamed in place (its name follows its text as the author types) keeps what was measured: no flicker.
    const measured = old?.measured ?? (prev[index] && !ids.has(prev[index].id) ? prev[index].measured : undefined);
    if (measured) node.measured = measured;
    return node;
  });
  return changed ? nodes : (prev as StateNode[]);
}

/** Where a state without a stored position goes: a column left of the layout, in file order. */
function fallbackPosition(index: number) {
  return { x: -360, y: index * 160 };
}

function sameGraphNode(a: GraphNode, b: GraphNode): boolean {
  if (a === b) return true;
  if (a.id !== b.id || a.kind !== b.kind || a.label !== b.label || a.preview !== b.preview) return false;
  if (a.isStart !== b.isStart || a.hasResponse !== b.hasResponse) return false;
  const ac = a.choices ?? [];
  const bc = b.choices ?? [];
  if (ac.length !== bc.length) return false;
  return ac.every((c, i) => c.itemId === bc[i].itemId && c.content === bc[i].content && c.handleId === bc[i].handleId);
}

/** What a screen reader hears for a step: its kind, its text when it says something, its name. */
function stepLabel(graph: GraphNode): string {
  const says = graph.preview && TEXT_KINDS.has(graph.kind) ? `: “${graph.preview}”` : '';
  return `${graph.label}${says}, step ${graph.id}`;
}

/** Kinds whose preview is text the visitor sees (the others' are ids). */
const TEXT_KINDS: ReadonlySet<string> = new Set(['BotText', 'ChoiceRequest', 'StartChatSession', 'OperatorHandoff']);
