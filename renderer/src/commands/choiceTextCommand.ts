import { updateState } from '../../../runtime/flow/editFlow.ts';
import { isPlainObject } from '../../../runtime/flow/isPlainObject.ts';
import { isId } from '../../../runtime/flow/looseId.ts';
import { renameItemId } from '../../../runtime/flow/renameId.ts';
import type { Choice, Flow } from '../../../runtime/flow/types.ts';
import { defineCommand } from './registry.ts';

/** An id from the author's words: "Something else" → `somethingElse`; '' when the words have no letters or digits. */
export function idFromWords(words: string): string {
  const parts = words
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((part) => part.toLowerCase());
  const id = parts.map((part, i) => (i === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1))).join('').slice(0, 40);
  return /^\p{N}/u.test(id) ? `choice${id.charAt(0).toUpperCase()}${id.slice(1)}` : id;
}

/** `base`, or `base2`, `base3`… : the first not in `taken`. */
function unique(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}${n}`)) n++;
  return `${base}${n}`;
}

/**
 * Edits a choice's text. While the choice's id is not in the saved file, the id follows the text
 * (`Latte` → `latte`), everywhere it is used; an id already saved stays, so files and sessions that
 * use it keep working. Typing in one choice is one undo step.
 */
export const editChoiceTextCommand = defineCommand<{ name: string; index: number; content: string; savedIds: readonly string[] }>({
  name: 'choice.text',
  label: 'Edit choice',
  coalesce: ({ name, index }) => `${name}\u0000choice${index}`,
  perform({ flow }, { name, index, content, savedIds }) {
    const state = flow.states.find((s) => s.name === name)?.state;
    const request = state?.sendRequest;
    if (!state || !isPlainObject(request) || request.kind !== 'ChoiceRequest' || !Array.isArray(request.choices)) return { error: `"${name}" is not a question with choices.` };
    const choices = request.choices as unknown[];
    const choice = choices[index];
    if (!isPlainObject(choice)) return { error: `"${name}" has no choice ${index + 1}.` };
    const edited = updateState(flow, name, { ...state, sendRequest: { ...request, choices: choices.map((c, i) => (i === index ? { ...choice, content } : c)) as Choice[] } });
    if (!edited.ok) return { error: edited.message };
    let result: Flow = edited.flow;
    const oldId = choice.itemId;
    const derived = idFromWords(content.replace(/<[^>]*>/g, ' '));
    if (isId(oldId) && isId(request.groupId) && derived && !savedIds.includes(String(oldId))) {
      const taken = new Set(choices.flatMap((c, i) => (i !== index && isPlainObject(c) && isId(c.itemId) ? [String(c.itemId)] : [])));
      const id = unique(derived, taken);
      if (id !== String(oldId)) result = renameItemId(result, request.groupId, oldId, id).flow;
    }
    return result === flow ? null : { flow: result };
  },
});
