import { describe, expect, it } from 'vitest';
import { renameGroupId, renameItemId, renameSessionId } from './renameId.ts';
import { articleFlow, flowOf } from '../testing/testFlows.ts';
import type { Flow } from './types.ts';

const bodyOf = (flow: Flow, name: string) => flow.states.find((s) => s.name === name)?.state;

describe('renameGroupId', () => {
  it('renames the question and its matchers, and keeps other states by identity', () => {
    const flow = articleFlow();
    const before = structuredClone(flow);
    const { flow: after, count } = renameGroupId(flow, 'lang', 'language');
    expect(count).toBe(4);
    expect(bodyOf(after, 'langChoices')?.sendRequest).toMatchObject({ groupId: 'language' });
    for (const name of ['langChoiceRust', 'langChoiceGo', 'langChoiceOther']) {
      expect(bodyOf(after, name)?.matchResponse).toMatchObject({ groupId: 'language' });
    }
    expect(bodyOf(after, 'anyOtherYes')?.matchResponse).toMatchObject({ groupId: 'others' });
    after.states.forEach((named, i) => expect(named === flow.states[i]).toBe(!['langChoices', 'langChoiceRust', 'langChoiceGo', 'langChoiceOther'].includes(named.name)));
    expect(flow).toEqual(before);
  });

  it('matches loosely and keeps the field order', () => {
    const flow = flowOf({
      ask: { sendRequest: { kind: 'ChoiceRequest', groupId: 1, question: 'Q', choices: [] } },
      m: { matchResponse: { kind: 'ChoiceResponse', groupId: '1', itemId: 'a' } },
    });
    const { flow: after, count } = renameGroupId(flow, '1', 'g');
    expect(count).toBe(2);
    expect(Object.keys(after.states[0].state.sendRequest ?? {})).toEqual(['kind', 'groupId', 'question', 'choices']);
  });

  it('returns the same flow when nothing matches', () => {
    const flow = articleFlow();
    expect(renameGroupId(flow, 'nope', 'x')).toEqual({ flow, count: 0 });
    expect(renameGroupId(flow, 'nope', 'x').flow).toBe(flow);
  });
});

describe('renameItemId', () => {
  it('renames the choice in its group and the matcher, not same-named items of other groups', () => {
    const flow = flowOf({
      ask: { sendRequest: { kind: 'ChoiceRequest', groupId: 'g', question: 'Q', choices: [{ itemId: 'yes', content: 'Yes', extra: 1 }, { itemId: 'no', content: 'No' }] } },
      other: { sendRequest: { kind: 'ChoiceRequest', groupId: 'h', question: 'Q', choices: [{ itemId: 'yes', content: 'Yes' }] } },
      m: { matchResponse: { kind: 'ChoiceResponse', groupId: 'g', itemId: 'yes' } },
      n: { matchResponse: { kind: 'ChoiceResponse', groupId: 'h', itemId: 'yes' } },
    });
    const { flow: after, count } = renameItemId(flow, 'g', 'yes', 'sure');
    expect(count).toBe(2);
    expect(after.states[0].state.sendRequest).toEqual({ kind: 'ChoiceRequest', groupId: 'g', question: 'Q', choices: [{ itemId: 'sure', content: 'Yes', extra: 1 }, { itemId: 'no', content: 'No' }] });
    expect(after.states[1]).toBe(flow.states[1]);
    expect(after.states[2].state.matchResponse).toMatchObject({ itemId: 'sure' });
    expect(after.states[3]).toBe(flow.states[3]);
  });

  it('works on the article flow', () => {
    const { flow: after, count } = renameItemId(articleFlow(), 'lang', 'other', 'elsewhere');
    expect(count).toBe(2);
    expect(bodyOf(after, 'langChoiceOther')?.matchResponse).toMatchObject({ itemId: 'elsewhere' });
  });
});

describe('renameSessionId', () => {
  it('renames StartChatSession, EndChatSession and the UserText matcher', () => {
    const flow = articleFlow();
    const { flow: after, count } = renameSessionId(flow, 'langPreference', 'pref');
    expect(count).toBe(3);
    for (const name of ['startLangPrefSession', 'getLangPrefResponse', 'endLangPrefSession']) {
      const body = bodyOf(after, name);
      expect(body?.sendRequest ?? body?.matchResponse).toMatchObject({ sessionId: 'pref' });
    }
    expect(after.states[0]).toBe(flow.states[0]);
  });
});
