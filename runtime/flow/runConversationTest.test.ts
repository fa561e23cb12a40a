import { describe, expect, it } from 'vitest';
import { compileFlow } from './compileFlow.ts';
import type { ConversationTest, TestTurn } from './conversationTestTypes.ts';
import { readFileSync } from 'node:fs';
import { acceptNewBehaviour, addTest, replaceTest, serializeConversationTests, testsFileFor, withText } from './editConversationTests.ts';
import { parseConversationTests } from './parseConversationTests.ts';
import { runConversationTest, runConversationTests } from './runConversationTest.ts';
import { articleFlow } from '../testing/testFlows.ts';

import sampleFile from '../../state-machines/bot-assistant.tests.json' with { type: 'json' };

const sample = parseConversationTests(JSON.stringify(sampleFile));
if (!sample.ok) throw new Error('sample tests file does not parse');

const start: TestTurn = {
  bot: [
    { kind: 'BotText', content: "Hi, I'm Bot! Nice to meet you." },
    { kind: 'ChoiceRequest', question: 'What programming language do you use in your hobby projects?', choices: ['Rust', 'Go', 'Other'] },
  ],
};

const goTest: ConversationTest = {
  name: 'go',
  turns: [structuredClone(start), { pick: 'Go', bot: [{ kind: 'ChoiceRequest', question: 'Any other?', choices: ['Yes', 'No'] }] }, { pick: 'No', bot: [{ kind: 'BotText', content: 'Great, thanks!' }] }],
};

function editedArticle(edit: (states: Map<string, Record<string, unknown>>) => void) {
  const flow = articleFlow();
  edit(new Map(flow.states.map((s) => [s.name, s.state as Record<string, unknown>])));
  return compileFlow(flow);
}

