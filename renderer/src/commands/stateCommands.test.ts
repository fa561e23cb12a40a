import { describe, expect, it } from 'vitest';
import { checkFlowText } from '../../../runtime/flow/checkFlowText.ts';
import type { Flow } from '../../../runtime/flow/types.ts';
import { copySelectionText, pasteStatesCommand } from './clipboardCommands.ts';
import type { CommandOutcome, CommandState } from './registry.ts';
import { deleteStatesCommand, renameIdCommand, renameStateCommand, setStartCommand } from './stateCommands.ts';

const text = JSON.stringify({
  hello: { sendRequest: { kind: 'BotText', content: 'Hi' }, next: 'ask' },
  ask: { sendRequest: { kind: 'ChoiceRequest', groupId: 'g', question: 'Q?', choices: [{ itemId: 'a', content: 'A' }] } },
  askA: { matchResponse: { kind: 'ChoiceResponse', groupId: 'g', itemId: 'a' }, next: 'hello' },
});
const flow: Flow = checkFlowText(text).flow!;
const state: CommandState = { flow, positions: { hello: { x: 1, y: 2 }, ask: { x: 3, y: 4 }, askA: { x: 5, y: 6 } }, selection: ['hello'] };

function applied(outcome: CommandOutcome) {
  if (outcome === null || 'error' in outcome) throw new Error(`expected an edit, got ${JSON.stringify(outcome)}`);
  return outcome;
}
const body = (f: Flow, name: string) => f.states.find((s) => s.name === name)?.state;

describe('state commands', () => {
  it('delete removes the selection and tells which links were cleared', () => {
    const result = applied(deleteStatesCommand.perform(state, {}));
    expect(result.flow.states.map((s) => s.name)).toEqual(['ask', 'askA']);
    expect(body(result.flow, 'askA')).not.toHaveProperty('next');
    expect(result.positions).not.toHaveProperty('hello');
    expect(result.message).toBe("Deleted 1 step; the link into it from “When the user picks 'A'” was removed.");
  });

  it('rename moves the position and selection with the state and updates links', () => {
    const result = applied(renameStateCommand.perform(state, { from: 'hello', to: 'welcome' }));
    expect(body(result.flow, 'askA')?.next).toBe('welcome');
    expect(result.positions?.welcome).toEqual({ x: 1, y: 2 });
    expect(result.selection).toEqual(['welcome']);
    expect(renameStateCommand.perform(state, { from: 'hello', to: 'ask' })).toEqual({ error: expect.stringContaining('already exists') });
  });

  it('renaming a groupId renames its matchers too', () => {
    const result = applied(renameIdCommand.perform(state, { field: 'groupId', from: 'g', to: 'topic' }));
    expect((body(result.flow, 'askA')?.matchResponse as { groupId: string }).groupId).toBe('topic');
    expect(result.message).toContain('2 places');
  });

  it('set as start moves the state to the top', () => {
    expect(applied(setStartCommand.perform(state, { name: 'ask' })).flow.states[0].name).toBe('ask');
    expect(setStartCommand.perform(state, { name: 'hello' })).toBeNull();
  });

  it('copy then paste into the same flow gives fresh names and keeps links inside the pasted group', () => {
    const copied = copySelectionText({ ...state, selection: ['ask', 'askA'] })!;
    expect(Object.keys(JSON.parse(copied))).toEqual(['ask', 'askA']);
    const result = applied(pasteStatesCommand.perform(state, { text: copied, at: { x: 100, y: 100 } }));
    expect(result.selection).toEqual(['ask2', 'askA2']);
    expect(body(result.flow, 'askA2')?.next).toBe('hello');
    expect(result.positions?.ask2).toEqual({ x: 100, y: 100 });
    expect(pasteStatesCommand.perform(state, { text: 'not json', at: { x: 0, y: 0 } })).toEqual({ error: expect.stringContaining('no states') });
  });
});
