/**
 * Problems in the author's words: every diagnostic code of `runtime/flow/diagnosticCodes.ts` gets a
 * message that names steps and choices by their text, says what happens to the conversation, and
 * (where one exists) offers a one-click fix. Pure: the studio turns a fix into one command run, one
 * undo step. The CLI's `validate` keeps the technical messages.
 */
import type { DiagnosticCode } from '../../../runtime/flow/diagnosticCodes.ts';
import { CHAT_HANDLE, choiceHandleId } from '../../../runtime/flow/flowGraph.ts';
import { isPlainObject } from '../../../runtime/flow/isPlainObject.ts';
import { parsePath } from '../../../runtime/flow/jsonPath.ts';
import { isId } from '../../../runtime/flow/looseId.ts';
import type { Diagnostic, Flow, Id, State } from '../../../runtime/flow/types.ts';
import { choiceText, questionText, shorten, stepWords } from '../words/stepWords.ts';

/** A one-click fix, as data: the studio maps each to one command. */
export type ProblemFix =
  | { kind: 'addAnswerStep'; label: string; source: string; handle: string }
  | { kind: 'removeNext'; label: string; state: string }
  | { kind: 'deleteStep'; label: string; state: string }
  | { kind: 'setStart'; label: string; state: string }
  | { kind: 'addFirstStep'; label: string };

export interface PlainProblem {
  /** what is wrong and what it does to the conversation, in the author's words */
  text: string;
  fix?: ProblemFix;
  /** the inspector field the problem is about (its element id), when there is one */
  field?: string;
}

interface Context {
  d: Diagnostic;
  flow: Flow;
  state: State | undefined;
  /** the step in words, quoted */
  step: string;
}

/** A step or answer in quotes: single ones, or double when the words hold an answer's quotes already. */
const quote = (text: string) => (text.includes("'") ? `“${shorten(text)}”` : `'${shorten(text)}'`);

type Describe = (c: Context) => PlainProblem;

