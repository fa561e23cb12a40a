/**
 * Semantic checks of a flow: links, loops, reachability, and whether every question can be
 * answered, matched the way the original server matched (`==` on groupId, itemId, sessionId).
 * Linear in the size of the flow: ids are indexed by `looseKey` buckets, never compared pairwise
 * across states. Pure.
 */
import { closestName } from './closestName.ts';
import { makeDiagnostic, type DiagnosticCode } from './diagnosticCodes.ts';
import { isPlainObject } from './isPlainObject.ts';
import { choiceKey, first, push } from './idBuckets.ts';
import { formatPath, type PathSegment } from './jsonPath.ts';
import { isId, looseEquals, looseKey } from './looseId.ts';
import type { FlowSourceMap } from './sourceMap.ts';
import type { Diagnostic, Flow, Id } from './types.ts';

/** One state, read defensively (a field of the wrong shape is treated as absent). */
interface StateInfo {
  index: number;
  name: string;
  /** null when the state is not an object (a shape error) */
  body: Record<string, unknown> | null;
  requestKind?: string;
  request?: Record<string, unknown>;
  responseKind?: string;
  response?: Record<string, unknown>;
  /** index of the `next` state; -1 when `next` names no state; undefined without a string `next` */
  next?: number;
}

interface Offer {
  state: StateInfo;
  choiceIndex: number;
  groupId: Id;
  itemId: Id;
}

interface ChoiceMatcher {
  state: StateInfo;
  groupId: Id;
  itemId: Id;
}

interface IdUse {
  state: StateInfo;
  id: Id;
}

/** Every id the flow uses, bucketed by `looseKey` (or `choiceKey`), in file order. */
interface IdIndex {
  /** choices offered by ChoiceRequests */
  offers: Map<string, Offer[]>;
  /** ChoiceRequests by groupId */
  requestsByGroup: Map<string, IdUse[]>;
  /** ChoiceResponse matchers by (groupId, itemId) */
  choiceMatchers: Map<string, ChoiceMatcher[]>;
  /** ChoiceResponse matchers by groupId */
  choiceMatchersByGroup: Map<string, IdUse[]>;
  /** StartChatSession requests by sessionId */
  chatStarts: Map<string, IdUse[]>;
  /** UserText matchers by sessionId */
  textMatchers: Map<string, IdUse[]>;
}

/**
 * Check a flow's meaning. Shape problems are `checkShape`'s (`parseFlow` runs it); this never
 * throws on a malformed flow, it skips the parts it cannot read. Positions are filled in when a
 * `sourceMap` of the flow's text is given.
 */
export function validateFlow(flow: Flow, sourceMap?: FlowSourceMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (code: DiagnosticCode, segments: PathSegment[], message: string, state?: string, keyOnly = false): void => {
    const path = formatPath(segments);
    out.push(makeDiagnostic(code, path, message, state, keyOnly ? sourceMap?.locateKey(path) : sourceMap?.locate(path)));
  };

  const states = readStates(flow);
  if (states.length === 0) {
    report('flow-empty', [], 'The flow has no states. Add one, e.g. "greetings": { "sendRequest": { "kind": "BotText", "content": "Hi!" } }.');
    return out;
  }
  const names = resolveNext(states);
  const ids: IdIndex = { offers: new Map(), requestsByGroup: new Map(), choiceMatchers: new Map(), choiceMatchersByGroup: new Map(), chatStarts: new Map(), textMatchers: new Map() };
  const suggestions = { left: MAX_NAME_SUGGESTIONS };
  for (const state of states) {
    checkOwnFields(state, names, suggestions, report);
    indexRequest(state, ids, report);
    indexResponse(state, ids, report);
  }
  // Answers: every choice and chat needs a matcher, every matcher needs something to answer.
  const unanswerable = new Set<number>();
  checkChoicesAnswered(ids, report);
  checkChoiceMatchersAsked(ids, unanswerable, report);
  checkChatsAnswered(ids, report);
  checkTextMatchersAsked(ids, unanswerable, report);
  checkChatEnds(states, ids, report);
  checkCycles(states, report);
  checkStart(states, report);
  checkReachable(states, ids, unanswerable, report);
  return out;
}

