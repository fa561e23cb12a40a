import { describe, expect, it } from 'vitest';
import { checkFlowText } from './checkFlowText.ts';
import { DIAGNOSTIC_CODES, type DiagnosticCode } from './diagnosticCodes.ts';

/** Build flow text from states (JSON.stringify keeps these non-integer names in order). */
const flow = (states: Record<string, unknown>): string => JSON.stringify(states, null, 4) + '\n';
const bot = (content: string, next?: string) => (next ? { sendRequest: { kind: 'BotText', content }, next } : { sendRequest: { kind: 'BotText', content } });
const ask = (groupId: unknown, choices: unknown[]) => ({ sendRequest: { kind: 'ChoiceRequest', groupId, question: 'Q?', choices } });
const choice = (itemId: unknown, content = String(itemId)) => ({ itemId, content });
const pick = (groupId: unknown, itemId: unknown, next: string) => ({ matchResponse: { kind: 'ChoiceResponse', groupId, itemId }, next });
const chat = (sessionId: unknown) => ({ sendRequest: { kind: 'StartChatSession', sessionId, chatPrompt: 'Type…' } });
const text = (sessionId: unknown, next: string) => ({ matchResponse: { kind: 'UserText', sessionId }, next });
const endChat = (sessionId: unknown, next: string) => ({ sendRequest: { kind: 'EndChatSession', sessionId }, next });

/** A small valid flow: a question with two answers. */
const yesNo = {
  hi: bot('Hi', 'q'),
  q: ask('g', [choice('yes'), choice('no')]),
  yes: pick('g', 'yes', 'bye'),
  no: pick('g', 'no', 'bye'),
  bye: bot('Bye'),
};

interface Case {
  /** text that must produce the code (and where) */
  bad: string;
  path: string;
  /** a close variant with the problem fixed: must not produce the code */
  good: string;
  /** a fragment the message must contain */
  says?: string;
}