/** One entry per code: TypeScript fails the build when a code is added without its message. */
const PLAIN: Record<DiagnosticCode, Describe> = {
  'json-syntax': ({ d }) => ({ text: `The flow file is not valid JSON (${d.message}), so the canvas shows the last version that was. Fix it in the JSON tab (undo brings the last good one back).` }),
  'flow-not-object': () => ({ text: 'The flow file does not hold steps (its top level must be an object of named steps). Fix it in the JSON tab.' }),
  'state-duplicate': ({ d }) => ({ text: `Two steps are called "${d.state}"; only the last one would be kept. Rename one of them.`, field: 'f-name' }),
  'key-duplicate': ({ step }) => ({ text: `${step} sets the same setting twice; the last one wins. Remove one in the JSON tab.` }),
  shape: ({ step, d }) => ({ text: `${step} has a setting the bot cannot read (${settingWords(d.path)}). Check it in the inspector or the JSON tab.`, field: fieldOf(d.path) }),
  'field-misspelt': ({ step }) => ({ text: `${step} has a misspelt setting, typed in the JSON tab, so the bot ignores it. The JSON tab marks it and says what was meant.` }),
  'kind-unknown': ({ step }) => ({ text: `${step} is of a kind the bot does not know. Pick one of the step kinds in the JSON tab.` }),
  'kind-misplaced': ({ step }) => ({ text: `${step} mixes up what the bot says and what it reacts to. Fix its kind in the JSON tab.` }),
  'flow-empty': () => ({ text: 'The flow has no steps yet, so a conversation cannot start.', fix: { kind: 'addFirstStep', label: 'Add a first message' } }),
  'next-missing': ({ step, state, d }) => ({
    text: `${step} goes on to "${String(state?.next ?? '')}", which is not a step: the conversation stops there.`,
    fix: d.state ? { kind: 'removeNext', label: 'Remove the broken link', state: d.state } : undefined,
    field: 'f-next',
  }),
  'next-cycle': ({ step }) => ({ text: `${step} is part of a loop of "Then go to" links that never waits for the user: the bot would repeat it forever. Remove one link of the loop.`, field: 'f-next' }),
  'start-silent': ({ flow, step }) => {
    const talking = flow.states.find((s) => isPlainObject(s.state.sendRequest));
    return {
      text: `The conversation starts at ${step}, which says nothing, so a visitor sees an empty chat.`,
      fix: talking ? { kind: 'setStart', label: `Start with ${quote(stepWords(flow, talking.name))}`, state: talking.name } : undefined,
    };
  },
  'state-empty': ({ d }) => ({ text: `A step ("${d.state}") does nothing: it says nothing, reacts to nothing and goes nowhere.`, fix: d.state ? { kind: 'deleteStep', label: 'Delete this step', state: d.state } : undefined }),
  'choices-empty': ({ step }) => ({ text: `The question ${step} offers no choices, so the user cannot answer it. Add a choice in the inspector.` }),
  'text-empty': ({ step, d }) => {
    const choice = parsePath(d.path)?.find((segment) => typeof segment === 'number');
    if (choice !== undefined) return { text: `Choice ${choice + 1} of ${step} has no words, so its button is blank. Write them in the inspector.`, field: fieldOf(d.path) };
    if (d.path.endsWith('.question')) return { text: `The question ${step} has no words, so the visitor sees its answers under nothing. Write the question in the inspector.`, field: fieldOf(d.path) };
    return { text: `${step} has no words, so the visitor sees an empty message. Write them in the inspector.`, field: fieldOf(d.path) };
  },
  'choice-duplicate': ({ step }) => ({ text: `Two choices of ${step} have the same id, so the bot cannot tell them apart. Give each its own id (Advanced).` }),
  'state-unreachable': ({ step, d }) => ({
    text: `No conversation reaches ${step}: nothing leads to it.`,
    fix: d.state ? { kind: 'deleteStep', label: 'Delete this step', state: d.state } : undefined,
  }),
  'choice-unanswered': ({ flow, state, step, d }) => {
    const itemId = choiceIdAt(state, d.path);
    const request = state?.sendRequest;
    const groupId = isPlainObject(request) && isId(request.groupId) ? request.groupId : undefined;
    const choice = itemId === undefined || groupId === undefined ? undefined : choiceText(flow, groupId, itemId);
    const answer = choice === undefined ? 'one answer' : `the answer ${quote(choice)}`;
    return {
      text: `Nobody handles ${answer} to ${step}: the conversation stops there.`,
      fix: d.state && itemId !== undefined ? { kind: 'addAnswerStep', label: `Add a step for ${choice === undefined ? 'it' : quote(choice)}`, source: d.state, handle: choiceHandleId(itemId) } : undefined,
    };
  },
  'response-unmatched': ({ flow, state, d }) => ({
    text: `${matcherWords(flow, state, d)} never runs: no question offers that answer.`,
    fix: d.state ? { kind: 'deleteStep', label: 'Delete this step', state: d.state } : undefined,
  }),
  'chat-unanswered': ({ step, d }) => ({
    text: `Nobody handles what the user types after ${step}: the conversation stops there.`,
    fix: d.state ? { kind: 'addAnswerStep', label: 'Add a step for what they type', source: d.state, handle: CHAT_HANDLE } : undefined,
  }),
  'chat-end-unknown': ({ step }) => ({ text: `${step} closes a text box that no step opens. Pick the chat it closes (Advanced).`, field: 'f-session' }),
  'choice-group-conflict': ({ step }) => ({ text: `${step} shares its question id with another question that offers different choices, so their answers get mixed up. Give it its own question id (Advanced).`, field: 'f-group' }),
  'response-shadowed': ({ flow, state, d }) => ({
    text: `${matcherWords(flow, state, d)} is never used: an earlier step already reacts to the same answer.`,
    fix: d.state ? { kind: 'deleteStep', label: 'Delete this step', state: d.state } : undefined,
  }),
  'conversation-end': ({ step }) => ({ text: `The conversation ends after ${step}. Fine for a goodbye; add "Then go to" if it should go on.`, field: 'f-next' }),
  'id-loose-match': ({ step }) => ({ text: `${step} matches its answer by a number written once as text and once as a number. It works; writing both the same way is clearer (Advanced).` }),
  'handoff-settings': ({ step }) => ({ text: `${step} needs a queue name (letters, digits, - or _) and a wait of at most a day before the bot takes over again. Fix them in the inspector.` }),
  'handoff-no-fallback': ({ step }) => ({ text: `When nobody answers ${step} in time, the conversation ends without a word. Add "Then go to" for what the bot says instead.`, field: 'f-next' }),
  'handoff-article-server': ({ step }) => ({ text: `${step} hands the visitor to a person on this server. The article's original server cannot: it goes straight on to "Then go to".` }),
};

