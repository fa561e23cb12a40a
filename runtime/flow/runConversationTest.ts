/**
 * Runs conversation tests on the pure engine (no server, no socket): each turn's visitor action
 * becomes the response the widget would send, the engine steps, and what the bot sent is compared
 * with the turn's expectations. A test stops at its first failure, which names the turn, the state
 * where the conversation went another way, what was expected and what the bot said. Pure.
 */
import type { CompiledFlow } from './compileFlow.ts';
import type { ConversationTest, ConversationTestsFile, MessageExpectation } from './conversationTestTypes.ts';
import { choiceTexts, describeExpectation, describeMessage, messageMatches } from './matchExpectation.ts';
import { emptyPending, type PendingState } from './pendingState.ts';
import { isPlainObject } from './isPlainObject.ts';
import { isId, looseKey } from './looseId.ts';
import { stepSession, type StepEvent } from './stepSession.ts';
import { REQUEST_KINDS, type Id, type RequestMessage } from './types.ts';

export interface TestFailure {
  /** 0-based turn (0 is the start) */
  turn: number;
  /** index of the bot message that differs, when the failure is about one */
  message?: number;
  /** the state where the conversation went another way (for the canvas), when known */
  state?: string;
  /** what the test expected, and what the bot said or did instead */
  expected: string;
  said: string;
  /** the whole failure in one sentence */
  reason: string;
  /** what the bot sent in the failing turn, when it got that far ("Accept the new behaviour" writes it) */
  actual?: RequestMessage[];
}

export interface TestResult {
  name: string;
  passed: boolean;
  failure?: TestFailure;
  /** every state the conversation passed through, in order (with repeats) */
  visited: string[];
  /** each visitor answer the engine took, and the state whose matchResponse took it (what a re-run after an edit checks) */
  answers: AnsweredBy[];
}

/** A visitor answer (choice or text) and the state that matched it. */
export type AnsweredBy = { kind: 'ChoiceResponse'; groupId: Id; itemId: Id; state: string } | { kind: 'UserText'; sessionId: Id; state: string };

export interface TestRunSummary {
  results: TestResult[];
  passed: number;
  failed: number;
  /** states no test passed through, in file order */
  unreached: string[];
}

/** Run every test of a file and list the states none of them reached. */
export function runConversationTests(compiled: CompiledFlow, file: ConversationTestsFile): TestRunSummary {
  return summarize(compiled, file.tests.map((test) => runConversationTest(compiled, test)));
}

/** Counts and the states no result reached. */
export function summarize(compiled: CompiledFlow, results: TestResult[]): TestRunSummary {
  const reached = new Set<string>();
  for (const result of results) for (const state of result.visited) reached.add(state);
  const failed = results.filter((r) => !r.passed).length;
  return { results, passed: results.length - failed, failed, unreached: [...compiled.states.keys()].filter((s) => !reached.has(s)) };
}

/** Run one test. Never throws, whatever the flow or the test hold. */
export function runConversationTest(compiled: CompiledFlow, test: ConversationTest): TestResult {
  const visited: string[] = [];
  const answers: AnsweredBy[] = [];
  let pending: PendingState = emptyPending();
  /** the choice questions sent so far, by looseKey(groupId): the latest one of each group */
  const questions = new Map<string, { state: string; groupId: Id; request: RequestMessage }>();
  const fail = (failure: TestFailure): TestResult => ({ name: test.name, passed: false, failure, visited, answers });
  for (let turn = 0; turn < test.turns.length; turn++) {
    const expected = test.turns[turn];
    const event = turn === 0 ? startEvent(test) : visitorEvent(expected, pending, questions);
    if ('failure' in event) return fail({ turn, state: lastOf(visited), ...event.failure, reason: `${turnLabel(turn, expected)}: ${event.failure.reason}` });
    const step = stepSession(compiled, pending, event.event);
    if (!step.ok) {
      const reason = `${turnLabel(turn, expected)}: the flow cannot take this step: ${step.message}`;
      return fail({ turn, state: lastOf(visited), expected: 'the conversation to go on', said: step.message, reason });
    }
    visited.push(...step.visited);
    pending = step.pending;
    if (step.resumedAt !== undefined && event.event.kind === 'response') answers.push(answeredBy(event.event.response, step.resumedAt));
    const senders = step.visited.filter((name) => isRequestState(compiled, name));
    senders.forEach((name, i) => {
      const request = step.requests[i];
      if (request?.kind === 'ChoiceRequest' && isId(request.groupId)) questions.set(looseKey(request.groupId), { state: name, groupId: request.groupId, request });
    });
    const mismatch = firstMismatch(expected.bot, step.requests);
    if (mismatch >= 0) {
      const want = expected.bot[mismatch];
      const got = step.requests[mismatch];
      const expectedText = want ? describeExpectation(want) : 'nothing more';
      const saidText = got ? describeMessage(got) : 'nothing more';
      const state = senders[mismatch] ?? lastOf(step.visited);
      const reason = `${turnLabel(turn, expected)}, bot message ${mismatch + 1}${state ? ` (state "${state}")` : ''}: expected ${expectedText}, the bot said ${saidText}.`;
      return fail({ turn, message: mismatch, state, expected: expectedText, said: saidText, reason, actual: step.requests });
    }
  }
  return { name: test.name, passed: true, visited, answers };
}

