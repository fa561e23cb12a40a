import { describe, expect, it } from 'vitest';
import { flowToGraph } from './flowGraph.ts';
import { articleFlow, flowOf } from '../testing/testFlows.ts';
import type { Flow } from './types.ts';

describe('flowToGraph on the article flow', () => {
  const graph = flowToGraph(articleFlow());
  const node = (id: string) => graph.nodes.find((n) => n.id === id);

  it('has one node per state, in file order, the first one the start', () => {
    expect(graph.nodes.map((n) => n.id)).toEqual([
      'greetings', 'langChoices', 'langChoiceRust', 'langChoiceGo', 'langChoiceOther', 'startLangPrefSession',
      'getLangPrefResponse', 'endLangPrefSession', 'anyOtherChoices', 'anyOtherYes', 'anyOtherNo', 'done',
    ]);
    expect(graph.nodes.filter((n) => n.isStart).map((n) => n.id)).toEqual(['greetings']);
  });

  it('labels and previews each kind of step in plain words', () => {
    expect(node('greetings')).toMatchObject({ kind: 'BotText', label: 'Bot says', preview: "Hi, I'm Bot! Nice to meet you.", hasResponse: false });
    expect(node('langChoices')).toMatchObject({ kind: 'ChoiceRequest', label: 'Ask a question', preview: 'What programming language do you use in your hobby projects?' });
    expect(node('langChoiceRust')).toMatchObject({ kind: 'ChoiceResponse', label: 'When the user picks…', preview: 'lang = rust' });
    expect(node('startLangPrefSession')).toMatchObject({ kind: 'StartChatSession', label: 'Let the user type', preview: 'I enabled chat editor' });
    expect(node('getLangPrefResponse')).toMatchObject({ kind: 'UserText', label: 'When the user types…', preview: 'langPreference' });
    expect(node('endLangPrefSession')).toMatchObject({ kind: 'EndChatSession', label: 'Close the text box', preview: 'langPreference' });
  });

  it('gives a question its choices, each with a handle', () => {
    expect(node('langChoices')?.choices).toEqual([
      { itemId: 'rust', content: 'Rust', handleId: 'choice:rust' },
      { itemId: 'go', content: 'Go', handleId: 'choice:go' },
      { itemId: 'other', content: 'Other', handleId: 'choice:other' },
    ]);
    expect(node('greetings')?.choices).toBeUndefined();
  });

  it('has exactly the next and answer edges of the flow', () => {
    const edges = graph.edges.map((e) => `${e.kind} ${e.source}${e.sourceHandle ? `[${e.sourceHandle}]` : ''} -> ${e.target}`);
    expect(edges.sort()).toEqual([
      'answer anyOtherChoices[choice:no] -> anyOtherNo',
      'answer anyOtherChoices[choice:yes] -> anyOtherYes',
      'answer langChoices[choice:go] -> langChoiceGo',
      'answer langChoices[choice:other] -> langChoiceOther',
      'answer langChoices[choice:rust] -> langChoiceRust',
      'answer startLangPrefSession[chat] -> getLangPrefResponse',
      'next anyOtherNo[next] -> done',
      'next anyOtherYes[next] -> langChoices',
      'next endLangPrefSession[next] -> anyOtherChoices',
      'next getLangPrefResponse[next] -> endLangPrefSession',
      'next greetings[next] -> langChoices',
      'next langChoiceGo[next] -> anyOtherChoices',
      'next langChoiceOther[next] -> startLangPrefSession',
      'next langChoiceRust[next] -> anyOtherChoices',
    ]);
  });

  it('gives edges unique ids that stay the same for the same flow', () => {
    const ids = graph.edges.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(flowToGraph(articleFlow()).edges.map((e) => e.id)).toEqual(ids);
    expect(ids).toContain('next:9:greetings->langChoices');
    expect(ids).toContain('answer:11:langChoices/11:choice:rust->langChoiceRust');
  });
});

describe('flowToGraph node identity', () => {
  it('gives an unchanged state the same node object, and an edited or moved one a new node', () => {
    const flow = articleFlow();
    const first = flowToGraph(flow);
    const edited = { states: flow.states.map((s) => (s.name === 'done' ? { ...s, state: { ...s.state, next: 'greetings' } } : s)) };
    const second = flowToGraph(edited);
    expect(second.nodes[0]).toBe(first.nodes[0]);
    expect(second.nodes[11]).not.toBe(first.nodes[11]);
    expect(second.nodes[11]).toEqual(first.nodes[11]);
    const restarted = flowToGraph({ states: [flow.states[1], flow.states[0], ...flow.states.slice(2)] });
    expect(restarted.nodes[0]).toMatchObject({ id: 'langChoices', isStart: true });
    expect(restarted.nodes[1]).toMatchObject({ id: 'greetings', isStart: false });
    expect(restarted.nodes[2]).toBe(first.nodes[2]);
  });
});

