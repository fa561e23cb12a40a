/**
 * The conversation tests file (`<flow>.tests.json`, schema `conversation-tests.schema.json`):
 * conversations with what the visitor does at each turn and what the bot must say. Pure types.
 */

/** A text the bot must say: exactly this string, a part of it, or a regular expression it matches. */
export type TextExpectation = string | { contains: string } | { pattern: string };

export type MessageExpectation =
  | { kind: 'BotText'; content: TextExpectation }
  | { kind: 'ChoiceRequest'; question: TextExpectation; choices?: TextExpectation[] }
  | { kind: 'StartChatSession'; chatPrompt?: TextExpectation }
  | { kind: 'EndChatSession' }
  /** "Talk to a person": the handoff's message (what the visitor is told while an operator is found) */
  | { kind: 'OperatorHandoff'; text?: TextExpectation };

/** One turn: the visitor's action (none on the first turn) and every message the bot sends in answer. */
export interface TestTurn {
  /** pick the choice with this text among the questions waiting for an answer */
  pick?: string;
  /** type this text into the open chat box */
  type?: string;
  bot: MessageExpectation[];
}

export interface ConversationTest {
  name: string;
  /** start at this state instead of the flow's first one */
  start?: string;
  turns: TestTurn[];
}

export interface ConversationTestsFile {
  $schema?: string;
  tests: ConversationTest[];
}

/** A problem in a tests file, with where it is. */
export interface TestFileError {
  /** JSON path, e.g. `tests[0].turns[2].pick` ('' for the whole file) */
  path: string;
  message: string;
  /** 1-based, when known */
  line?: number;
  column?: number;
}
