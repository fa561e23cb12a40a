/**
 * Edits of a tests file that the studio and the CLI make: accept what the bot says now, loosen an
 * expectation, add a test under a free name, and write the file back. Each returns a new value
 * and changes nothing. Pure.
 */
import type { ConversationTest, ConversationTestsFile, MessageExpectation, TextExpectation } from './conversationTestTypes.ts';
import { acceptedExpectation } from './matchExpectation.ts';
import type { TestFailure } from './runConversationTest.ts';
import { parseJsonText } from './jsonText.ts';

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

/**
 * The file's text. Given the text the file was read as (or last written as), that text is kept and only
 * the tests list is rewritten, with every unchanged test in its text as it was (hand formatting
 * included): the file is reviewed in pull requests, where a saved test should be the lines it adds.
 * Otherwise 4-space indentation like the flow files, with a final newline.
 */
export function serializeConversationTests(file: ConversationTestsFile, previousText?: string): string {
  const fresh = `${JSON.stringify(file, null, 4)}\n`;
  const parsed = previousText === undefined ? undefined : parseJsonText(previousText);
  if (!parsed?.ok || parsed.root.type !== 'object') return fresh;
  const list = parsed.root.properties.filter((p) => p.key === 'tests').at(-1)?.value;
  const { tests: _before, ...restBefore } = parsed.root.value;
  const { tests: _after, ...restAfter } = file;
  if (list?.type !== 'array' || JSON.stringify(restBefore) !== JSON.stringify(restAfter)) return fresh;
  const text = previousText!;
  const kept = new Map<string, string[]>();
  for (const item of list.items) {
    const key = JSON.stringify(item.value);
    kept.set(key, [...(kept.get(key) ?? []), text.slice(item.offset, item.offset + item.length)]);
  }
  const listIndent = indentOfLine(text, list.offset);
  const first = list.items[0];
  const itemIndent = first && lineStart(text, first.offset) !== lineStart(text, list.offset) ? indentOfLine(text, first.offset) : `${listIndent}    `;
  const items = file.tests.map((test) => kept.get(JSON.stringify(test))?.shift() ?? JSON.stringify(test, null, 4).replaceAll('\n', `\n${itemIndent}`));
  const written = items.length === 0 ? '[]' : `[\n${items.map((item) => itemIndent + item).join(',\n')}\n${listIndent}]`;
  return text.slice(0, list.offset) + written + text.slice(list.offset + list.length);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The blanks that start the line holding `offset`. */
function indentOfLine(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, offset)))![0];
}

/** `flows/shop.json` -> `flows/shop.tests.json` (the tests file beside a flow). */
export function testsFileFor(flowPath: string): string {
  return flowPath.replace(/(\.json)?$/i, '.tests.json');
}
