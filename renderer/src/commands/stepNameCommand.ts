/**
 * Step names from the author's words: a step's name (its state name, the id links and sessions
 * use) follows its text, "What would you like today?" → `whatWouldYouLike`, until the name is in
 * the saved file. Choice ids follow the same rule (choiceTextCommand.ts).
 */
import { uniqueStateName } from '../../../runtime/flow/editFlow.ts';
import { idFromWords } from './choiceTextCommand.ts';
import { defineCommand } from './registry.ts';
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

/**
 * Renames step `name` after its text, unless its name is in the saved file (`savedNames`: links in
 * other files and recorded sessions may use it) or the text gives no name. One undo step.
 */
export const followTextNameCommand = defineCommand<{ name: string; text: string; savedNames: readonly string[] }>({
  name: 'state.followText',
  label: 'Name step after its text',
  perform(state, { name, text, savedNames }) {
    if (savedNames.includes(name)) return null;
    const base = nameFromWords(text);
    if (base === '' || isNamedFrom(name, base)) return null;
    return renameStateCommand.perform(state, { from: name, to: uniqueStateName(state.flow, base) });
  },
});