describe('flowToGraph details', () => {
  it('matches answers loosely, to every matching state', () => {
    const graph = flowToGraph(flowOf({
      ask: { sendRequest: { kind: 'ChoiceRequest', groupId: 3, question: 'Q', choices: [{ itemId: 1, content: 'One' }] } },
      a: { matchResponse: { kind: 'ChoiceResponse', groupId: '3', itemId: '1' } },
      b: { matchResponse: { kind: 'ChoiceResponse', groupId: 3, itemId: 1.0 } },
      c: { matchResponse: { kind: 'ChoiceResponse', groupId: 3, itemId: 2 } },
    }));
    expect(graph.edges.map((e) => [e.sourceHandle, e.target])).toEqual([['choice:1', 'a'], ['choice:1', 'b']]);
  });

  it('strips tags and entities from previews and shortens long text', () => {
    const graph = flowToGraph(flowOf({
      html: { sendRequest: { kind: 'BotText', content: '<p>Hello <b>there</b>&amp;<br/>welcome</p>' } },
      long: { sendRequest: { kind: 'BotText', content: 'x'.repeat(500) } },
      prompt: { sendRequest: { kind: 'StartChatSession', sessionId: 's', chatPrompt: 'Type here' } },
    }));
    expect(graph.nodes[0].preview).toBe('Hello there& welcome');
    expect(graph.nodes[1].preview.length).toBeLessThanOrEqual(120);
    expect(graph.nodes[1].preview.endsWith('…')).toBe(true);
    expect(graph.nodes[2].preview).toBe('Type here');
  });

  it('marks a state that both sends and matches, and empty or unknown states', () => {
    const graph = flowToGraph(flowOf({
      both: { matchResponse: { kind: 'UserText', sessionId: 's' }, sendRequest: { kind: 'BotText', content: 'Thanks' } },
      empty: {},
      odd: { sendRequest: { kind: 'Shout' } as never },
      junk: 'text' as never,
    }));
    expect(graph.nodes.map((n) => [n.kind, n.hasResponse, n.label])).toEqual([
      ['BotText', true, 'Bot says'],
      ['Empty', false, 'Empty step'],
      ['Unknown', false, 'Unknown step'],
      ['Empty', false, 'Empty step'],
    ]);
  });

  it('draws no edge for a next to a missing state, and keeps handles distinct for duplicate item ids', () => {
    const graph = flowToGraph(flowOf({
      ask: { sendRequest: { kind: 'ChoiceRequest', groupId: 'g', question: 'Q', choices: [{ itemId: 'a', content: 'A' }, { itemId: 'a', content: 'A again' }, 'bad' as never] }, next: 'ghost' },
    }));
    expect(graph.edges).toEqual([]);
    expect(graph.nodes[0].choices?.map((c) => c.handleId)).toEqual(['choice:a', 'choice:a#1']);
  });

  it('keeps edge ids unique when names contain the separators', () => {
    // unescaped, both would be "next:a->b->c"
    const graph = flowToGraph(flowOf({ 'a->b': { next: 'c' }, a: { next: 'b->c' }, c: {}, 'b->c': {} }));
    const ids = graph.edges.map((e) => e.id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });

  it('converts a 10,000-state flow', () => {
    const states: Flow['states'] = [];
    for (let i = 0; i < 2_500; i++) {
      states.push({ name: `ask${i}`, state: { sendRequest: { kind: 'ChoiceRequest', groupId: `g${i}`, question: `Q${i}`, choices: [{ itemId: 'y', content: 'Yes' }, { itemId: 'n', content: 'No' }] } } });
      states.push({ name: `yes${i}`, state: { matchResponse: { kind: 'ChoiceResponse', groupId: `g${i}`, itemId: 'y' }, next: `say${i}` } });
      states.push({ name: `no${i}`, state: { matchResponse: { kind: 'ChoiceResponse', groupId: `g${i}`, itemId: 'n' }, next: `ask${(i + 1) % 2_500}` } });
      states.push({ name: `say${i}`, state: { sendRequest: { kind: 'BotText', content: `<b>${i}</b>` }, next: `ask${i}` } });
    }
    const graph = flowToGraph({ states });
    expect(graph.nodes).toHaveLength(10_000);
    expect(graph.edges).toHaveLength(2_500 * 5);
  });
});