function answeredBy(response: { kind: string }, state: string): AnsweredBy {
  const fields = response as Record<string, unknown>;
  return response.kind === 'ChoiceResponse'
    ? { kind: 'ChoiceResponse', groupId: fields.groupId as Id, itemId: fields.itemId as Id, state }
    : { kind: 'UserText', sessionId: fields.sessionId as Id, state };
}

/** "Turn 3 (pick "Go")" */
export function turnLabel(turn: number, expected: { pick?: string; type?: string }): string {
  if (turn === 0) return 'Turn 1 (start)';
  if (expected.pick !== undefined) return `Turn ${turn + 1} (pick ${JSON.stringify(expected.pick)})`;
  if (expected.type !== undefined) return `Turn ${turn + 1} (type ${JSON.stringify(expected.type)})`;
  return `Turn ${turn + 1}`;
}

function startEvent(test: ConversationTest): { event: StepEvent } {
  return { event: test.start === undefined ? { kind: 'start' } : { kind: 'start', at: test.start } };
}

type VisitorEvent = { event: StepEvent } | { failure: Pick<TestFailure, 'expected' | 'said' | 'reason'> };

/** The response the widget would send for the turn's action, or why the visitor cannot do it. */
function visitorEvent(turn: { pick?: string; type?: string }, pending: PendingState, questions: Map<string, { groupId: Id; request: RequestMessage }>): VisitorEvent {
  if (turn.pick !== undefined) {
    const waiting = [...pending.choiceGroups].reverse().flatMap((groupId) => {
      const asked = questions.get(looseKey(groupId));
      return asked ? [asked] : [];
    });
    const offered: string[] = [];
    for (const asked of waiting) {
      const choices = isPlainObject(asked.request) && Array.isArray(asked.request.choices) ? (asked.request.choices as unknown[]) : [];
      const texts = choiceTexts(asked.request);
      const index = texts.indexOf(turn.pick);
      if (index >= 0) {
        const choice = choices[index] as { itemId?: unknown };
        if (isId(choice.itemId)) return { event: { kind: 'response', response: { kind: 'ChoiceResponse', groupId: asked.groupId, itemId: choice.itemId, content: turn.pick } } };
      }
      offered.push(...texts);
    }
    const said = offered.length > 0 ? `choices ${offered.map((t) => JSON.stringify(t)).join(', ')}` : 'no question waiting for an answer';
    const reason = offered.length > 0 ? `no question waiting offers the choice ${JSON.stringify(turn.pick)}; the bot offers ${offered.map((t) => JSON.stringify(t)).join(', ')}.` : `the visitor cannot pick ${JSON.stringify(turn.pick)}: no question is waiting for an answer.`;
    return { failure: { expected: `a choice ${JSON.stringify(turn.pick)}`, said, reason } };
  }
  if (turn.type !== undefined) {
    const sessionId = pending.chatSessions[pending.chatSessions.length - 1];
    if (sessionId === undefined) return { failure: { expected: 'an open chat box', said: 'no chat box is open', reason: `the visitor cannot type ${JSON.stringify(turn.type)}: no chat box is open.` } };
    return { event: { kind: 'response', response: { kind: 'UserText', sessionId, content: turn.type } } };
  }
  return { failure: { expected: 'a visitor action', said: 'none', reason: 'the turn has no visitor action ("pick" or "type").' } };
}

/** Index of the first message that does not meet its expectation (or is missing / extra); -1 when all match. */
function firstMismatch(expected: readonly MessageExpectation[], said: readonly RequestMessage[]): number {
  const n = Math.max(expected.length, said.length);
  for (let i = 0; i < n; i++) {
    if (i >= expected.length || i >= said.length || !messageMatches(expected[i], said[i])) return i;
  }
  return -1;
}

function isRequestState(compiled: CompiledFlow, name: string): boolean {
  const state: unknown = compiled.states.get(name);
  const request = isPlainObject(state) ? state.sendRequest : undefined;
  return isPlainObject(request) && (REQUEST_KINDS as readonly unknown[]).includes(request.kind);
}

function lastOf(list: readonly string[]): string | undefined {
  return list[list.length - 1];
}
