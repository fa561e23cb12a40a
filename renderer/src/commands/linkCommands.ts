import { choiceMatchersFor, compileFlow, textMatchersFor } from '../../../runtime/flow/compileFlow.ts';
import { addState, indexOfState, uniqueStateName, updateState } from '../../../runtime/flow/editFlow.ts';
import { CHAT_HANDLE, NEXT_HANDLE, choiceHandleId } from '../../../runtime/flow/flowGraph.ts';
import { isPlainObject } from '../../../runtime/flow/isPlainObject.ts';
import { isId } from '../../../runtime/flow/looseId.ts';
import type { Flow, Id, State } from '../../../runtime/flow/types.ts';
import type { NodePosition } from '../host/studioHost.ts';
import type { Positions } from '../store/documentTypes.ts';
import { freeSpot } from '../layout/freeSpot.ts';
import { defineCommand, type CommandOutcome, type CommandState } from './registry.ts';
import { NAME_BASE, newStateBody, type NewStateKind } from './newStateBody.ts';

/** Points `source`'s `next` at `target`. */
export const connectNextCommand = defineCommand<{ source: string; target: string }>({
  name: 'link.next',
  label: 'Link states',
  perform({ flow }, { source, target }) {
    return linkNext(flow, source, target);
  },
});

/** Removes `source`'s `next`. */
export const clearNextCommand = defineCommand<{ source: string }>({
  name: 'link.clear',
  label: 'Remove link',
  perform({ flow }, { source }) {
    const result = updateState(flow, source, (state) => {
      if (!('next' in state)) return state;
      const { next: _removed, ...rest } = state;
      return rest;
    });
    if (!result.ok) return { error: result.message };
    return result.flow === flow ? null : { flow: result.flow };
  },
});

/**
 * The inspector's "Then go to": points `source`'s `next` at `target`, or removes it (''). A list
 * applies each option the arrow keys pass, so the picks made in a row are one undo step.
 */
export const chooseNextCommand = defineCommand<{ source: string; target: string }>({
  name: 'link.choose',
  label: 'Then go to',
  coalesce: ({ source }) => `${source}\u0000next`,
  perform(state, { source, target }) {
    return target === '' ? clearNextCommand.perform(state, { source }) : connectNextCommand.perform(state, { source, target });
  },
});

/**
 * Links an answer (a question's choice, or what the user types in a chat) to `target`: reuses the
 * state that already matches that answer, or creates the matching state (right groupId/itemId or
 * sessionId) with `next` = target.
 */
export const connectAnswerCommand = defineCommand<{ source: string; handle: string; target: string }>({
  name: 'link.answer',
  label: 'Link answer',
  perform(state, args) {
    return linkAnswer(state, args.source, args.handle, args.target);
  },
});

/** Creates a new state of `kind` at `position` and links it from a handle (the "what comes next" menu). */
export const addConnectedCommand = defineCommand<{ source: string; handle: string; kind: NewStateKind; position: NodePosition }>({
  name: 'state.addConnected',
  label: 'Add next step',
  perform(state, { source, handle, kind, position }) {
    const name = uniqueStateName(state.flow, NAME_BASE[kind]);
    const added = addState(state.flow, name, newStateBody(state.flow, kind), indexOfState(state.flow, source) + 1);
    if (!added.ok) return { error: added.message };
    const withState: CommandState = { flow: added.flow, positions: { ...state.positions, [name]: freeSpot(Object.values(state.positions), position) }, selection: [name] };
    const linked = handle === NEXT_HANDLE ? linkNext(withState.flow, source, name) : linkAnswer(withState, source, handle, name);
    if (linked === null || 'error' in linked) return linked;
    return { flow: linked.flow, positions: linked.positions ?? withState.positions, selection: [name] };
  },
});

function linkNext(flow: Flow, source: string, target: string): CommandOutcome {
  const result = updateState(flow, source, (state) => (state.next === target ? state : { ...state, next: target }));
  if (!result.ok) return { error: result.message };
  return result.flow === flow ? null : { flow: result.flow };
}

interface Answer {
  /** the matcher body to create */
  match: State['matchResponse'];
  /** states that already match this answer */
  matchers: string[];
  nameBase: string;
}

function answerOf(flow: Flow, source: string, handle: string): Answer | { error: string } {
  const index = indexOfState(flow, source);
  const request = index === -1 ? undefined : flow.states[index].state.sendRequest;
  if (!isPlainObject(request)) return { error: `"${source}" sends nothing to answer.` };
  const compiled = compileFlow(flow);
  if (handle === CHAT_HANDLE) {
    if (request.kind !== 'StartChatSession' || !isId(request.sessionId)) return { error: `"${source}" does not open a chat with a session id.` };
    const sessionId: Id = request.sessionId;
    return {
      match: { kind: 'UserText', sessionId },
      matchers: textMatchersFor(compiled, sessionId).map((m) => m.state),
      nameBase: `${source}Typed`,
    };
  }
  if (request.kind !== 'ChoiceRequest' || !isId(request.groupId) || !Array.isArray(request.choices)) {
    return { error: `"${source}" is not a question with choices.` };
  }
  const groupId: Id = request.groupId;
  const choice = request.choices.find((c: unknown) => isPlainObject(c) && isId(c.itemId) && isHandleOf(handle, choiceHandleId(c.itemId)));
  if (!isPlainObject(choice) || !isId(choice.itemId)) return { error: `"${source}" has no choice for ${handle}.` };
  const itemId: Id = choice.itemId;
  return {
    match: { kind: 'ChoiceResponse', groupId, itemId },
    matchers: choiceMatchersFor(compiled, groupId, itemId).map((m) => m.state),
    nameBase: `${source}${capitalise(String(itemId))}`,
  };
}

function linkAnswer({ flow, positions }: CommandState, source: string, handle: string, target: string): CommandOutcome {
  const answer = answerOf(flow, source, handle);
  if ('error' in answer) return answer;
  if (answer.matchers.includes(target)) return null;
  if (answer.matchers.length > 0) {
    const linked = linkNext(flow, answer.matchers[0], target);
    return linked && !('error' in linked) ? { ...linked, message: `"${answer.matchers[0]}" now leads to "${target}".` } : linked;
  }
  const name = uniqueStateName(flow, answer.nameBase);
  const added = addState(flow, name, { matchResponse: answer.match, next: target }, indexOfState(flow, source) + 1);
  if (!added.ok) return { error: added.message };
  return { flow: added.flow, positions: { ...positions, [name]: between(positions, source, target) } };
}

/** A free place between two steps, for the step that joins them (never on top of either). */
function between(positions: Positions, a: string, b: string): NodePosition {
  const from = positions[a] ?? { x: 0, y: 0 };
  const to = positions[b] ?? { x: from.x + 600, y: from.y };
  return freeSpot(Object.values(positions), { x: Math.round((from.x + to.x) / 2), y: Math.round((from.y + to.y) / 2) });
}

/** A choice's handle, or its `#index` variant when ids collide (see flowToGraph). */
function isHandleOf(handle: string, choiceHandle: string): boolean {
  return handle === choiceHandle || handle.startsWith(`${choiceHandle}#`);
}

function capitalise(text: string): string {
  const word = text.replace(/[^\p{L}\p{N}]+/gu, '');
  return word.charAt(0).toUpperCase() + word.slice(1);
}
