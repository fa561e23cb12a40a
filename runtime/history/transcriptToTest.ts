/**
 * "Save as test": a recorded conversation (a preview the author clicked through, or a real
 * visitor's session) turned into a conversation test whose expectations are exactly what the bot
 * said. The last conversation of the transcript is used (a reset starts a new one). Pure.
 */
import type { CompiledFlow } from '../flow/compileFlow.ts';
import type { ConversationTest, TestTurn } from '../flow/conversationTestTypes.ts';
import { isPlainObject } from '../flow/isPlainObject.ts';
import { looseEquals, isId } from '../flow/looseId.ts';
import { choiceTexts, expectationOf } from '../flow/matchExpectation.ts';
import { emptyPending } from '../flow/pendingState.ts';
import { stepSession } from '../flow/stepSession.ts';
import { REQUEST_KINDS, type RequestMessage } from '../flow/types.ts';
import type { TranscriptEntry } from './historyTypes.ts';

export type TranscriptTest = { ok: true; test: ConversationTest } | { ok: false; message: string };

/**
 * The test of a transcript's last conversation. `compiled` (the draft) decides whether the test
 * needs a `start` state: when the recording began somewhere other than where the draft starts
 * (the preview's "Start preview here").
 */
export function transcriptToTest(entries: readonly TranscriptEntry[], name: string, compiled: CompiledFlow): TranscriptTest {
  let from = -1;
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i].kind === 'start') {
      from = i;
      break;
    }
  }
  if (from < 0) return { ok: false, message: 'This session has no start: there is no conversation to save as a test.' };
  const turns: TestTurn[] = [{ bot: [] }];
  const asked: RequestMessage[] = [];
  let firstState: string | undefined;
  for (const entry of entries.slice(from + 1)) {
    if (entry.kind === 'reset' || entry.kind === 'start') break;
    const message = entry.message;
    if (entry.kind === 'request' && isRequest(message)) {
      turns[turns.length - 1].bot.push(expectationOf(message));
      if (message.kind === 'ChoiceRequest') asked.push(message);
      if (turns.length === 1 && firstState === undefined) firstState = entry.state;
    } else if (entry.kind === 'response' && isPlainObject(message)) {
      if (message.kind === 'ChoiceResponse') turns.push({ pick: pickedText(message, asked), bot: [] });
      else if (message.kind === 'UserText') turns.push({ type: typeof message.content === 'string' ? message.content : '', bot: [] });
    }
  }
  if (turns[0].bot.length === 0 && turns.length === 1) return { ok: false, message: 'The bot said nothing in this session yet: there is nothing to test.' };
  const test: ConversationTest = { name, turns };
  if (firstState !== undefined && startsElsewhere(compiled, firstState)) test.start = firstState;
  return { ok: true, test };
}

/** The text of the picked choice, from the latest question of its group (what the visitor saw). */
function pickedText(response: Record<string, unknown>, asked: readonly RequestMessage[]): string {
  const { groupId, itemId } = response;
  for (let i = asked.length - 1; i >= 0; i--) {
    const question = asked[i] as { groupId?: unknown; choices?: unknown };
    if (!isId(groupId) || !isId(question.groupId) || !looseEquals(question.groupId, groupId)) continue;
    const choices = Array.isArray(question.choices) ? question.choices : [];
    const index = choices.findIndex((c: unknown) => isPlainObject(c) && isId(c.itemId) && isId(itemId) && looseEquals(c.itemId, itemId));
    if (index >= 0) return choiceTexts(asked[i])[index];
  }
  return typeof response.content === 'string' ? response.content : String(itemId);
}

/** Does a fresh conversation on the draft send its first message from another state than `state`? */
function startsElsewhere(compiled: CompiledFlow, state: string): boolean {
  if (!compiled.states.has(state)) return false;
  const start = stepSession(compiled, emptyPending(), { kind: 'start' });
  if (!start.ok) return true;
  return !start.visited.some((name) => name === state);
}

function isRequest(message: unknown): message is RequestMessage {
  return isPlainObject(message) && (REQUEST_KINDS as readonly unknown[]).includes(message.kind);
}
