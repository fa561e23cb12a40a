/**
 * Rename a question's groupId, a choice's itemId or a chat's sessionId everywhere it is used: in
 * the requests that send it and in the matchResponses that answer it. Ids compare loosely (`==`),
 * like the engine. Pure and immutable: untouched states keep their identity, and a rename that
 * changes nothing returns the same flow.
 */
import { isPlainObject } from './isPlainObject.ts';
import { isId, looseEquals } from './looseId.ts';
import type { Flow, Id, NamedState } from './types.ts';

export interface IdRenameResult {
  flow: Flow;
  /** how many fields were changed */
  count: number;
}

type Message = Record<string, unknown>;
/** Returns the message with its ids renamed (the same object when nothing changed), adding to `count`. */
type MessageRenamer = (message: Message, count: { n: number }) => Message;

/** Rename a ChoiceRequest group: the requests' `groupId` and their ChoiceResponse matchers'. */
export function renameGroupId(flow: Flow, from: Id, to: Id): IdRenameResult {
  return renameInMessages(flow, (message, count) => {
    if ((message.kind === 'ChoiceRequest' || message.kind === 'ChoiceResponse') && matches(message.groupId, from)) {
      count.n++;
      return { ...message, groupId: to };
    }
    return message;
  });
}

/** Rename a choice of group `groupId`: the `itemId` in the ChoiceRequests' choices and in the ChoiceResponse matchers. */
export function renameItemId(flow: Flow, groupId: Id, from: Id, to: Id): IdRenameResult {
  return renameInMessages(flow, (message, count) => {
    if (!matches(message.groupId, groupId)) return message;
    if (message.kind === 'ChoiceResponse' && matches(message.itemId, from)) {
      count.n++;
      return { ...message, itemId: to };
    }
    if (message.kind === 'ChoiceRequest' && Array.isArray(message.choices)) {
      let changed = false;
      const choices = message.choices.map((choice: unknown) => {
        if (!isPlainObject(choice) || !matches(choice.itemId, from)) return choice;
        changed = true;
        count.n++;
        return { ...choice, itemId: to };
      });
      return changed ? { ...message, choices } : message;
    }
    return message;
  });
}

/** Rename a chat session: StartChatSession, EndChatSession and UserText matchers. */
export function renameSessionId(flow: Flow, from: Id, to: Id): IdRenameResult {
  return renameInMessages(flow, (message, count) => {
    const kind = message.kind;
    if ((kind === 'StartChatSession' || kind === 'EndChatSession' || kind === 'UserText') && matches(message.sessionId, from)) {
      count.n++;
      return { ...message, sessionId: to };
    }
    return message;
  });
}

function matches(value: unknown, id: Id): boolean {
  return isId(value) && looseEquals(value, id);
}

/** Apply a renamer to every state's sendRequest and matchResponse. */
function renameInMessages(flow: Flow, rename: MessageRenamer): IdRenameResult {
  const count = { n: 0 };
  const states = flow.states.map((named): NamedState => {
    const state = named.state;
    if (!isPlainObject(state)) return named;
    const request = isPlainObject(state.sendRequest) ? rename(state.sendRequest, count) : state.sendRequest;
    const match = isPlainObject(state.matchResponse) ? rename(state.matchResponse, count) : state.matchResponse;
    if (request === state.sendRequest && match === state.matchResponse) return named;
    const renamed = { ...state };
    if (request !== state.sendRequest) renamed.sendRequest = request as typeof state.sendRequest;
    if (match !== state.matchResponse) renamed.matchResponse = match as typeof state.matchResponse;
    return { ...named, state: renamed };
  });
  return count.n === 0 ? { flow, count: 0 } : { flow: { ...flow, states }, count: count.n };
}
