/**
 * Re-runs conversation tests after an edit, running only the tests the edit can affect. A passing
 * test's outcome depends only on the bodies of the states it passed through, on which state
 * answered each of its visitor answers, and (without a `start`) on the first state: when all of
 * those are unchanged, its previous result holds. Failing tests always run again (an edit anywhere,
 * such as a new matchResponse, may fix them). Pure.
 */
import { choiceMatcherFor, textMatcherFor, type CompiledFlow } from './compileFlow.ts';
import type { ConversationTest, ConversationTestsFile } from './conversationTestTypes.ts';
import { runConversationTest, summarize, type TestResult, type TestRunSummary } from './runConversationTest.ts';
import type { State } from './types.ts';

/** What a previous run leaves for the next one. */
export interface TestRun {
  compiled: CompiledFlow;
  tests: readonly ConversationTest[];
  summary: TestRunSummary;
  /** how many tests this run actually ran (the rest kept their previous results) */
  ran: number;
}

/** Run `file` on `compiled`, reusing what `previous` found where the edit cannot have changed it. */
export function rerunConversationTests(compiled: CompiledFlow, file: ConversationTestsFile, previous: TestRun | null): TestRun {
  const sameBody = bodyComparer(previous?.compiled, compiled);
  // Most edits change no matchResponse: then every answer is still taken by the same state.
  const sameMatchers = previous !== null && matchersUnchanged(previous.compiled, compiled);
  const reusable = (test: ConversationTest, index: number): TestResult | undefined => {
    if (!previous || previous.tests[index] !== test) return undefined;
    const result = previous.summary.results[index];
    if (!result?.passed) return undefined;
    if (test.start === undefined && previous.compiled.initial !== compiled.initial) return undefined;
    for (const name of result.visited) if (!sameBody(name)) return undefined;
    if (sameMatchers) return result;
    for (const answer of result.answers) {
      const now = answer.kind === 'ChoiceResponse' ? choiceMatcherFor(compiled, answer.groupId, answer.itemId)?.state : textMatcherFor(compiled, answer.sessionId)?.state;
      if (now !== answer.state) return undefined;
    }
    return result;
  };
  let ran = 0;
  const results = file.tests.map((test, index) => {
    const kept = reusable(test, index);
    if (kept) return kept;
    ran += 1;
    return runConversationTest(compiled, test);
  });
  return { compiled, tests: file.tests, summary: summarize(compiled, results), ran };
}

/**
 * Is state `name`'s body the same in both flows? Edits share unchanged state objects, so identity
 * answers at once; a re-parsed text has new objects, compared by their JSON text (cached per object).
 */
function bodyComparer(before: CompiledFlow | undefined, after: CompiledFlow): (name: string) => boolean {
  return (name) => {
    if (!before) return false;
    const a = before.states.get(name);
    const b = after.states.get(name);
    if (a === b) return a !== undefined;
    if (a === undefined || b === undefined) return false;
    return textOf(a) === textOf(b);
  };
}

/** Same state names in the same order, and the same matchResponse on each (so every answer resolves alike). */
function matchersUnchanged(before: CompiledFlow, after: CompiledFlow): boolean {
  if (before.states.size !== after.states.size) return false;
  const old = before.states.entries();
  for (const [name, body] of after.states) {
    const [oldName, oldBody] = old.next().value as [string, State];
    if (oldName !== name) return false;
    if (oldBody === body) continue;
    const a = matchOf(oldBody);
    const b = matchOf(body);
    if (a !== b && (a === undefined || b === undefined || JSON.stringify(a) !== JSON.stringify(b))) return false;
  }
  return true;
}

function matchOf(state: unknown): unknown {
  return typeof state === 'object' && state !== null ? (state as State).matchResponse : undefined;
}

const texts = new WeakMap<object, string>();

function textOf(state: State): string {
  if (typeof state !== 'object' || state === null) return JSON.stringify(state) ?? 'undefined';
  let text = texts.get(state);
  if (text === undefined) texts.set(state, (text = JSON.stringify(state)));
  return text;
}
