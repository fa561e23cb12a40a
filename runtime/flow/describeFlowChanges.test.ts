import { describe, expect, it } from 'vitest';
import { describeFlowChanges } from './describeFlowChanges.ts';
import { articleFlow, flowOf } from '../testing/testFlows.ts';
import type { Flow, State } from './types.ts';

const coffee = (): Record<string, State> => ({
  hello: { sendRequest: { kind: 'BotText', content: 'Hi! <b>Welcome</b>' }, next: 'ask' },
  ask: {
    sendRequest: {
      kind: 'ChoiceRequest',
      groupId: 'drink',
      question: 'What would you like today?',
      choices: [
        { itemId: 'espresso', content: 'Espresso' },
        { itemId: 'latte', content: 'Latte' },
      ],
    },
  },
  espresso: { matchResponse: { kind: 'ChoiceResponse', groupId: 'drink', itemId: 'espresso' }, next: 'thanks' },
  latte: { matchResponse: { kind: 'ChoiceResponse', groupId: 'drink', itemId: 'latte' }, next: 'thanks' },
  thanks: { sendRequest: { kind: 'BotText', content: 'Coming right up.' } },
  sorry: { sendRequest: { kind: 'BotText', content: 'Sorry, we are out of milk.' } },
});

function change(edit: (states: Record<string, State>) => void): Flow {
  const states = coffee();
  edit(states);
  return flowOf(states);
}

describe('describeFlowChanges', () => {
  it('finds nothing between a flow and itself', () => {
    expect(describeFlowChanges(articleFlow(), articleFlow())).toEqual([]);
  });

  it('names a changed text by what the author wrote, without tags', () => {
    const changes = describeFlowChanges(flowOf(coffee()), change((s) => (s.thanks.sendRequest = { kind: 'BotText', content: 'Enjoy!' })));
    expect(changes).toEqual([{ kind: 'text', state: 'thanks', text: 'Changed the message “Coming right up.” to the message “Enjoy!”.' }]);
  });

  it('says where a re-routed answer now goes, in words, never state names', () => {
    const changes = describeFlowChanges(flowOf(coffee()), change((s) => (s.latte.next = 'sorry')));
    expect(changes).toHaveLength(1);
    expect(changes[0].kind).toBe('route');
    expect(changes[0].text).toBe(
      'After the answer “Latte” to “What would you like today?”, the bot now goes to the message “Sorry, we are out of milk.” (was the message “Coming right up.”).',
    );
    expect(changes[0].text).not.toMatch(/\blatte\b|\bsorry\b|thanks/);
  });

  it('reports added and removed steps, and a choice left unanswered', () => {
    const changes = describeFlowChanges(
      flowOf(coffee()),
      change((s) => {
        delete s.latte;
        s.bye = { sendRequest: { kind: 'BotText', content: 'Bye' } };
      }),
    );
    expect(changes.map((c) => c.kind)).toEqual(['route', 'added', 'removed']);
    expect(changes[0].text).toBe('When the user picks “Latte” in the question “What would you like today?”, the conversation now stops: nothing comes next.');
    expect(changes[1].text).toBe('Added the message “Bye”.');
    expect(changes[2].text).toBe('Removed the answer “Latte” to “What would you like today?”.');
  });

  it('lists choices added, renamed and removed in one sentence', () => {
    const changes = describeFlowChanges(
      flowOf(coffee()),
      change((s) => {
        const ask = s.ask.sendRequest as { choices: { itemId: string; content: string }[] };
        ask.choices = [{ itemId: 'espresso', content: 'Double espresso' }, { itemId: 'tea', content: 'Tea' }];
      }),
    );
    const choices = changes.find((c) => c.kind === 'choices');
    expect(choices?.text).toBe('In the question “What would you like today?”: renamed the choice “Espresso” to “Double espresso”, added the choice “Tea”, removed the choice “Latte”.');
  });

  it('reports a new first step', () => {
    const states = coffee();
    const reordered = flowOf({ ask: states.ask, hello: states.hello, espresso: states.espresso, latte: states.latte, thanks: states.thanks, sorry: states.sorry });
    const changes = describeFlowChanges(flowOf(coffee()), reordered);
    expect(changes[0]).toEqual({ kind: 'start', state: 'ask', text: 'The conversation now starts with the question “What would you like today?” (was the message “Hi! Welcome”).' });
  });
});

describe('describeFlowChanges: a choice given a new id', () => {
  const renamed = (answerId: string) =>
    change((s) => {
      (s.ask.sendRequest as { choices: { itemId: string; content: string }[] }).choices[1].itemId = 'cafe-latte';
      s.latte.matchResponse = { kind: 'ChoiceResponse', groupId: 'drink', itemId: answerId };
    });

  it('says the id changed and nothing else when its answer follows it', () => {
    expect(describeFlowChanges(flowOf(coffee()), renamed('cafe-latte'))).toEqual([
      { kind: 'choices', state: 'ask', text: 'In the question “What would you like today?”: gave the choice “Latte” a new id (it looks the same to the user).' },
    ]);
  });

  it('says the choice now leads nowhere when its answer still matches the old id', () => {
    expect(describeFlowChanges(flowOf(coffee()), renamed('latte')).map((c) => c.text)).toEqual([
      'In the question “What would you like today?”: gave the choice “Latte” a new id (it looks the same to the user).',
      'When the user picks “Latte” in the question “What would you like today?”, the conversation now stops: nothing comes next.',
    ]);
  });

  it('reports a removed choice once, not as a way out of the question', () => {
    const changes = describeFlowChanges(
      flowOf(coffee()),
      change((s) => {
        (s.ask.sendRequest as { choices: unknown[] }).choices.pop();
      }),
    );
    expect(changes.map((c) => c.text)).toEqual(['In the question “What would you like today?”: removed the choice “Latte”.']);
  });
});
