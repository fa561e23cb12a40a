import type { Flow } from '../../../runtime/flow/types.ts';
import type { DocumentStore, EditResult } from '../store/createDocumentStore.ts';
import type { Positions } from '../store/documentTypes.ts';

/** What a command sees of the document. */
export interface CommandState {
  flow: Flow;
  positions: Positions;
  selection: string[];
}

/** A command's answer: the edit, a refusal that says why, or null when there is nothing to do. */
export type CommandOutcome = EditResult | { error: string } | null;

/**
 * An edit the author can make. `perform` is pure: it returns the new flow (and positions,
 * selection) and never touches the store, so one definition serves the canvas, the inspector,
 * shortcuts, menus and unit tests, and every run is one undo step followed by validation.
 */
export interface EditCommand<A> {
  name: string;
  /** what undo/redo call it ("Rename state") */
  label: string;
  perform(state: CommandState, args: A): CommandOutcome;
  /** runs of this command with the same key within a second share one undo step (typing in a field) */
  coalesce?(args: A): string | undefined;
}

/** Defines a command (a typed identity: commands are plain objects, run with `runCommand`). */
export function defineCommand<A>(command: EditCommand<A>): EditCommand<A> {
  return command;
}

/**
 * Runs a command against a document: refused while the JSON text does not parse (the canvas
 * shows the last good flow then), and a refusal is told to the author. Returns whether it applied.
 */
export function runCommand<A>(store: DocumentStore, command: EditCommand<A>, args: A): boolean {
  const state = store.getState();
  if (!state.parseOk) {
    state.notify('Fix the JSON first: the canvas shows the last version that parsed.', 'error');
    return false;
  }
  const outcome = command.perform({ flow: state.flow, positions: state.positions, selection: state.selection }, args);
  if (outcome === null) return false;
  if ('error' in outcome) {
    state.notify(outcome.error, 'error');
    return false;
  }
  state.applyEdit(outcome, command.label, command.coalesce?.(args));
  return true;
}
