import { describe, expect, it } from 'vitest';
import { parseConversationTests } from './parseConversationTests.ts';

import sampleFile from '../../state-machines/bot-assistant.tests.json' with { type: 'json' };

// The file's own text is parsed by scripts/samples.test.ts; here its content, written out again.
const sample = JSON.stringify(sampleFile, null, 4);

function errorsOf(text: string) {
  const result = parseConversationTests(text);
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

describe('parseConversationTests', () => {
  it('reads the sample tests file of the article flow', () => {
    const result = parseConversationTests(sample);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.file.tests.map((t) => t.name)).toEqual(['Rust fans are asked for more, then thanked', 'Other languages are typed into a chat box']);
    expect(result.file.tests[1].turns[2]).toEqual({ type: 'Zig', bot: [{ kind: 'EndChatSession' }, { kind: 'ChoiceRequest', question: 'Any other?', choices: ['Yes', 'No'] }] });
  });

  it('reports a JSON syntax error with its line and column', () => {
    expect(errorsOf('{\n  "tests": [\n    { "name": "a", }\n  ]\n}')).toEqual([expect.objectContaining({ line: 3, column: 20 })]);
  });

  it('reports schema errors at the value, with the JSON path', () => {
    const text = '{\n    "tests": [\n        { "name": "a", "turns": [ { "bot": [ { "kind": "BotTxt", "content": "x" } ] } ] }\n    ]\n}';
    const [error] = errorsOf(text);
    expect(error.path).toBe('tests[0].turns[0].bot[0].kind');
    expect(error.message).toContain('"BotText"');
    expect([error.line, error.column]).toEqual([3, 56]);
  });

  it('reports a missing field and an unknown field at their keys', () => {
    const errors = errorsOf('{"tests": [{"turns": [], "nmae": "x"}]}');
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringContaining('tests[0] has no "name"'),
      expect.stringContaining('tests[0] may not have "nmae"'),
    ]);
    expect(errors[1]).toMatchObject({ path: 'tests[0].nmae', line: 1, column: 26 });
  });

  it('reports what a schema cannot: actions on the wrong turns, duplicate names, bad patterns', () => {
    const file = {
      tests: [
        { name: 'a', turns: [{ pick: 'Go', bot: [] }, { bot: [] }, { pick: 'x', type: 'y', bot: [] }] },
        { name: 'a', turns: [{ bot: [{ kind: 'BotText', content: { pattern: '(' } }, { kind: 'BotText', content: { contains: 'a', pattern: 'b' } }] }] },
        { name: 'b', turns: [] },
      ],
    };
    const messages = errorsOf(JSON.stringify(file, null, 2)).map((e) => `${e.path}: ${e.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^tests\[0\]\.turns\[0\]\.pick: The first turn is the start/),
      expect.stringMatching(/^tests\[0\]\.turns\[1\]: Turn 2 of test "a" has no visitor action/),
      expect.stringMatching(/^tests\[0\]\.turns\[2\]: Turn 3 of test "a" both picks and types/),
      expect.stringMatching(/^tests\[1\]\.name: Test name "a" is used twice/),
      expect.stringMatching(/^tests\[1\]\.turns\[0\]\.bot\[0\]\.content: The pattern "\(" is not a valid regular expression/),
      expect.stringMatching(/^tests\[1\]\.turns\[0\]\.bot\[1\]\.content: A text expectation is a string/),
      expect.stringMatching(/^tests\[2\]\.turns: Test "b" has no turns/),
    ]);
  });

  it('says what the top level must be', () => {
    expect(errorsOf('[]')[0].message).toBe('The file must be an object.');
    expect(errorsOf('{}')[0].message).toBe('The file has no "tests": add it.');
  });
});
