import { describe, expect, it } from 'vitest';
import { serializeFlow } from '../../../runtime/flow/serializeFlow.ts';
import type { Flow } from '../../../runtime/flow/types.ts';
import { editStepTextCommand } from '../commands/stepNameCommand.ts';
import { createDocumentStore } from '../store/createDocumentStore.ts';
import { keptChoiceIds, keptFlows, keptNames } from './keptIds.ts';

const question = (name: string, ids: string[]): Flow['states'][number] => ({
  name,
  state: { sendRequest: { kind: 'ChoiceRequest', groupId: 'drink', question: 'What would you like?', choices: ids.map((itemId) => ({ itemId, content: itemId })) } },
});
const saved = serializeFlow({ states: [question('question', ['yes', 'no'])] });
const exported = serializeFlow({ states: [question('whatWouldYouLike', ['espresso', 'latte'])] });

describe('ids kept when their text changes', () => {
  it('are those of the saved file, and of the exported copy once there is one', () => {
    expect(keptNames(keptFlows(saved, null))).toEqual(['question']);
    expect(keptNames(keptFlows(saved, exported))).toEqual(['question', 'whatWouldYouLike']);
    expect(keptChoiceIds(keptFlows(saved, exported), 'whatWouldYouLike')).toEqual(['espresso', 'latte']);
    expect(keptChoiceIds(keptFlows(saved, null), 'whatWouldYouLike')).toEqual([]);
  });

  it('ignores a text that does not parse (nothing to keep from it)', () => {
    expect(keptNames(keptFlows(saved, '{ broken'))).toEqual(['question']);
  });

  it('an exported step keeps its name when its text changes; before the export it followed the text', () => {
    const store = createDocumentStore({ ref: null, displayName: 'coffee.json', text: saved, positions: {} });
    store.getState().markExported(exported);
    expect(store.getState().exportedText).toBe(exported);
    const flow = { states: [question('whatWouldYouLike', ['espresso', 'latte'])] };
    const rename = (savedNames: string[]) =>
      editStepTextCommand.perform({ flow, positions: {}, selection: ['whatWouldYouLike'] }, { name: 'whatWouldYouLike', index: 0, field: 'question', value: 'Pick a size', savedNames });
    const names = (outcome: ReturnType<typeof rename>) => (outcome && 'flow' in outcome ? outcome.flow.states.map((s) => s.name) : outcome);
    expect(names(rename(keptNames(keptFlows(saved, null))))).toEqual(['pickASize']);
    expect(names(rename(keptNames(keptFlows(saved, store.getState().exportedText))))).toEqual(['whatWouldYouLike']);
  });
});
