/**
 * Steps and answers named in the author's own words (what the bot says, the question, "When the user
 * picks 'Latte'") instead of state names and ids, for node titles, "Then go to", problems, sessions
 * and coverage. Pure: a function of the flow.
 */
import { plainText } from '../../../runtime/flow/flowGraph.ts';
import { isPlainObject } from '../../../runtime/flow/isPlainObject.ts';
import { isId, looseEquals } from '../../../runtime/flow/looseId.ts';
import type { Flow, Id, State } from '../../../runtime/flow/types.ts';

const MAX_WORDS = 48;

/** Text cut to a readable length on a word boundary. */
export function shorten(text: string, max = MAX_WORDS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The text of the choice `itemId` of question `groupId`, or undefined when no question offers it. */
export function choiceText(flow: Flow, groupId: Id, itemId: Id): string | undefined {
  for (const { state } of flow.states) {
    const request = state.sendRequest;
    if (!isPlainObject(request) || request.kind !== 'ChoiceRequest' || !isId(request.groupId) || !looseEquals(request.groupId, groupId)) continue;
    if (!Array.isArray(request.choices)) continue;
    for (const choice of request.choices) {
      if (isPlainObject(choice) && isId(choice.itemId) && looseEquals(choice.itemId, itemId)) return plainText(choice.content) || String(itemId);
    }
  }
  return undefined;
}

/** The question that asks `groupId`, in its words. */
export function questionText(flow: Flow, groupId: Id): string | undefined {
  for (const { state } of flow.states) {
    const request = state.sendRequest;
    if (isPlainObject(request) && request.kind === 'ChoiceRequest' && isId(request.groupId) && looseEquals(request.groupId, groupId)) return plainText(request.question) || undefined;
  }
  return undefined;
}

/** How a step reads to its author: its message, its question, or the answer it reacts to. */
export function stateWords(flow: Flow, state: State | undefined): string {
  if (!state) return '';
  const words = requestWords(state.sendRequest);
  if (words) return words;
  const match = state.matchResponse;
  if (isPlainObject(match)) {
    if (match.kind === 'ChoiceResponse' && isId(match.groupId) && isId(match.itemId)) {
      const choice = choiceText(flow, match.groupId, match.itemId);
      return choice === undefined ? `When the user picks an answer no question offers` : `When the user picks '${shorten(choice, 32)}'`;
    }
    if (match.kind === 'UserText') return 'When the user types';
  }
  return '';
}

/** What a request says: its message, its question, or what it does to the text box ('' for anything else). */
export function requestWords(request: unknown): string {
  if (!isPlainObject(request)) return '';
  switch (request.kind) {
    case 'BotText':
      return shorten(plainText(request.content));
    case 'ChoiceRequest':
      return shorten(plainText(request.question));
    case 'StartChatSession':
      return shorten(plainText(request.chatText) || plainText(request.chatPrompt) || 'Opens the text box');
    case 'EndChatSession':
      return 'Closes the text box';
    default:
      return '';
  }
}

/** A step's name in words, falling back to its state name when it has no text of its own. */
export function stepWords(flow: Flow, name: string): string {
  const found = flow.states.find((s) => s.name === name);
  return stateWords(flow, found?.state) || name;
}

/** A step as a message names it: its words in quotes (“Hi there”), or its name when it has none. */
export function quotedStep(flow: Flow, name: string): string {
  const words = stateWords(flow, flow.states.find((s) => s.name === name)?.state);
  return words ? `“${words}”` : `"${name}"`;
}