/** Resolves each state's `next` to an index (-1 for a name that is no state); returns the first index of each name. */
function resolveNext(states: StateInfo[]): Map<string, number> {
  const names = new Map<string, number>();
  for (const state of states) if (!names.has(state.name)) names.set(state.name, state.index);
  for (const state of states) {
    const next = state.body?.next;
    if (typeof next === 'string') state.next = names.get(next) ?? -1;
  }
  return names;
}

/** Indexes a state's ChoiceRequest or StartChatSession; a question reusing a groupId with other choices is reported. */
function indexRequest(state: StateInfo, ids: IdIndex, report: Report): void {
  const request = state.request;
  if (request && state.requestKind === 'ChoiceRequest' && isId(request.groupId)) {
    const groupId = request.groupId;
    const earlier = first(ids.requestsByGroup, looseKey(groupId), (use) => looseEquals(use.id, groupId));
    if (earlier && !sameChoices(earlier.state.request!.choices, request.choices)) {
      report('choice-group-conflict', [state.name, 'sendRequest', 'groupId'], `This question uses groupId ${show(groupId)} like "${earlier.state.name}" but offers different choices; answers match by groupId and itemId only, so the two get mixed up. Give it its own groupId, or the same choices.`, state.name);
    }
    push(ids.requestsByGroup, looseKey(groupId), { state, id: groupId });
    const choices = Array.isArray(request.choices) ? request.choices : [];
    choices.forEach((choice: unknown, choiceIndex) => {
      const itemId = isPlainObject(choice) ? choice.itemId : undefined;
      if (isId(itemId)) push(ids.offers, choiceKey(groupId, itemId), { state, choiceIndex, groupId, itemId });
    });
  } else if (request && state.requestKind === 'StartChatSession' && isId(request.sessionId)) {
    push(ids.chatStarts, looseKey(request.sessionId), { state, id: request.sessionId });
  }
}

/** Indexes a state's ChoiceResponse or UserText matcher; one that an earlier state already answers is reported. */
function indexResponse(state: StateInfo, ids: IdIndex, report: Report): void {
  const response = state.response;
  if (response && state.responseKind === 'ChoiceResponse' && isId(response.groupId) && isId(response.itemId)) {
    const { groupId, itemId } = response;
    const winner = first(ids.choiceMatchers, choiceKey(groupId, itemId), (m) => looseEquals(m.groupId, groupId) && looseEquals(m.itemId, itemId));
    if (winner) {
      report('response-shadowed', [state.name, 'matchResponse'], `"${winner.state.name}" comes first and answers the same choice (groupId ${show(groupId)}, itemId ${show(itemId)}), so this state is never used. Remove it or change its ids.`, state.name, true);
    }
    push(ids.choiceMatchers, choiceKey(groupId, itemId), { state, groupId, itemId });
    push(ids.choiceMatchersByGroup, looseKey(groupId), { state, id: groupId });
  } else if (response && state.responseKind === 'UserText' && isId(response.sessionId)) {
    const sessionId = response.sessionId;
    const winner = first(ids.textMatchers, looseKey(sessionId), (use) => looseEquals(use.id, sessionId));
    if (winner) {
      report('response-shadowed', [state.name, 'matchResponse'], `"${winner.state.name}" comes first and answers the same chat session (sessionId ${show(sessionId)}), so this state is never used. Remove it or change its sessionId.`, state.name, true);
    }
    push(ids.textMatchers, looseKey(sessionId), { state, id: sessionId });
  }
}