const cases: Record<DiagnosticCode, Case> = {
  'json-syntax': { bad: '{\n    "a": {\n    }\n    }\n}', path: '', good: '{\n    "a": {\n    }\n}', says: "Unexpected '}' at line 5, column 1: expected the end of the file" },
  'flow-not-object': { bad: '[{"hi": {}}]', path: '', good: flow({ hi: bot('Hi') }), says: 'an array' },
  'state-duplicate': { bad: '{"hi": {"next": "x"}, "x": {"sendRequest": {"kind": "BotText", "content": "a"}}, "hi": {"next": "x"}}', path: 'hi', good: '{"hi": {"next": "x"}, "x": {"sendRequest": {"kind": "BotText", "content": "a"}}, "hi2": {"next": "x"}}', says: 'defined twice' },
  'key-duplicate': { bad: '{"hi": {"sendRequest": {"kind": "BotText", "content": "a", "content": "b"}}}', path: 'hi.sendRequest.content', good: '{"hi": {"sendRequest": {"kind": "BotText", "content": "b"}}}', says: 'last value wins' },
  shape: { bad: flow({ hi: { sendRequest: { kind: 'BotText', content: 5 } } }), path: 'hi.sendRequest.content', good: flow({ hi: bot('5') }), says: 'it must be a string' },
  'field-misspelt': { bad: flow({ hi: { sendRequest: { kind: 'BotText', content: 'Hi' }, nxt: 'bye' }, bye: bot('Bye') }), path: 'hi.nxt', good: flow({ hi: bot('Hi', 'bye'), bye: bot('Bye') }), says: 'has "nxt", which nothing reads. Did you mean "next"?' },
  'kind-unknown': { bad: flow({ hi: { sendRequest: { kind: 'ChoiseRequest', groupId: 'g', question: 'Q', choices: [] } } }), path: 'hi.sendRequest.kind', good: flow({ hi: bot('x') }), says: 'Did you mean "ChoiceRequest"?' },
  'kind-misplaced': { bad: flow({ hi: bot('Hi', 'r'), r: { matchResponse: { kind: 'BotText', content: 'x' } } }), path: 'r.matchResponse.kind', good: flow({ hi: bot('Hi', 'r'), r: bot('x') }), says: 'belongs in sendRequest' },
  'flow-empty': { bad: '{}\n', path: '', good: flow({ hi: bot('Hi') }), says: 'no states' },
  'next-missing': { bad: flow({ hi: bot('Hi', 'doneX'), done: bot('Bye') }), path: 'hi.next', good: flow({ hi: bot('Hi', 'done'), done: bot('Bye') }), says: 'next points to "doneX", which is not a state. Did you mean "done"? Pick an existing state or create "doneX".' },
  'next-cycle': { bad: flow({ hi: bot('Hi', 'a'), a: bot('A', 'b'), b: bot('B', 'a') }), path: 'a.next', good: flow({ hi: bot('Hi', 'a'), a: bot('A', 'b'), b: bot('B') }), says: '"a" → "b" → "a"' },
  'start-silent': { bad: flow({ answer: pick('g', 'maybe', 'x'), x: { next: 'y' }, y: { matchResponse: { kind: 'UserText', sessionId: 's' } }, ...yesNo }), path: 'answer', good: flow({ start: { next: 'x' }, x: bot('Hi') }), says: 'sends nothing' },
  'state-empty': { bad: flow({ hi: bot('Hi'), odd: {} }), path: 'odd', good: flow({ hi: bot('Hi', 'jump'), jump: { next: 'end' }, end: bot('Bye') }), says: 'does nothing' },
  'choices-empty': { bad: flow({ hi: ask('g', []) }), path: 'hi.sendRequest.choices', good: flow(yesNo), says: 'no choices' },
  'choice-duplicate': { bad: flow({ ...yesNo, q: ask('g', [choice('yes'), choice('no'), choice(1), choice('1')]) }), path: 'q.sendRequest.choices[3].itemId', good: flow({ ...yesNo, q: ask('g', [choice('yes'), choice('no'), choice(1), choice('01x')]) }), says: 'already used by choice 2' },
  'text-empty': {
    bad: flow({ ...yesNo, q: { sendRequest: { kind: 'ChoiceRequest', groupId: 'g', question: ' ', choices: [choice('yes'), choice('no')] } } }),
    path: 'q.sendRequest.question',
    good: flow(yesNo),
    says: 'shows its choices under nothing',
  },
  'state-unreachable': { bad: flow({ ...yesNo, lost: bot('Lost') }), path: 'lost', good: flow({ ...yesNo, bye: bot('Bye', 'lost'), lost: bot('Lost') }), says: 'No conversation reaches "lost"' },
  'choice-unanswered': { bad: flow({ ...yesNo, q: ask('g', [choice('yes'), choice('no'), choice('maybe')]) }), path: 'q.sendRequest.choices[2].itemId', good: flow({ ...yesNo, q: ask('g', [choice('yes'), choice('no'), choice('maybe')]), maybe: pick('g', 'maybe', 'bye') }), says: '"itemId": "maybe"' },
  'response-unmatched': { bad: flow({ ...yesNo, other: pick('g', 'other', 'bye') }), path: 'other.matchResponse', good: flow({ ...yesNo, q: ask('g', [choice('yes'), choice('no'), choice('other')]), other: pick('g', 'other', 'bye') }), says: 'No ChoiceRequest offers itemId "other"' },
  'chat-unanswered': { bad: flow({ hi: chat('s') }), path: 'hi.sendRequest.sessionId', good: flow({ hi: chat('s'), typed: text('s', 'end'), end: endChat('s', 'bye'), bye: bot('Bye') }), says: '"kind": "UserText", "sessionId": "s"' },
  'chat-end-unknown': { bad: flow({ hi: chat('s'), typed: text('s', 'end'), end: endChat('t', 'bye'), bye: bot('Bye') }), path: 'end.sendRequest.sessionId', good: flow({ hi: chat('s'), typed: text('s', 'end'), end: endChat('s', 'bye'), bye: bot('Bye') }), says: 'closes sessionId "t"' },
  'choice-group-conflict': { bad: flow({ ...yesNo, bye: bot('Bye', 'again'), again: ask('g', [choice('yes'), choice('no', 'Nope')]) }), path: 'again.sendRequest.groupId', good: flow({ ...yesNo, bye: bot('Bye', 'again'), again: ask('g', [choice('no'), choice('yes')]) }), says: 'like "q"' },
  'response-shadowed': { bad: flow({ ...yesNo, yes2: pick('g', 'yes', 'bye') }), path: 'yes2.matchResponse', good: flow(yesNo), says: '"yes" comes first' },
  'handoff-settings': { bad: flow({ hi: { sendRequest: { kind: 'OperatorHandoff', queue: 'billing', timeoutSeconds: 0 }, next: 'bye' }, bye: bot('Bye') }), path: 'hi.sendRequest.timeoutSeconds', good: flow({ hi: { sendRequest: { kind: 'OperatorHandoff', queue: 'billing', timeoutSeconds: 30 }, next: 'bye' }, bye: bot('Bye') }), says: 'more than 0' },
  'handoff-no-fallback': { bad: flow({ hi: { sendRequest: { kind: 'OperatorHandoff', queue: 'billing' } } }), path: 'hi', good: flow({ hi: { sendRequest: { kind: 'OperatorHandoff', queue: 'billing' }, next: 'bye' }, bye: bot('Bye') }), says: 'has no next' },
  'handoff-article-server': { bad: flow({ hi: { sendRequest: { kind: 'OperatorHandoff', queue: 'billing' }, next: 'bye' }, bye: bot('Bye') }), path: 'hi.sendRequest.kind', good: flow({ hi: bot('Hi', 'bye'), bye: bot('Bye') }), says: "article's own server does not hand off" },
  'conversation-end': { bad: flow({ hi: bot('Hi') }), path: 'hi', good: flow({ hi: bot('Hi', 'q'), q: ask('g', [choice('a')]), a: pick('g', 'a', 'q') }), says: 'The conversation ends after "hi"' },
  'id-loose-match': { bad: flow({ ...yesNo, q: ask('g', [choice('yes'), choice('no'), choice(1)]), one: pick('g', '1', 'bye') }), path: 'one.matchResponse', good: flow({ ...yesNo, q: ask('g', [choice('yes'), choice('no'), choice(1)]), one: pick('g', 1, 'bye') }), says: 'only loosely' },
};