describe('runConversationTest', () => {
  const article = compileFlow(articleFlow());

  it('passes the sample tests on the article flow and lists the states they reach', () => {
    const summary = runConversationTests(article, sample.file);
    expect(summary.results.map((r) => [r.name, r.passed, r.failure?.reason])).toEqual([
      ['Rust fans are asked for more, then thanked', true, undefined],
      ['Other languages are typed into a chat box', true, undefined],
    ]);
    expect(summary.unreached).toEqual(['langChoiceGo']);
  });

  it('passes a clicked-through conversation and follows choices by their text', () => {
    const result = runConversationTest(article, goTest);
    expect(result.passed).toBe(true);
    expect(result.visited).toEqual(['greetings', 'langChoices', 'langChoiceGo', 'anyOtherChoices', 'anyOtherNo', 'done']);
  });

  it('names the turn, the state, what was expected and what the bot said when a text changed', () => {
    const changed = editedArticle((s) => ((s.get('done')!.sendRequest as { content: string }).content = 'Bye now.'));
    const { passed, failure } = runConversationTest(changed, goTest);
    expect(passed).toBe(false);
    expect(failure).toMatchObject({ turn: 2, message: 0, state: 'done', expected: 'text "Great, thanks!"', said: 'text "Bye now."' });
    expect(failure!.reason).toBe('Turn 3 (pick "No"), bot message 1 (state "done"): expected text "Great, thanks!", the bot said text "Bye now.".');
  });

  it('fails clearly, not with a crash, when a test picks a choice that no longer exists', () => {
    const changed = editedArticle((s) => ((s.get('langChoices')!.sendRequest as { choices: { content: string }[] }).choices[1].content = 'Golang'));
    const { failure } = runConversationTest(changed, { ...goTest, turns: [{ bot: [] }, ...goTest.turns.slice(1)] });
    // The first turn fails first: its expectations are empty, the bot says two messages.
    expect(failure).toMatchObject({ turn: 0, message: 0, said: 'text "Hi, I\'m Bot! Nice to meet you."', expected: 'nothing more' });
    const fixedStart = { ...goTest, turns: [{ bot: [start.bot[0], { kind: 'ChoiceRequest', question: { contains: 'language' } }] }, ...goTest.turns.slice(1)] } as ConversationTest;
    const missing = runConversationTest(changed, fixedStart).failure!;
    expect(missing).toMatchObject({ turn: 1, state: 'langChoices', expected: 'a choice "Go"', said: 'choices "Rust", "Golang", "Other"' });
    expect(missing.reason).toBe('Turn 2 (pick "Go"): no question waiting offers the choice "Go"; the bot offers "Rust", "Golang", "Other".');
    expect(missing.actual).toBeUndefined();
    expect(acceptNewBehaviour(fixedStart, missing)).toBeNull();
  });

  it('fails when the visitor types with no chat box open, or picks after the end', () => {
    const typed = runConversationTest(article, { name: 't', turns: [start, { type: 'hello', bot: [] }] });
    expect(typed.failure?.reason).toBe('Turn 2 (type "hello"): the visitor cannot type "hello": no chat box is open.');
    const after = runConversationTest(article, { ...goTest, turns: [...goTest.turns, { pick: 'No', bot: [] }] });
    expect(after.failure).toMatchObject({ turn: 3, state: 'done', said: 'no question waiting for an answer' });
  });

  it('reports a bot that says more or less than expected', () => {
    const fewer = runConversationTest(article, { name: 'x', turns: [{ bot: [start.bot[0]] }] });
    expect(fewer.failure).toMatchObject({ message: 1, expected: 'nothing more', said: expect.stringMatching(/^question "What programming/) });
    const more = runConversationTest(article, { name: 'x', turns: [{ bot: [...start.bot, { kind: 'EndChatSession' }] }] } as ConversationTest);
    expect(more.failure).toMatchObject({ message: 2, expected: 'closes the chat box', said: 'nothing more' });
  });

  it('compares contains and pattern expectations and choices in order', () => {
    const loose = (content: unknown) => runConversationTest(article, { name: 'x', turns: [{ bot: [{ kind: 'BotText', content }, { kind: 'ChoiceRequest', question: { pattern: 'hobby projects\\?$' }, choices: ['Rust', 'Go', { contains: 'th' }] }] }] } as ConversationTest);
    expect(loose({ contains: 'Nice to' }).passed).toBe(true);
    expect(loose({ pattern: '^Hi, I.m Bot' }).passed).toBe(true);
    expect(loose({ contains: 'nice to' }).failure?.expected).toBe('text containing "nice to"');
    expect(loose({ pattern: 'Bye' }).failure?.expected).toBe('text matching /Bye/');
  });

  it('starts at the test\'s start state, and fails clearly on an unknown one', () => {
    expect(runConversationTest(article, { name: 's', start: 'done', turns: [{ bot: [{ kind: 'BotText', content: 'Great, thanks!' }] }] }).passed).toBe(true);
    expect(runConversationTest(article, { name: 's', start: 'gone', turns: [{ bot: [] }] }).failure?.reason).toBe('Turn 1 (start): the flow cannot take this step: Cannot start at "gone": no state has that name.');
  });

  it('accepts the new behaviour as one edit of the failing turn, keeping loosened expectations that still match', () => {
    const changed = editedArticle((s) => {
      (s.get('greetings')!.sendRequest as { content: string }).content = "Hi, I'm Bot! Welcome back.";
      (s.get('done')!.sendRequest as { content: string }).content = 'Bye now.';
    });
    const loosened = { ...goTest, turns: goTest.turns.map((t, i) => (i === 0 ? { ...t, bot: [withText(t.bot[0], 'content', { contains: "I'm Bot" }), t.bot[1]] } : t)) };
    const failure = runConversationTest(changed, loosened).failure!;
    expect(failure.turn).toBe(2);
    const accepted = acceptNewBehaviour(loosened, failure)!;
    expect(accepted.turns[2].bot).toEqual([{ kind: 'BotText', content: 'Bye now.' }]);
    expect(accepted.turns[0]).toBe(loosened.turns[0]);
    expect(runConversationTest(changed, accepted).passed).toBe(true);
  });

  it('never throws on a malformed flow', () => {
    const broken = compileFlow({ states: [{ name: 'a', state: { sendRequest: 'nope', next: 42 } as never }] });
    expect(runConversationTest(broken, goTest).failure?.reason).toMatch(/^Turn 1 \(start\): the flow cannot take this step: State "a" has a "next" that is not a state name/);
  });
});

describe('editing tests files', () => {
  it('adds a test under a free name and writes 4-space JSON that parses back', () => {
    const file = addTest(addTest({ tests: [] }, goTest), goTest);
    expect(file.tests.map((t) => t.name)).toEqual(['go', 'go (2)']);
    const text = serializeConversationTests(file);
    expect(text.startsWith('{\n    "tests": [')).toBe(true);
    expect(parseConversationTests(text)).toEqual({ ok: true, file });
  });

  it('writes a saved test as the lines it adds: the other tests and the hand formatting stay as they were', () => {
    const text = readFileSync(new URL('../../state-machines/bot-assistant.tests.json', import.meta.url), 'utf8');
    const parsed = parseConversationTests(text);
    if (!parsed.ok) throw new Error('sample tests file does not parse');
    const lastTestEnd = text.lastIndexOf('}', text.lastIndexOf(']', text.lastIndexOf('}') - 1)) + 1;
    const added = serializeConversationTests(addTest(parsed.file, goTest), text);
    expect(added.slice(0, lastTestEnd)).toBe(text.slice(0, lastTestEnd));
    expect(added.slice(added.length - (text.length - lastTestEnd))).toBe(text.slice(lastTestEnd));
    expect(added.split('\n').length - text.split('\n').length).toBe(JSON.stringify(goTest, null, 4).split('\n').length);
    expect(parseConversationTests(added)).toEqual({ ok: true, file: addTest(parsed.file, goTest) });
    // a changed test is rewritten, the others keep their text; removing every test leaves an empty list
    const renamed = replaceTest(parsed.file, 0, { ...parsed.file.tests[0], name: 'renamed' });
    const rewritten = serializeConversationTests(renamed, text);
    expect(parseConversationTests(rewritten)).toEqual({ ok: true, file: renamed });
    expect(rewritten).toContain(text.slice(text.indexOf('{\n            "name": "Other languages'), lastTestEnd));
    expect(serializeConversationTests({ ...parsed.file, tests: [] }, text)).toBe(`{\n    "$schema": "../runtime/flow/conversation-tests.schema.json",\n    "tests": []\n}\n`);
    // without the text it came from, or from text that is not a tests file: the whole file, 4-space indented
    expect(serializeConversationTests(parsed.file, '[1, 2')).toBe(`${JSON.stringify(parsed.file, null, 4)}\n`);
  });

  it('puts the tests file beside the flow', () => {
    expect(testsFileFor('flows/shop.json')).toBe('flows/shop.tests.json');
    expect(testsFileFor('C:\\x\\Bot.JSON')).toBe('C:\\x\\Bot.tests.json');
  });
});
