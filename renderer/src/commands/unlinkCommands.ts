import { CHAT_HANDLE, flowToGraph, type FlowGraph, type GraphEdge } from '../../../runtime/flow/flowGraph.ts';
import { removeStates, updateState } from '../../../runtime/flow/editFlow.ts';
import { isPlainObject } from '../../../runtime/flow/isPlainObject.ts';
import type { Flow } from '../../../runtime/flow/types.ts';
import type { Positions } from '../store/documentTypes.ts';
import { defineCommand, type CommandOutcome, type CommandState } from './registry.ts';
import { deleteStatesCommand } from './stateCommands.ts';
import { quotedStep } from '../words/stepWords.ts';

/**
 * Removes links (canvas edges, by id) and says what that did:
 * - a `next` link: the source state's `next` is removed;
 * - an answer link (a choice, or what the user types in a chat, to the state matching it): that
 *   matching state is deleted when it is only a matcher (no message of its own, nothing leads to
 *   it, not the start), otherwise just its `matchResponse` is removed so its other uses keep working.
 */
export const deleteLinksCommand = defineCommand<{ ids: string[] }>({
  name: 'link.delete',
  label: 'Delete link',
  perform(state, { ids }) {
    return unlink(state, ids);
  },
});

/** Deletes the selected links and states together: one undo step, one message. */
export const deleteSelectionCommand = defineCommand<{ links: string[] }>({
  name: 'edit.deleteSelection',
  label: 'Delete',
  perform(state, { links }) {
    const unlinked = links.length > 0 ? unlink(state, links) : null;
    if (unlinked !== null && 'error' in unlinked) return unlinked;
    const afterLinks: CommandState = unlinked ? { ...state, flow: unlinked.flow, positions: unlinked.positions ?? state.positions } : state;
    const names = afterLinks.selection.filter((n) => afterLinks.flow.states.some((s) => s.name === n));
    const deleted = deleteStatesCommand.perform(afterLinks, { names });
    if (deleted !== null && 'error' in deleted) return deleted;
    if (!deleted) return unlinked;
    const message = [unlinked?.message, deleted.message].filter(Boolean).join(' ');
    return { ...deleted, message };
  },
});

function unlink({ flow, positions, selection }: CommandState, ids: string[]): CommandOutcome {
  const graph = flowToGraph(flow);
  const byId = new Map(graph.edges.map((e) => [e.id, e]));
  const edges = ids.flatMap((id) => byId.get(id) ?? []);
  if (edges.length === 0) return null;
  let current = flow;
  const doomed: string[] = [];
  const said: string[] = [];
  for (const edge of edges) {
    if (edge.kind === 'next') {
      const result = updateState(current, edge.source, (body) => {
        if (body.next !== edge.target) return body;
        const { next: _removed, ...rest } = body;
        return rest;
      });
      if (!result.ok) return { error: result.message };
      current = result.flow;
      said.push(`Removed the link from ${quotedStep(flow, edge.source)} to ${quotedStep(flow, edge.target)}.`);
      continue;
    }
    const answer = answerText(flow, graph, edge);
    if (isOnlyAMatcher(current, edge.target)) {
      doomed.push(edge.target);
      said.push(`Removed ${answer}, and the step that only waited for it.`);
    } else {
      const result = updateState(current, edge.target, (body) => {
        const { matchResponse: _removed, ...rest } = body;
        return rest;
      });
      if (!result.ok) return { error: result.message };
      current = result.flow;
      said.push(`Removed ${answer}: ${quotedStep(flow, edge.target)} no longer waits for it (the step stays: it does more than that).`);
    }
  }
  let kept: Positions = positions;
  if (doomed.length > 0) {
    current = removeStates(current, doomed).flow;
    kept = { ...positions };
    for (const name of doomed) delete kept[name];
  }
  return { flow: current, positions: kept, selection: selection.filter((n) => !doomed.includes(n)), message: said.join(' ') };
}

/** "the answer "Rust" of "langChoices"", or "what the user types in "chat"". */
function answerText(flow: Flow, graph: FlowGraph, edge: GraphEdge): string {
  if (edge.sourceHandle === CHAT_HANDLE) return `the link from what the user types after ${quotedStep(flow, edge.source)}`;
  const choice = graph.nodes.find((n) => n.id === edge.source)?.choices?.find((c) => c.handleId === edge.sourceHandle);
  return `the answer '${choice?.content || String(choice?.itemId ?? edge.sourceHandle)}' to ${quotedStep(flow, edge.source)}`;
}

/** A state that only matches an answer: no message of its own, not the start, and no `next` leads to it. */
function isOnlyAMatcher(flow: Flow, name: string): boolean {
  if (flow.states[0]?.name === name) return false;
  const own = flow.states.find((s) => s.name === name)?.state;
  if (!isPlainObject(own) || own.sendRequest !== undefined) return false;
  return !flow.states.some((s) => s.name !== name && isPlainObject(s.state) && s.state.next === name);
}
