/**
 * Tests file text -> ConversationTestsFile, or every problem with its line and column: JSON
 * syntax, the schema (`conversation-tests.schema.json`, checked by the project's own interpreter)
 * and what a schema cannot say (one action per turn, unique names, patterns that compile). Pure.
 */
import schemaDocument from './conversation-tests.schema.json' with { type: 'json' };
import { checkJsonSchema, type JsonSchema, type SchemaError } from './checkJsonSchema.ts';
import type { ConversationTestsFile, TestFileError, TextExpectation } from './conversationTestTypes.ts';
import { formatPath, type PathSegment } from './jsonPath.ts';
import { parseJsonText } from './jsonText.ts';
import { createSourceMap, type FlowSourceMap } from './sourceMap.ts';

/** The tests file's JSON Schema. */
export const conversationTestsSchema = schemaDocument as unknown as JsonSchema;

export type ParseTestsResult = { ok: true; file: ConversationTestsFile } | { ok: false; errors: TestFileError[] };

/** Parse and check a tests file. Never throws. */
export function parseConversationTests(text: string): ParseTestsResult {
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { message, line, column } = parsed.error;
    return { ok: false, errors: [{ path: '', message, line, column }] };
  }
  const sourceMap = createSourceMap(text, parsed.root);
  const value = parsed.root.value;
  const errors = checkJsonSchema(value, conversationTestsSchema, conversationTestsSchema).map((error) => schemaError(error, sourceMap));
  if (errors.length === 0) errors.push(...meaningErrors(value as unknown as ConversationTestsFile, sourceMap));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, file: value as unknown as ConversationTestsFile };
}

/** The checks a schema cannot express. */
function meaningErrors(file: ConversationTestsFile, sourceMap: FlowSourceMap): TestFileError[] {
  const errors: TestFileError[] = [];
  const at = (segments: PathSegment[], message: string) => errors.push(located(formatPath(segments), message, sourceMap));
  const names = new Map<string, number>();
  file.tests.forEach((test, t) => {
    const first = names.get(test.name);
    if (first !== undefined) at(['tests', t, 'name'], `Test name "${test.name}" is used twice (also by test ${first + 1}): give each test its own name.`);
    else names.set(test.name, t);
    if (test.turns.length === 0) at(['tests', t, 'turns'], `Test "${test.name}" has no turns: add at least the start, e.g. { "bot": [ … ] }.`);
    test.turns.forEach((turn, i) => {
      const actions = ['pick', 'type'].filter((key) => key in turn);
      if (i === 0 && actions.length > 0) at(['tests', t, 'turns', 0, actions[0]], `The first turn is the start of the conversation: the visitor cannot "${actions[0]}" yet. Put this action on the second turn.`);
      if (i > 0 && actions.length === 0) at(['tests', t, 'turns', i], `Turn ${i + 1} of test "${test.name}" has no visitor action: add "pick": "<choice text>" or "type": "<text>".`);
      if (actions.length > 1) at(['tests', t, 'turns', i], `Turn ${i + 1} of test "${test.name}" both picks and types: keep one action per turn.`);
      turn.bot.forEach((expectation, m) => {
        const texts: [PathSegment[], TextExpectation | undefined][] = [];
        const base: PathSegment[] = ['tests', t, 'turns', i, 'bot', m];
        if (expectation.kind === 'BotText') texts.push([[...base, 'content'], expectation.content]);
        if (expectation.kind === 'ChoiceRequest') {
          texts.push([[...base, 'question'], expectation.question]);
          expectation.choices?.forEach((choice, c) => texts.push([[...base, 'choices', c], choice]));
        }
        if (expectation.kind === 'StartChatSession') texts.push([[...base, 'chatPrompt'], expectation.chatPrompt]);
        if (expectation.kind === 'OperatorHandoff') texts.push([[...base, 'text'], expectation.text]);
        for (const [path, text] of texts) {
          const problem = textProblem(text);
          if (problem) at(path, problem);
        }
      });
    });
  });
  return errors;
}

function textProblem(text: TextExpectation | undefined): string | undefined {
  if (text === undefined || typeof text === 'string') return undefined;
  const keys = Object.keys(text);
  if (keys.length !== 1) return 'A text expectation is a string, { "contains": "…" } or { "pattern": "…" }: exactly one of them.';
  if ('pattern' in text) {
    try {
      new RegExp(text.pattern, 'u');
    } catch (error) {
      return `The pattern ${JSON.stringify(text.pattern)} is not a valid regular expression: ${(error as SyntaxError).message}.`;
    }
  }
  return undefined;
}

function schemaError(error: SchemaError, sourceMap: FlowSourceMap): TestFileError {
  const path = formatPath(error.path);
  const where = path === '' ? 'The file' : path;
  switch (error.keyword) {
    case 'type':
      return located(path, `${where} must be ${error.expected.map((type) => (type === 'array' || type === 'object' ? `an ${type}` : `a ${type}`)).join(' or ')}.`, sourceMap);
    case 'required':
      return located(path, `${where} has no "${error.property}": add it.`, sourceMap, true);
    case 'const':
    case 'enum':
    case 'discriminator':
      return located(path, `${where} is ${JSON.stringify(error.value)}; it must be ${error.allowed.map((a) => JSON.stringify(a)).join(' or ')}.`, sourceMap);
    case 'additionalProperties':
      return located(formatPath([...error.path, error.property]), `${where} may not have "${error.property}": remove it (see conversation-tests.schema.json).`, sourceMap, true);
  }
}

function located(path: string, message: string, sourceMap: FlowSourceMap, key = false): TestFileError {
  const span = key ? sourceMap.locateKey(path) : sourceMap.locate(path);
  return span ? { path, message, line: span.line, column: span.column } : { path, message };
}

/** "file:3:5: message" lines for a report. */
export function formatTestFileErrors(file: string, errors: readonly TestFileError[]): string[] {
  return errors.map((e) => `${file}${e.line === undefined ? '' : `:${e.line}:${e.column}`}: ${e.message}${e.path ? ` (${e.path})` : ''}`);
}