/** Where the flow text's JSON syntax error is, as " at line 7" ('' when unknown): the canvas and the JSON pane say it. */
export function syntaxErrorAt(diagnostics: readonly Diagnostic[]): string {
  const line = diagnostics.find((d) => d.code === 'json-syntax')?.line;
  return line === undefined ? '' : ` at line ${line}`;
}

/** The author-facing message (and fix) for a diagnostic of the open flow. */
export function plainProblem(d: Diagnostic, flow: Flow): PlainProblem {
  const state = d.state === undefined ? undefined : flow.states.find((s) => s.name === d.state)?.state;
  const step = d.state === undefined ? 'the flow' : quote(stepWords(flow, d.state));
  const describe = PLAIN[d.code as DiagnosticCode];
  if (!describe) return { text: d.message };
  const plain = describe({ d, flow, state, step });
  return { ...plain, field: plain.field ?? fieldOf(d.path) };
}

function matcherWords(flow: Flow, state: State | undefined, d: Diagnostic): string {
  const match = state?.matchResponse;
  if (isPlainObject(match) && match.kind === 'ChoiceResponse' && isId(match.groupId) && isId(match.itemId)) {
    const question = questionText(flow, match.groupId);
    const choice = choiceText(flow, match.groupId, match.itemId);
    if (choice !== undefined) return `The step for ${quote(choice)}${question ? ` to ${quote(question)}` : ''}`;
    return `The step for answer "${String(match.itemId)}"`;
  }
  return d.state ? `The step "${d.state}"` : 'A step';
}

function choiceIdAt(state: State | undefined, path: string): Id | undefined {
  const segments = parsePath(path);
  const index = segments?.find((s): s is number => typeof s === 'number');
  const request = state?.sendRequest;
  if (index === undefined || !isPlainObject(request) || !Array.isArray(request.choices)) return undefined;
  const choice: unknown = request.choices[index];
  return isPlainObject(choice) && isId(choice.itemId) ? choice.itemId : undefined;
}

const SETTING_WORDS: Record<string, string> = {
  content: 'its text',
  question: 'its question',
  choices: 'its choices',
  groupId: 'its question id',
  itemId: "a choice's id",
  sessionId: 'its chat id',
  chatText: 'what it says',
  chatPrompt: 'its placeholder',
  next: 'its "Then go to"',
  kind: 'its kind',
  sendRequest: 'what it says',
  matchResponse: 'what it reacts to',
};

/** The setting a path ends in, in words. */
function settingWords(path: string): string {
  const key = (parsePath(path) ?? []).filter((s): s is string => typeof s === 'string').at(-1) ?? '';
  return SETTING_WORDS[key] ?? 'a setting';
}

const FIELD_BY_KEY: Record<string, string> = {
  next: 'f-next',
  content: 'f-content',
  question: 'f-question',
  groupId: 'f-group',
  itemId: 'f-item',
  sessionId: 'f-session',
  chatText: 'f-chattext',
  chatPrompt: 'f-prompt',
};

/** The inspector field a JSON path points into: `greet.sendRequest.content` → `f-content`; a choice → its text box. */
export function fieldOf(path: string): string | undefined {
  const segments = parsePath(path) ?? [];
  const choice = segments.findIndex((s) => s === 'choices');
  if (choice !== -1 && typeof segments[choice + 1] === 'number') return `f-choice-${segments[choice + 1] as number}`;
  for (let i = segments.length - 1; i >= 1; i--) {
    const key = segments[i];
    if (typeof key === 'string' && FIELD_BY_KEY[key]) return FIELD_BY_KEY[key];
  }
  return undefined;
}