/** Every offered choice needs a state that answers it (and one matching only loosely gets a hint). */
function checkChoicesAnswered(ids: IdIndex, report: Report): void {
  for (const bucket of ids.offers.values()) {
    for (const offer of bucket) {
      const { groupId, itemId } = offer;
      const matcher = first(ids.choiceMatchers, choiceKey(groupId, itemId), (m) => looseEquals(m.groupId, groupId) && looseEquals(m.itemId, itemId));
      const itemPath = [offer.state.name, 'sendRequest', 'choices', offer.choiceIndex, 'itemId'];
      if (!matcher) {
        report('choice-unanswered', itemPath, `No state answers choice ${show(itemId)} of groupId ${show(groupId)}: a user who picks it gets no reply. Add a state with "matchResponse": { "kind": "ChoiceResponse", "groupId": ${JSON.stringify(groupId)}, "itemId": ${JSON.stringify(itemId)} } and a next.`, offer.state.name);
      } else if (typeof matcher.itemId !== typeof itemId || typeof matcher.groupId !== typeof groupId) {
        report('id-loose-match', [matcher.state.name, 'matchResponse'], `The ids here (groupId ${show(matcher.groupId)}, itemId ${show(matcher.itemId)}) match the choice in "${offer.state.name}" (groupId ${show(groupId)}, itemId ${show(itemId)}) only loosely. It works (ids compare with ==, as in the original server), but writing both the same way is clearer.`, matcher.state.name, true);
      }
    }
  }
}

/** Every ChoiceResponse matcher needs a question offering its choice; those without one go into `unanswerable`. */
function checkChoiceMatchersAsked(ids: IdIndex, unanswerable: Set<number>, report: Report): void {
  for (const bucket of ids.choiceMatchers.values()) {
    for (const matcher of bucket) {
      const { groupId, itemId } = matcher;
      if (!first(ids.offers, choiceKey(groupId, itemId), (o) => looseEquals(o.groupId, groupId) && looseEquals(o.itemId, itemId))) {
        unanswerable.add(matcher.state.index);
        report('response-unmatched', [matcher.state.name, 'matchResponse'], `No ChoiceRequest offers itemId ${show(itemId)} in groupId ${show(groupId)}, so this state never runs. Fix the ids, or add that choice to a question.`, matcher.state.name, true);
      }
    }
  }
}

/** Every chat session started needs a state that answers what the user types. */
function checkChatsAnswered(ids: IdIndex, report: Report): void {
  for (const bucket of ids.chatStarts.values()) {
    for (const start of bucket) {
      const matcher = first(ids.textMatchers, looseKey(start.id), (use) => looseEquals(use.id, start.id));
      if (!matcher) {
        report('chat-unanswered', [start.state.name, 'sendRequest', 'sessionId'], `No state answers chat session ${show(start.id)}: what the user types goes nowhere. Add a state with "matchResponse": { "kind": "UserText", "sessionId": ${JSON.stringify(start.id)} } and a next.`, start.state.name);
      } else if (typeof matcher.id !== typeof start.id) {
        report('id-loose-match', [matcher.state.name, 'matchResponse', 'sessionId'], `sessionId ${show(matcher.id)} matches ${show(start.id)} in "${start.state.name}" only loosely. It works (ids compare with ==, as in the original server), but writing both the same way is clearer.`, matcher.state.name);
      }
    }
  }
}

/** Every UserText matcher needs a chat session that some state starts; those without one go into `unanswerable`. */
function checkTextMatchersAsked(ids: IdIndex, unanswerable: Set<number>, report: Report): void {
  for (const bucket of ids.textMatchers.values()) {
    for (const matcher of bucket) {
      if (!first(ids.chatStarts, looseKey(matcher.id), (use) => looseEquals(use.id, matcher.id))) {
        unanswerable.add(matcher.state.index);
        report('response-unmatched', [matcher.state.name, 'matchResponse'], `No StartChatSession opens sessionId ${show(matcher.id)}, so this state never runs. Fix the sessionId, or start that chat session somewhere.`, matcher.state.name, true);
      }
    }
  }
}