describe('every diagnostic code', () => {
  it('has a test case here', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(DIAGNOSTIC_CODES).sort());
  });

  for (const [code, { bad, path, good, says }] of Object.entries(cases)) {
    it(`${code}: reported with its severity, path and position; absent once fixed`, () => {
      const found = checkFlowText(bad).diagnostics.filter((d) => d.code === code);
      expect(found.map((d) => d.path)).toContain(path);
      const diagnostic = found.find((d) => d.path === path)!;
      expect(diagnostic.severity).toBe(DIAGNOSTIC_CODES[code as DiagnosticCode].severity);
      expect(diagnostic.line).toBeGreaterThan(0);
      expect(diagnostic.offset).toBeGreaterThanOrEqual(0);
      if (says) expect(diagnostic.message).toContain(says);
      expect(checkFlowText(good).diagnostics.filter((d) => d.code === code)).toEqual([]);
    });
  }
});

describe('text-empty', () => {
  it('finds every blank text the widget would show: a message, a question, a choice (and nothing in a text with words)', () => {
    const blank = flow({ hi: bot('', 'q'), q: ask('g', [choice('yes'), choice('no', '\n\t')]), yes: pick('g', 'yes', 'bye'), no: pick('g', 'no', 'bye'), bye: bot(' . ') });
    const paths = checkFlowText(blank).diagnostics.filter((d) => d.code === 'text-empty').map((d) => d.path);
    expect(paths).toEqual(['hi.sendRequest.content', 'q.sendRequest.choices[1].content']);
  });
});
