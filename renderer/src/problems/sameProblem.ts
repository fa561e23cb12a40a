/**
 * Finding, in a fresh validation, the problem an author clicked. The list on screen is validated 60 ms
 * after an edit, so a click right after an edit lands on a row of the list before it: rows may have
 * moved (a fix answered the problem above) and steps may have been renamed (a step's name follows its
 * words). A problem is the same one when its code, its step and its place inside the step agree.
 */
import { parsePath } from '../../../runtime/flow/jsonPath.ts';
import type { Diagnostic, Flow } from '../../../runtime/flow/types.ts';
import type { DocumentStore } from '../store/createDocumentStore.ts';

/**
 * The problem on the row an author clicked, as the document is now (validated first), or undefined
 * when it is gone. `checkedFlow` is the flow the list on screen was found in (the store's `checkedFlow`
 * of that render), which is not `flow` in the moment between an edit and its validation.
 */
export function clickedProblemNow(store: DocumentStore, clicked: Diagnostic, checkedFlow: Flow): Diagnostic | undefined {
  const s = store.getState();
  return findSameProblem(clicked, checkedFlow, s.validateNow(), s.flow);
}

/** The problem of `fresh` (checked against `now`) that `clicked` (shown against `shown`) is, or undefined when it is gone. */
export function findSameProblem(clicked: Diagnostic, shown: Flow, fresh: readonly Diagnostic[], now: Flow): Diagnostic | undefined {
  if (clicked.state === undefined) return fresh.find((d) => d.code === clicked.code && d.state === undefined && d.path === clicked.path);
  const state = stateNameNow(clicked.state, shown, now);
  const inside = pathInsideState(clicked.path);
  return fresh.find((d) => d.code === clicked.code && d.state === state && pathInsideState(d.path) === inside);
}

/**
 * A problem's identity on screen, for its row's key: its code, its step's place in the file (which a
 * rename keeps) and its place inside the step. The row stays the same element through a rename and
 * while rows above it come and go, so a click that lands as the list re-renders reaches the problem
 * it was aimed at (rows keyed by their index handed the click to the problem that moved up).
 */
export function problemKey(d: Diagnostic, checkedFlow: Flow): string {
  if (d.state === undefined) return `${d.code}|${d.path}`;
  return `${d.code}|${checkedFlow.states.findIndex((s) => s.name === d.state)}|${pathInsideState(d.path)}`;
}

/** What step `name` is called now: the same name while it exists, else the name at its place in the file (a rename keeps the place). */
function stateNameNow(name: string, shown: Flow, now: Flow): string | undefined {
  if (now.states.some((s) => s.name === name)) return name;
  const index = shown.states.findIndex((s) => s.name === name);
  return index < 0 ? undefined : now.states[index]?.name;
}

/** A diagnostic's path without its first segment (the step's name), as comparable text. */
function pathInsideState(path: string): string {
  return JSON.stringify(parsePath(path)?.slice(1) ?? path);
}
