import { describe, expect, it } from 'vitest';
import { checkFlowText } from '../../../runtime/flow/checkFlowText.ts';
import { choiceHandleId } from '../../../runtime/flow/flowGraph.ts';
import type { Flow } from '../../../runtime/flow/types.ts';
import { addConnectedCommand, connectAnswerCommand, connectNextCommand } from './linkCommands.ts';
import type { CommandOutcome, CommandState } from './registry.ts';

const flow: Flow = checkFlowText(
  JSON.stringify({
    ask: { sendRequest: { kind: 'ChoiceRequest', groupId: 'g', question: 'Q?', choices: [{ itemId: 'a', content: 'A' }, { itemId: 1, content: 'One' }] } },
    askA: { matchResponse: { kind: 'ChoiceResponse', groupId: 'g', itemId: 'a' }, next: 'end' },
    chat: { sendRequest: { kind: 'StartChatSession', sessionId: 's' } },
    end: { sendRequest: { kind: 'BotText', content: 'Bye' } },
  }),
).flow!;
const state: CommandState = { flow, positions: { ask: { x: 0, y: 0 }, end: { x: 600, y: 0 } }, selection: [] };

function applied(outcome: CommandOutcome) {
  if (outcome === null || 'error' in outcome) throw new Error(`expected an edit, got ${JSON.stringify(outcome)}`);
  return outcome;
}
const body = (f: Flow, name: string) => f.states.find((s) => s.name === name)?.state;

describe('connectAnswerCommand', () => {
  it('creates the matching ChoiceResponse state right after the question, linked to the target', () => {
    const result = applied(connectAnswerCommand.perform(state, { source: 'ask', handle: choiceHandleId(1), target: 'end' }));
    const names = result.flow.states.map((s) => s.name);
    expect(names).toEqual(['ask', 'ask1', 'askA', 'chat', 'end']);
    expect(body(result.flow, 'ask1')).toEqual({ matchResponse: { kind: 'ChoiceResponse', groupId: 'g', itemId: 1 }, next: 'end' });
    expect(result.positions?.ask1).toBeDefined();
  });

  it('reuses the state that already answers the choice', () => {
    const result = applied(connectAnswerCommand.perform(state, { source: 'ask', handle: choiceHandleId('a'), target: 'chat' }));
    expect(result.flow.states).toHaveLength(4);
    expect(body(result.flow, 'askA')?.next).toBe('chat');
  });

  it('links what the user types in a chat with a UserText state', () => {
    const result = applied(connectAnswerCommand.perform(state, { source: 'chat', handle: 'chat', target: 'end' }));
    expect(body(result.flow, 'chatTyped')).toEqual({ matchResponse: { kind: 'UserText', sessionId: 's' }, next: 'end' });
  });

  it('refuses a handle the question does not have, saying why', () => {
    expect(connectAnswerCommand.perform(state, { source: 'ask', handle: choiceHandleId('zzz'), target: 'end' })).toEqual({ error: expect.stringContaining('no choice') });
  });
});

describe('connectNextCommand and addConnectedCommand', () => {
  it('sets next, and does nothing when it is already set', () => {
    expect(body(applied(connectNextCommand.perform(state, { source: 'chat', target: 'end' })).flow, 'chat')?.next).toBe('end');
    expect(connectNextCommand.perform(state, { source: 'askA', target: 'end' })).toBeNull();
  });

  it('adds a new step where the link was dropped and links it, in one edit', () => {
    const result = applied(addConnectedCommand.perform(state, { source: 'end', handle: 'next', kind: 'BotText', position: { x: 900, y: 40 } }));
    expect(body(result.flow, 'end')?.next).toBe('message');
    expect(body(result.flow, 'message')?.sendRequest).toEqual({ kind: 'BotText', content: 'New message' });
    expect(result.positions?.message).toEqual({ x: 900, y: 40 });
    expect(result.selection).toEqual(['message']);
  });
});
