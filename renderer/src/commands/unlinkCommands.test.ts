import { describe, expect, it } from 'vitest';
import { checkFlowText } from '../../../runtime/flow/checkFlowText.ts';
import { flowToGraph } from '../../../runtime/flow/flowGraph.ts';
import type { Flow } from '../../../runtime/flow/types.ts';
import type { CommandOutcome, CommandState } from './registry.ts';
import { deleteLinksCommand, deleteSelectionCommand } from './unlinkCommands.ts';

const flow: Flow = checkFlowText(
  JSON.stringify({
    ask: { sendRequest: { kind: 'ChoiceRequest', groupId: 'g', question: 'Q?', choices: [{ itemId: 'a', content: 'Apples' }, { itemId: 'b', content: 'Pears' }] }, next: 'end' },
    askA: { matchResponse: { kind: 'ChoiceResponse', groupId: 'g', itemId: 'a' }, next: 'end' },
    askB: { sendRequest: { kind: 'BotText', content: 'Pears!' }, matchResponse: { kind: 'ChoiceResponse', groupId: 'g', itemId: 'b' } },
    chat: { sendRequest: { kind: 'StartChatSession', sessionId: 's' } },
    typed: { matchResponse: { kind: 'UserText', sessionId: 's' }, next: 'end' },
    again: { sendRequest: { kind: 'BotText', content: 'Again' }, next: 'typed' },
    end: { sendRequest: { kind: 'BotText', content: 'Bye' } },
  }),
).flow!;
const positions = Object.fromEntries(flow.states.map((s, i) => [s.name, { x: i * 100, y: 0 }]));
const state: CommandState = { flow, positions, selection: [] };

function applied(outcome: CommandOutcome) {
  if (outcome === null || 'error' in outcome) throw new Error(`expected an edit, got ${JSON.stringify(outcome)}`);
  return outcome;
}
const body = (f: Flow, name: string) => f.states.find((s) => s.name === name)?.state;
const edgeId = (f: Flow, kind: 'next' | 'answer', source: string, target: string) => {
  const edge = flowToGraph(f).edges.find((e) => e.kind === kind && e.source === source && e.target === target);
  if (!edge) throw new Error(`no ${kind} edge ${source} -> ${target}`);
  return edge.id;
};

describe('deleteLinksCommand', () => {
  it('removes a next link by clearing the source state`s next, and says so', () => {
    const result = applied(deleteLinksCommand.perform(state, { ids: [edgeId(flow, 'next', 'askA', 'end')] }));
    expect(body(result.flow, 'askA')).toEqual({ matchResponse: { kind: 'ChoiceResponse', groupId: 'g', itemId: 'a' } });
    expect(result.flow.states).toHaveLength(flow.states.length);
    expect(result.message).toBe("Removed the link from “When the user picks 'Apples'” to “Bye”.");
  });

  it('deletes the state that only matched a removed answer', () => {
    const result = applied(deleteLinksCommand.perform({ ...state, selection: ['askA'] }, { ids: [edgeId(flow, 'answer', 'ask', 'askA')] }));
    expect(body(result.flow, 'askA')).toBeUndefined();
    expect(result.positions?.askA).toBeUndefined();
    expect(result.selection).toEqual([]);
    expect(result.message).toBe("Removed the answer 'Apples' to “Q?”, and the step that only waited for it.");
    expect(flowToGraph(result.flow).edges.some((e) => e.source === 'ask' && e.kind === 'answer' && e.sourceHandle === 'choice:a')).toBe(false);
  });

  it('keeps a matching state that has a message of its own and clears only its matcher', () => {
    const result = applied(deleteLinksCommand.perform(state, { ids: [edgeId(flow, 'answer', 'ask', 'askB')] }));
    expect(body(result.flow, 'askB')).toEqual({ sendRequest: { kind: 'BotText', content: 'Pears!' } });
    expect(result.message).toContain("“Pears!” no longer waits for it");
  });

  it('keeps a UserText state another state leads to, clearing its matcher', () => {
    const result = applied(deleteLinksCommand.perform(state, { ids: [edgeId(flow, 'answer', 'chat', 'typed')] }));
    expect(body(result.flow, 'typed')).toEqual({ next: 'end' });
    expect(body(result.flow, 'again')?.next).toBe('typed');
    expect(result.message).toContain("what the user types after “Opens the text box”");
  });

  it('ignores ids that are no edge of the flow', () => {
    expect(deleteLinksCommand.perform(state, { ids: ['next:3:foo->bar'] })).toBeNull();
  });
});

describe('deleteSelectionCommand', () => {
  it('deletes selected links and states in one edit with one message', () => {
    const result = applied(deleteSelectionCommand.perform({ ...state, selection: ['again'] }, { links: [edgeId(flow, 'next', 'ask', 'end')] }));
    expect(body(result.flow, 'ask')?.next).toBeUndefined();
    expect(body(result.flow, 'again')).toBeUndefined();
    expect(result.message).toMatch(/^Removed the link from “Q\?” to “Bye”\. Deleted 1 step/);
  });
});
