import { addState, duplicateStates, removeStates, setStart, uniqueStateName, updateState } from '../../../runtime/flow/editFlow.ts';
import { renameGroupId, renameItemId, renameSessionId } from '../../../runtime/flow/renameId.ts';
import { renameState } from '../../../runtime/flow/renameState.ts';
import type { Id, State } from '../../../runtime/flow/types.ts';
import type { NodePosition } from '../host/studioHost.ts';
import { freeSpot } from '../layout/freeSpot.ts';
import { quotedStep } from '../words/stepWords.ts';
import { defineCommand } from './registry.ts';
import { NAME_BASE, newStateBody, type NewStateKind } from './newStateBody.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Adds a state of a kind at a canvas position (or the free place nearest it) and selects it. */
export const addStateCommand = defineCommand<{ kind: NewStateKind; position: NodePosition }>({
  name: 'state.add',
  label: 'Add state',
  perform({ flow, positions }, { kind, position }) {
    const name = uniqueStateName(flow, NAME_BASE[kind]);
    const result = addState(flow, name, newStateBody(flow, kind));
    if (!result.ok) return { error: result.message };
    return { flow: result.flow, positions: { ...positions, [name]: freeSpot(Object.values(positions), position) }, selection: [name] };
  },
});

/** Deletes states (the selection by default) and says what happened to the links into them. */
export const deleteStatesCommand = defineCommand<{ names?: string[] }>({
  name: 'state.delete',
  label: 'Delete',
  perform({ flow, positions, selection }, { names = selection }) {
    if (names.length === 0) return null;
    const result = removeStates(flow, names);
    if (result.removed.length === 0) return null;
    const kept = { ...positions };
    for (const name of result.removed) delete kept[name];
    const links = result.clearedNext.length;
    const from = result.clearedNext.map((source) => quotedStep(flow, source)).join(', ');
    const message =
      `Deleted ${plural(result.removed.length, 'step')}` +
      (links > 0 ? `; the ${links === 1 ? 'link' : 'links'} into ${result.removed.length === 1 ? 'it' : 'them'} from ${from} ${links === 1 ? 'was' : 'were'} removed.` : '.');
    return { flow: result.flow, positions: kept, selection: [], message };
  },
});

/** Duplicates the selected states next to the originals, keeping links inside the group. */
export const duplicateStatesCommand = defineCommand<{ names?: string[] }>({
  name: 'state.duplicate',
  label: 'Duplicate',
  perform({ flow, positions, selection }, { names = selection }) {
    if (names.length === 0) return null;
    const result = duplicateStates(flow, names);
    if (result.copies.size === 0) return null;
    const moved = { ...positions };
    for (const [original, copy] of result.copies) {
      const at = positions[original] ?? { x: 0, y: 0 };
      moved[copy] = { x: at.x + 40, y: at.y + 60 };
    }
    return { flow: result.flow, positions: moved, selection: [...result.copies.values()], message: `Duplicated ${plural(result.copies.size, 'state')}.` };
  },
});

/** Makes a state the one the conversation starts with (moves it to the top of the file). */
export const setStartCommand = defineCommand<{ name: string }>({
  name: 'state.setStart',
  label: 'Set as start',
  perform({ flow }, { name }) {
    const result = setStart(flow, name);
    if (!result.ok) return { error: result.message };
    if (result.flow === flow) return null;
    return { flow: result.flow, message: `"${name}" is now where the conversation starts.` };
  },
});

/** Renames a state; every `next` pointing at it follows, and so do its position and selection. */
export const renameStateCommand = defineCommand<{ from: string; to: string }>({
  name: 'state.rename',
  label: 'Rename state',
  perform({ flow, positions, selection }, { from, to }) {
    if (from === to) return null;
    const result = renameState(flow, from, to);
    if (!result.ok) return { error: result.message };
    const moved = { ...positions };
    if (moved[from]) {
      moved[to] = moved[from];
      delete moved[from];
    }
    return { flow: result.flow, positions: moved, selection: selection.map((n) => (n === from ? to : n)) };
  },
});

export type IdRename =
  | { field: 'groupId'; from: Id; to: Id }
  | { field: 'itemId'; groupId: Id; from: Id; to: Id }
  | { field: 'sessionId'; from: Id; to: Id };

/** Renames a question's group, a choice's id or a chat's session everywhere it is used, matchers included. */
export const renameIdCommand = defineCommand<IdRename>({
  name: 'state.renameId',
  label: 'Rename id',
  perform({ flow }, rename) {
    if (rename.to === rename.from) return null;
    if (rename.to === '') return { error: `The ${rename.field} cannot be empty.` };
    const result =
      rename.field === 'groupId'
        ? renameGroupId(flow, rename.from, rename.to)
        : rename.field === 'itemId'
          ? renameItemId(flow, rename.groupId, rename.from, rename.to)
          : renameSessionId(flow, rename.from, rename.to);
    if (result.count === 0) return null;
    return { flow: result.flow, message: `Renamed ${rename.field} "${rename.from}" to "${rename.to}" in ${plural(result.count, 'place')}.` };
  },
});

/** Replaces one state's body (inspector fields); typing in one field is one undo step. */
export const updateStateCommand = defineCommand<{ name: string; state: State; field: string }>({
  name: 'state.update',
  label: 'Edit state',
  coalesce: ({ name, field }) => `${name}\u0000${field}`,
  perform({ flow }, { name, state }) {
    const result = updateState(flow, name, state);
    if (!result.ok) return { error: result.message };
    return result.flow === flow ? null : { flow: result.flow };
  },
});
