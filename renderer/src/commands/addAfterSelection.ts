/**
 * The palette's "Add": a new step goes after the selected one when that step would simply go on
 * (a message, or an answer step, with no "Then go to" yet), linked from it and placed beside it;
 * otherwise it is added on its own in the middle of the view. One command, one undo step.
 */
import { NEXT_HANDLE } from '../../../runtime/flow/flowGraph.ts';
import { isPlainObject } from '../../../runtime/flow/isPlainObject.ts';
import type { Flow } from '../../../runtime/flow/types.ts';
import type { NodePosition } from '../host/studioHost.ts';
import { STEP_BOX } from '../layout/freeSpot.ts';
import { addConnectedCommand } from './linkCommands.ts';
import type { NewStateKind } from './newStateBody.ts';
import { defineCommand } from './registry.ts';
import { addStateCommand } from './stateCommands.ts';

/** Kinds that say something (matchers are reached through an answer, never by "Then go to"). */
const SAYS: ReadonlySet<NewStateKind> = new Set(['BotText', 'ChoiceRequest', 'StartChatSession', 'EndChatSession', 'OperatorHandoff']);

/** The selected step a new step of `kind` continues, or undefined when it starts on its own. */
export function stepToContinue(flow: Flow, selection: readonly string[], kind: NewStateKind): string | undefined {
  if (selection.length !== 1 || !SAYS.has(kind)) return undefined;
  const state = flow.states.find((s) => s.name === selection[0])?.state;
  if (!state || state.next !== undefined) return undefined;
  const request = state.sendRequest;
  // A question or a text box waits for the user; a hand-off's next is its fallback: none simply goes on.
  const goesOn = request === undefined ? isPlainObject(state.matchResponse) : isPlainObject(request) && request.kind === 'BotText';
  return goesOn ? selection[0] : undefined;
}

export const addAfterSelectionCommand = defineCommand<{ kind: NewStateKind; center: NodePosition }>({
  name: 'state.addAfterSelection',
  label: 'Add step',
  perform(state, { kind, center }) {
    const source = stepToContinue(state.flow, state.selection, kind);
    const from = source === undefined ? undefined : state.positions[source];
    if (source === undefined || from === undefined) return addStateCommand.perform(state, { kind, position: center });
    return addConnectedCommand.perform(state, { source, handle: NEXT_HANDLE, kind, position: { x: from.x + STEP_BOX.width + 120, y: from.y } });
  },
});