/** An EndChatSession must close a chat session that some state starts. */
function checkChatEnds(states: StateInfo[], ids: IdIndex, report: Report): void {
  for (const state of states) {
    const sessionId = state.request?.sessionId;
    if (state.requestKind === 'EndChatSession' && isId(sessionId) && !first(ids.chatStarts, looseKey(sessionId), (use) => looseEquals(use.id, sessionId))) {
      report('chat-end-unknown', [state.name, 'sendRequest', 'sessionId'], `EndChatSession closes sessionId ${show(sessionId)}, which no StartChatSession opens. Use the sessionId of a StartChatSession, or remove this request.`, state.name);
    }
  }
}

/** Every state should be reachable from the first one (matchers nothing can answer are already reported). */
function checkReachable(states: StateInfo[], ids: IdIndex, unanswerable: Set<number>, report: Report): void {
  const reachable = reachableStates(states, ids.choiceMatchersByGroup, ids.textMatchers);
  for (const state of states) {
    if (reachable[state.index] || unanswerable.has(state.index)) continue;
    report('state-unreachable', [state.name], `No conversation reaches "${state.name}": no reachable state links to it with next, and no question or chat it answers is asked. Link it from another state, or remove it.`, state.name, true);
  }
}

/** Each suggestion scans every state name: a flow with many broken links gets them for the first few only. */
const MAX_NAME_SUGGESTIONS = 50;

type Report = (code: DiagnosticCode, segments: PathSegment[], message: string, state?: string, keyOnly?: boolean) => void;

function readStates(flow: Flow): StateInfo[] {
  const named: unknown[] = Array.isArray(flow?.states) ? flow.states : [];
  const states: StateInfo[] = [];
  for (const entry of named) {
    if (!isPlainObject(entry) || typeof entry.name !== 'string') continue;
    const info: StateInfo = { index: states.length, name: entry.name, body: isPlainObject(entry.state) ? entry.state : null };
    const request = info.body?.sendRequest;
    if (isPlainObject(request) && typeof request.kind === 'string') {
      info.request = request;
      info.requestKind = request.kind;
    }
    const response = info.body?.matchResponse;
    if (isPlainObject(response) && typeof response.kind === 'string') {
      info.response = response;
      info.responseKind = response.kind;
    }
    states.push(info);
  }
  return states;
}

/** Checks that need nothing but the state itself (and the state names). */
function checkOwnFields(state: StateInfo, names: Map<string, number>, suggestions: { left: number }, report: Report): void {
  const body = state.body;
  if (!body) return;
  if (body.sendRequest === undefined && body.matchResponse === undefined && body.next === undefined) {
    report('state-empty', [state.name], `State "${state.name}" does nothing: it has no sendRequest, matchResponse or next. Add a sendRequest (e.g. a BotText), or remove the state.`, state.name, true);
    return;
  }
  if (state.next === -1) {
    const target = body.next as string;
    const suggestion = suggestions.left-- > 0 ? closestName(target, names.keys()) : undefined;
    const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
    report('next-missing', [state.name, 'next'], `next points to ${JSON.stringify(target)}, which is not a state.${hint} Pick an existing state or create ${JSON.stringify(target)}.`, state.name);
  }
  if (state.requestKind === 'OperatorHandoff') checkHandoff(state, report);
  else if (body.next === undefined && state.requestKind !== 'ChoiceRequest' && state.requestKind !== 'StartChatSession') {
    report('conversation-end', [state.name], `The conversation ends after "${state.name}" (no next, and nothing to wait for). Fine for a final message; add a next if it should go on.`, state.name, true);
  }
  checkTexts(state, report);
  if (state.requestKind === 'ChoiceRequest' && Array.isArray(state.request!.choices)) {
    const choices: unknown[] = state.request!.choices;
    if (choices.length === 0) {
      report('choices-empty', [state.name, 'sendRequest', 'choices'], `This question has no choices, so the user cannot answer it. Add at least one { "itemId": "…", "content": "…" }.`, state.name);
    }
    const seen = new Map<string, { id: Id; index: number }[]>();
    choices.forEach((choice, index) => {
      const itemId = isPlainObject(choice) ? choice.itemId : undefined;
      if (!isId(itemId)) return;
      const earlier = first(seen, looseKey(itemId), (e) => looseEquals(e.id, itemId));
      if (earlier) {
        report('choice-duplicate', [state.name, 'sendRequest', 'choices', index, 'itemId'], `itemId ${show(itemId)} is already used by choice ${earlier.index} of this question (ids compare with ==, so 1 and "1" are the same). Give each choice its own itemId.`, state.name);
      }
      push(seen, looseKey(itemId), { id: itemId, index });
    });
  }
}

