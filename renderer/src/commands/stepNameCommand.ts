/**
 * Step names from the author's words: a step's name (its state name, the id links and sessions
 * use) follows its text, "What would you like today?" → `whatWouldYouLike`, until the name is in
 * the saved file. Choice ids follow the same rule (choiceTextCommand.ts).
 */
import { idFromWords } from './choiceTextCommand.ts';
import { uniqueStateName, updateState } from '../../../runtime/flow/editFlow.ts';
import { isPlainObject } from '../../../runtime/flow/isPlainObject.ts';
import type { State } from '../../../runtime/flow/types.ts';
import { defineCommand, type CommandOutcome, type CommandState } from './registry.ts';
import { renameStateCommand } from './stateCommands.ts';

/** Words kept for a name: enough to tell steps apart, short enough to read on a link. */
const NAME_WORDS = 4;

/** A step name from its text (tags dropped, the first words in camelCase); '' when the text has no letters or digits. */
export function nameFromWords(text: string): string {
  const words = text.replace(/<[^>]*>/g, ' ').split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, NAME_WORDS).join(' ');
  // A name never starts with a digit ("2 shots" → `step2Shots`).
  return idFromWords(/^\p{N}/u.test(words) ? `step ${words}` : words);
}

/** Whether `name` is already `base` or one of its numbered variants (`base2`): nothing to rename. */
function isNamedFrom(name: string, base: string): boolean {
  return name === base || (name.startsWith(base) && /^\d+$/.test(name.slice(base.length)));
}

/** The text fields a step's name can come from (a chat's prompt counts while it says nothing else). */
export type StepTextField = 'content' | 'question' | 'chatText' | 'chatPrompt' | 'text';

/**
 * Edits one text field of a step's message. While the step's name is not in the saved file
 * (`savedNames`: links in other files and recorded sessions may use it), the name follows the text
 * in the same edit, everywhere it is used. Typing in one field is one undo step (`index`: the
 * step's place in the file, which a rename keeps).
 */
export const editStepTextCommand = defineCommand<{ name: string; index: number; field: StepTextField; value: string; savedNames: readonly string[] }>({
  name: 'state.text',
  label: 'Edit step',
  coalesce: ({ index, field }) => `${index}\u0000${field}`,
  perform(state, { name, field, value, savedNames }) {
    const body = state.flow.states.find((s) => s.name === name)?.state;
    const request = body?.sendRequest;
    if (!body || !isPlainObject(request)) return { error: `"${name}" sends no message to edit.` };
    const message = { ...request, [field]: value };
    const edited = updateState(state.flow, name, { ...body, sendRequest: message as State['sendRequest'] });
    if (!edited.ok) return { error: edited.message };
    const renamed = savedNames.includes(name) ? null : followText({ ...state, flow: edited.flow }, name, textOf(message));
    if (renamed === null) return edited.flow === state.flow ? null : { flow: edited.flow };
    return renamed;
  },
});

/** The words a step is named after: its message, question or hand-off text; a chat's text, else its prompt. */
function textOf(message: Record<string, unknown>): string {
  const text = (key: string) => (typeof message[key] === 'string' ? (message[key] as string) : '');
  return text('content') || text('question') || text('chatText') || text('chatPrompt') || text('text');
}

/** The rename of step `name` after `text`, or null when the text gives no name or the name already is it. */
function followText(state: CommandState, name: string, text: string): CommandOutcome {
  const base = nameFromWords(text);
  if (base === '' || isNamedFrom(name, base)) return null;
  return renameStateCommand.perform(state, { from: name, to: uniqueStateName(state.flow, base) });
}
