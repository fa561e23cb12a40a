import { describe, expect, it } from 'vitest';
import { checkFlowText } from '../../../runtime/flow/checkFlowText.ts';
import { DIAGNOSTIC_CODES, type DiagnosticCode } from '../../../runtime/flow/diagnosticCodes.ts';
import type { Diagnostic, Flow } from '../../../runtime/flow/types.ts';
import { createDocumentStore } from '../store/createDocumentStore.ts';
import { fieldOf, plainProblem } from './plainProblems.ts';
import { runProblemFix } from './runProblemFix.ts';

const coffee = {
  hello: { sendRequest: { kind: 'BotText', content: 'Welcome to the café!' }, next: 'ask' },
  ask: {
    sendRequest: {
      kind: 'ChoiceRequest',
      groupId: 'drink',
      question: 'What would you like today?',
      choices: [
        { itemId: 'espresso', content: 'Espresso' },
        { itemId: 'latte', content: 'Latte' },
      ],
    },
  },
  espressoPicked: { matchResponse: { kind: 'ChoiceResponse', groupId: 'drink', itemId: 'espresso' }, next: 'bye' },
  bye: { sendRequest: { kind: 'BotText', content: 'Enjoy!' } },
};
const text = (states: object) => JSON.stringify(states, null, 2) + '\n';
const JSON_WORDS = /groupId|itemId|sessionId|matchResponse|sendRequest|ChoiceResponse|ChoiceRequest|UserText|BotText/;

describe('problems in plain language', () => {
  it('names the unanswered choice and its question by their text, with a fix', () => {
    const { flow, diagnostics } = checkFlowText(text(coffee));
    const d = diagnostics.find((x) => x.code === 'choice-unanswered')!;
    const plain = plainProblem(d, flow!);
    expect(plain.text).toBe("Nobody handles the answer 'Latte' to 'What would you like today?': the conversation stops there.");
    expect(plain.fix).toMatchObject({ kind: 'addAnswerStep', label: "Add a step for 'Latte'", source: 'ask' });
  });

  it('fixes it in one undo step, and the problem is gone', () => {
    const positions = { hello: { x: 0, y: 0 }, ask: { x: 300, y: 0 }, espressoPicked: { x: 600, y: 0 }, bye: { x: 900, y: 0 } };
    const store = createDocumentStore({ ref: null, displayName: 'coffee', text: text(coffee), positions });
    const unanswered = () => checkFlowText(store.getState().text).diagnostics.some((x) => x.code === 'choice-unanswered');
    const d = store.getState().diagnostics.find((x) => x.code === 'choice-unanswered')!;
    const before = store.getState().past.length;
    expect(runProblemFix(store, plainProblem(d, store.getState().flow).fix!)).toBe(true);
    expect(store.getState().past.length).toBe(before + 1);
    expect(unanswered()).toBe(false);
    // the new steps sit in free space: no two overlap
    const placed = Object.values(store.getState().positions);
    for (const [i, a] of placed.entries()) for (const b of placed.slice(i + 1)) expect(Math.abs(a.x - b.x) >= 240 || Math.abs(a.y - b.y) >= 200).toBe(true);
    store.getState().undo();
    expect(unanswered()).toBe(true);
  });

  it('says what is wrong with broken JSON and where: the line, the column and what was expected', () => {
    const broken = text(coffee).replace('"next": "ask"', '"next": "ask",,');
    const { flow, diagnostics } = checkFlowText(broken);
    const d = diagnostics.find((x) => x.code === 'json-syntax')!;
    expect(plainProblem(d, flow ?? { states: [] }).text).toBe(
      `The flow file is not valid JSON (Unexpected ',' at line ${d.line}, column ${d.column}: expected a property name in double quotes), so the canvas shows the last version that was. Fix it in the JSON tab (undo brings the last good one back).`,
    );
    expect(d.line).toBe(broken.split('\n').findIndex((line) => line.includes(',,')) + 1);
  });

  it('says which text is blank, in the words of the step, and points at its box in the inspector', () => {
    const blank = { ...coffee, hello: { sendRequest: { kind: 'BotText', content: ' ' }, next: 'ask' } };
    blank.ask = { sendRequest: { ...coffee.ask.sendRequest, question: '', choices: [{ itemId: 'espresso', content: 'Espresso' }, { itemId: 'latte', content: '' }] } };
    const { flow, diagnostics } = checkFlowText(text(blank));
    const plain = diagnostics.filter((d) => d.code === 'text-empty').map((d) => plainProblem(d, flow!));
    expect(plain.map((p) => p.field)).toEqual(['f-content', 'f-question', 'f-choice-1']);
    expect(plain[1].text).toMatch(/^The question .* has no words, so the visitor sees its answers under nothing\./);
    expect(plain[2].text).toMatch(/^Choice 2 of .* has no words, so its button is blank\./);
  });

  it('has a message without the file format words for every diagnostic code', () => {
    const flow: Flow = checkFlowText(text(coffee)).flow!;
    for (const code of Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[]) {
      const d: Diagnostic = { code, severity: DIAGNOSTIC_CODES[code].severity, path: 'ask.sendRequest.choices[1].itemId', state: 'ask', message: 'technical' };
      const plain = plainProblem(d, flow);
      expect(plain.text, code).not.toBe('technical');
      expect(plain.text, code).not.toMatch(JSON_WORDS);
    }
  });

  it('speaks plainly about the problems real broken flows have', () => {
    const broken = {
      ...coffee,
      hello: { ...coffee.hello, next: 'nowhere' },
      lost: { sendRequest: { kind: 'BotText', content: 'Nobody comes here' } },
      odd: { matchResponse: { kind: 'ChoiceResponse', groupId: 'drink', itemId: 'tea' }, next: 'bye' },
      chat: { sendRequest: { kind: 'StartChatSession', sessionId: 'c', chatPrompt: 'Tell us' } },
    };
    const { flow, diagnostics } = checkFlowText(text(broken));
    expect(diagnostics.length).toBeGreaterThan(4);
    for (const d of diagnostics) expect(plainProblem(d, flow!).text, d.code).not.toMatch(JSON_WORDS);
    const missing = plainProblem(diagnostics.find((d) => d.code === 'next-missing')!, flow!);
    expect(missing).toMatchObject({ text: expect.stringContaining("'Welcome to the café!' goes on to \"nowhere\""), fix: { kind: 'removeNext' }, field: 'f-next' });
    expect(plainProblem(diagnostics.find((d) => d.code === 'chat-unanswered')!, flow!).fix).toMatchObject({ kind: 'addAnswerStep', handle: 'chat' });
  });

  it('points at the inspector field of a path', () => {
    expect(fieldOf('a.next')).toBe('f-next');
    expect(fieldOf('a.sendRequest.content')).toBe('f-content');
    expect(fieldOf('a.sendRequest.choices[2].itemId')).toBe('f-choice-2');
    expect(fieldOf('a')).toBeUndefined();
  });
});