/** What the widget shows of a request: a text that is only blanks shows as nothing. (A text that is not a string is a `shape` error.) */
function checkTexts(state: StateInfo, report: Report): void {
  const request = state.request;
  const blank = (text: unknown) => typeof text === 'string' && text.trim() === '';
  if (state.requestKind === 'BotText' && blank(request!.content)) {
    report('text-empty', [state.name, 'sendRequest', 'content'], 'This BotText has no text, so the widget shows an empty message. Write its content, or remove the state.', state.name);
  }
  if (state.requestKind !== 'ChoiceRequest') return;
  if (blank(request!.question)) {
    report('text-empty', [state.name, 'sendRequest', 'question'], 'This question has no text, so the widget shows its choices under nothing. Write the question.', state.name);
  }
  if (!Array.isArray(request!.choices)) return;
  (request!.choices as unknown[]).forEach((choice, index) => {
    if (isPlainObject(choice) && blank(choice.content)) {
      report('text-empty', [state.name, 'sendRequest', 'choices', index, 'content'], `Choice ${index} of this question has no text, so its button is blank. Write its content.`, state.name);
    }
  });
}

/** Longest wait for an operator a handoff may ask for (a day). */
export const MAX_HANDOFF_TIMEOUT_SECONDS = 86_400;
/** Queue names go into operator accounts files and URLs: keep them plain. */
const QUEUE_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/;

/** "Talk to a person": sane settings, a fallback, and a word on what the article's server makes of it. */
function checkHandoff(state: StateInfo, report: Report): void {
  const request = state.request!;
  const { queue, timeoutSeconds } = request;
  if (typeof queue === 'string' && !QUEUE_NAME.test(queue)) {
    report('handoff-settings', [state.name, 'sendRequest', 'queue'], `The queue name ${JSON.stringify(queue)} must start with a letter or digit and hold only letters, digits, spaces, "_", "." and "-" (at most 64). Use a name like "billing".`, state.name);
  }
  if (typeof timeoutSeconds === 'number' && !(timeoutSeconds > 0 && timeoutSeconds <= MAX_HANDOFF_TIMEOUT_SECONDS)) {
    report('handoff-settings', [state.name, 'sendRequest', 'timeoutSeconds'], `timeoutSeconds is ${timeoutSeconds}; it must be more than 0 and at most ${MAX_HANDOFF_TIMEOUT_SECONDS} (a day). Leave it out for the default of 120.`, state.name);
  }
  if (state.body?.next === undefined) {
    report('handoff-no-fallback', [state.name], `"${state.name}" hands the conversation to a person but has no next: if no operator claims it in time, the conversation ends without a word. Add a next (e.g. a state that offers to email the visitor).`, state.name, true);
  }
  report('handoff-article-server', [state.name, 'sendRequest', 'kind'], `OperatorHandoff works with this project's server only: the article's own server does not hand off on it; it sends the request on (its widget ignores it) and goes to next at once.`, state.name);
}

/**
 * `next` is followed at once, even after a ChoiceRequest or StartChatSession (the original server
 * sent the question and carried on), so any loop of `next` links never ends.
 */
