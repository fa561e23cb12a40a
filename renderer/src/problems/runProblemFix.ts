import { addConnectedCommand, clearNextCommand } from '../commands/linkCommands.ts';
import { runCommand } from '../commands/registry.ts';
import { addStateCommand, deleteStatesCommand, setStartCommand } from '../commands/stateCommands.ts';
import { STEP_BOX } from '../layout/freeSpot.ts';
import type { DocumentStore } from '../store/createDocumentStore.ts';
import type { ProblemFix } from './plainProblems.ts';

/** Runs a problem's fix as one command: one undo step, validated like any edit. Returns whether it applied. */
export function runProblemFix(store: DocumentStore, fix: ProblemFix): boolean {
  const { positions } = store.getState();
  switch (fix.kind) {
    case 'addAnswerStep': {
      // Two columns to the right: the step that reacts to the answer goes between (see linkAnswer).
      const from = positions[fix.source] ?? { x: 0, y: 0 };
      const position = { x: from.x + 2 * (STEP_BOX.width + 120), y: from.y };
      return runCommand(store, addConnectedCommand, { source: fix.source, handle: fix.handle, kind: 'BotText', position });
    }
    case 'removeNext':
      return runCommand(store, clearNextCommand, { source: fix.state });
    case 'deleteStep':
      return runCommand(store, deleteStatesCommand, { names: [fix.state] });
    case 'setStart':
      return runCommand(store, setStartCommand, { name: fix.state });
    case 'addFirstStep':
      return runCommand(store, addStateCommand, { kind: 'BotText', position: { x: 0, y: 0 } });
  }
}
