/**
 * Edits of a tests file that the studio and the CLI make: accept what the bot says now, loosen an
 * expectation, add a test under a free name, and write the file back. Each returns a new value
 * and changes nothing. Pure.
 */
import type { ConversationTest, ConversationTestsFile, MessageExpectation, TextExpectation } from './conversationTestTypes.ts';
import { acceptedExpectation } from './matchExpectation.ts';
import type { TestFailure } from './runConversationTest.ts';

/**
 * The test with the failing turn's expectations replaced by what the bot said now (expectations
 * that still match are kept as they are, so loosened ones stay loose). Null when the failure
 * happened before the bot answered (a choice that no longer exists, a step the flow refuses):
 * there is no new behaviour to accept, the test's action has to change.
 */
export function acceptNewBehaviour(test: ConversationTest, failure: TestFailure): ConversationTest | null {
  const turn = test.turns[failure.turn];
  if (!failure.actual || !turn) return null;
  const bot = failure.actual.map((message, i) => acceptedExpectation(turn.bot[i], message));
  return { ...test, turns: test.turns.map((t, i) => (i === failure.turn ? { ...t, bot } : t)) };
}

/** How strictly a text is compared. */
export type TextMode = 'exact' | 'contains' | 'pattern';

export function textModeOf(text: TextExpectation): TextMode {
  return typeof text === 'string' ? 'exact' : 'contains' in text ? 'contains' : 'pattern';
}

export function textValueOf(text: TextExpectation): string {
  return typeof text === 'string' ? text : 'contains' in text ? text.contains : text.pattern;
}

export function makeText(mode: TextMode, value: string): TextExpectation {
  return mode === 'exact' ? value : mode === 'contains' ? { contains: value } : { pattern: value };
}

/** Which text of a message expectation: its content, question, chat prompt, or choice i. */
export type TextField = 'content' | 'question' | 'chatPrompt' | 'text' | { choice: number };

/** The expectation with one of its texts replaced (unchanged when it has no such text). */
export function withText(expectation: MessageExpectation, field: TextField, text: TextExpectation): MessageExpectation {
  if (typeof field === 'object') {
    if (expectation.kind !== 'ChoiceRequest' || !expectation.choices || field.choice >= expectation.choices.length) return expectation;
    return { ...expectation, choices: expectation.choices.map((c, i) => (i === field.choice ? text : c)) };
  }
  if (field === 'content' && expectation.kind === 'BotText') return { ...expectation, content: text };
  if (field === 'question' && expectation.kind === 'ChoiceRequest') return { ...expectation, question: text };
  if (field === 'chatPrompt' && expectation.kind === 'StartChatSession') return { ...expectation, chatPrompt: text };
  if (field === 'text' && expectation.kind === 'OperatorHandoff') return { ...expectation, text };
  return expectation;
}

/** The file with test `index` replaced (or removed, with null). */
export function replaceTest(file: ConversationTestsFile, index: number, test: ConversationTest | null): ConversationTestsFile {
  const tests = test === null ? file.tests.filter((_, i) => i !== index) : file.tests.map((t, i) => (i === index ? test : t));
  return { ...file, tests };
}

/** The file with `test` added at the end, renamed "name (2)", "name (3)"… when its name is taken. */
export function addTest(file: ConversationTestsFile, test: ConversationTest): ConversationTestsFile {
  const taken = new Set(file.tests.map((t) => t.name));
  let name = test.name;
  for (let n = 2; taken.has(name); n++) name = `${test.name} (${n})`;
  return { ...file, tests: [...file.tests, { ...test, name }] };
}

/** An empty tests file. */
export function emptyTestsFile(): ConversationTestsFile {
  return { tests: [] };
}

/** The file's text: 4-space indentation like the flow files, with a final newline. */
export function serializeConversationTests(file: ConversationTestsFile): string {
  return `${JSON.stringify(file, null, 4)}\n`;
}

/** `flows/shop.json` -> `flows/shop.tests.json` (the tests file beside a flow). */
export function testsFileFor(flowPath: string): string {
  return flowPath.replace(/(\.json)?$/i, '.tests.json');
}