function checkCycles(states: StateInfo[], report: Report): void {
  const UNSEEN = 0;
  const ON_PATH = 1;
  const DONE = 2;
  const color = new Uint8Array(states.length);
  for (const start of states) {
    if (color[start.index] !== UNSEEN) continue;
    const path: number[] = [];
    let at: number | undefined = start.index;
    while (at !== undefined && at >= 0 && color[at] === UNSEEN) {
      color[at] = ON_PATH;
      path.push(at);
      at = states[at].next;
    }
    if (at !== undefined && at >= 0 && color[at] === ON_PATH) {
      const loop = path.slice(path.indexOf(at));
      const firstInFile = states[loop.reduce((a, b) => Math.min(a, b))];
      const names = [...loop, at].map((i) => JSON.stringify(states[i].name)).join(' → ');
      report('next-cycle', [firstInFile.name, 'next'], `next links loop forever: ${names}. The server follows next without waiting (even after a question), so it would repeat these states endlessly. Remove one next from the loop; to come back after an answer, put the link on the state that matches the answer.`, firstInFile.name);
    }
    for (const i of path) color[i] = DONE;
  }
}

/** The first state's `next` chain must send something, or a new conversation shows nothing. */
function checkStart(states: StateInfo[], report: Report): void {
  const start = states[0];
  if (!start.body) return;
  const seen = new Set<number>();
  for (let at: number | undefined = start.index; at !== undefined && at >= 0 && !seen.has(at); at = states[at].next) {
    seen.add(at);
    if (states[at].request) return;
  }
  const because = start.response ? ' It has a matchResponse, but the first state is entered when a conversation starts, without an answer.' : '';
  report('start-silent', [start.name], `The first state "${start.name}" sends nothing, and neither do the states its next leads to, so a new conversation shows nothing.${because} Move a state with a sendRequest (e.g. a BotText greeting) to the top.`, start.name, true);
}

/** Reachable from the first state via next, questions (to their ChoiceResponse states) and chats (to their UserText states). */
function reachableStates(states: StateInfo[], choiceMatchersByGroup: Map<string, IdUse[]>, textMatchers: Map<string, IdUse[]>): Uint8Array {
  const reached = new Uint8Array(states.length);
  // Each distinct id is expanded once, however many requests use it: this keeps the walk linear.
  const expanded = new Set<string>();
  const queue = [0];
  reached[0] = 1;
  const visit = (index: number | undefined): void => {
    if (index === undefined || index < 0 || reached[index]) return;
    reached[index] = 1;
    queue.push(index);
  };
  const answer = (index: Map<string, IdUse[]>, prefix: string, id: unknown): void => {
    if (!isId(id)) return;
    const exact = `${prefix}${typeof id}:${id}`;
    if (expanded.has(exact)) return;
    expanded.add(exact);
    for (const use of index.get(looseKey(id)) ?? []) if (looseEquals(use.id, id)) visit(use.state.index);
  };
  while (queue.length > 0) {
    const state = states[queue.pop()!];
    visit(state.next);
    if (state.requestKind === 'ChoiceRequest') answer(choiceMatchersByGroup, 'choice ', state.request!.groupId);
    else if (state.requestKind === 'StartChatSession') answer(textMatchers, 'chat ', state.request!.sessionId);
  }
  return reached;
}

/** Same choices (compared loosely by itemId, strictly by content), in any order? */
function sameChoices(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  const byId = new Map<string, { id: Id; content: unknown }[]>();
  for (const choice of b) {
    if (isPlainObject(choice) && isId(choice.itemId)) push(byId, looseKey(choice.itemId), { id: choice.itemId, content: choice.content });
  }
  return a.every((choice) => {
    if (!isPlainObject(choice) || !isId(choice.itemId)) return false;
    const itemId = choice.itemId;
    const other = first(byId, looseKey(itemId), (c) => looseEquals(c.id, itemId));
    return other !== undefined && other.content === choice.content;
  });
}

function show(id: Id): string {
  return typeof id === 'string' ? JSON.stringify(id) : String(id);
}
