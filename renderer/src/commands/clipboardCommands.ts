import { checkFlowText } from '../../../runtime/flow/checkFlowText.ts';
import { isPlainObject } from '../../../runtime/flow/isPlainObject.ts';
import { serializeFlow } from '../../../runtime/flow/serializeFlow.ts';
import type { Flow, NamedState } from '../../../runtime/flow/types.ts';
import type { NodePosition } from '../host/studioHost.ts';
import { defineCommand, type CommandState } from './registry.ts';

/**
 * The selected states as flow JSON (a valid flow file on its own), for the system clipboard.
 * Null when nothing is selected.
 */
export function copySelectionText({ flow, selection }: CommandState): string | null {
  const chosen = new Set(selection);
  const states = flow.states.filter((s) => chosen.has(s.name));
  return states.length === 0 ? null : serializeFlow({ states });
}

/**
 * Pastes flow JSON (from this flow, another flow, or any text editor): names that are taken get a
 * number, `next` links inside the pasted group follow the new names, and the states land near `at`.
 */
export const pasteStatesCommand = defineCommand<{ text: string; at: NodePosition }>({
  name: 'edit.paste',
  label: 'Paste',
  perform({ flow, positions }, { text, at }) {
    const pasted = checkFlowText(text).flow;
    if (!pasted || pasted.states.length === 0) return { error: 'The clipboard holds no states: copy states from a flow (or flow JSON) first.' };
    const taken = new Set(flow.states.map((s) => s.name));
    const renamed = new Map<string, string>();
    for (const { name } of pasted.states) {
      let fresh = name;
      for (let n = 2; taken.has(fresh); n++) fresh = `${name}${n}`;
      taken.add(fresh);
      renamed.set(name, fresh);
    }
    const added: NamedState[] = pasted.states.map(({ name, state }) => {
      const next = isPlainObject(state) ? state.next : undefined;
      const body = typeof next === 'string' && renamed.has(next) ? { ...state, next: renamed.get(next) } : state;
      return { name: renamed.get(name) ?? name, state: body };
    });
    const placed = { ...positions };
    added.forEach(({ name }, i) => {
      placed[name] = { x: at.x + (i % 4) * 300, y: at.y + Math.floor(i / 4) * 200 };
    });
    const result: Flow = { ...flow, states: [...flow.states, ...added] };
    const names = added.map((s) => s.name);
    return { flow: result, positions: placed, selection: names, message: `Pasted ${names.length} state${names.length === 1 ? '' : 's'}.` };
  },
});

