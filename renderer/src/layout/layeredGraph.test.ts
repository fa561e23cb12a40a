import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { checkFlowText } from '../../../runtime/flow/checkFlowText.ts';
import { flowToGraph } from '../../../runtime/flow/flowGraph.ts';
import { estimatedSize, layeredGraph } from './layeredGraph.ts';
import articleText from '../../../state-machines/bot-assistant.json?raw';

const article = checkFlowText(articleText).flow!;
const graph = flowToGraph(article);

async function layout() {
  const laid = await new ELK().layout(layeredGraph(graph, new Map()));
  return new Map((laid.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
}

describe('layeredGraph', () => {
  it('gives every node its handles as ports, choices first in order, "then" last, input on the west', () => {
    const elkGraph = layeredGraph(graph, new Map());
    const ask = elkGraph.children!.find((c) => c.id === 'langChoices')!;
    expect(ask.ports!.map((p) => [p.id.split('\u0000')[1], p.layoutOptions!['elk.port.side'], p.layoutOptions!['elk.port.index']])).toEqual([
      ['choice:rust', 'EAST', '0'],
      ['choice:go', 'EAST', '1'],
      ['choice:other', 'EAST', '2'],
      ['next', 'EAST', '3'],
      ['in', 'WEST', '4'],
    ]);
    expect(elkGraph.edges).toHaveLength(graph.edges.length);
    expect(ask.height).toBe(estimatedSize(graph.nodes.find((n) => n.id === 'langChoices')!).height);
  });

  it('lays the article flow out left to right in layers, without wrapping, answers in choice order', async () => {
    const at = await layout();
    const x = (name: string) => at.get(name)!.x;
    const y = (name: string) => at.get(name)!.y;
    // the start is alone in the first layer; every link but the loop back to the question goes right
    expect(Math.min(...[...at.values()].map((p) => p.x))).toBe(x('greetings'));
    for (const edge of graph.edges) {
      if (edge.source === 'anyOtherYes' && edge.target === 'langChoices') continue;
      expect(x(edge.target), `${edge.source} -> ${edge.target}`).toBeGreaterThan(x(edge.source));
    }
    // a single row of layers: the longest path (9 states) takes 9 distinct columns
    const path = ['greetings', 'langChoices', 'langChoiceOther', 'startLangPrefSession', 'getLangPrefResponse', 'endLangPrefSession', 'anyOtherChoices', 'anyOtherNo', 'done'];
    expect(new Set(path.map(x)).size).toBe(9);
    // a question's answers share the column right after it, in the order of its choices
    expect(new Set(['langChoiceRust', 'langChoiceGo', 'langChoiceOther'].map(x)).size).toBe(1);
    expect(x('langChoiceRust')).toBeLessThan(x('startLangPrefSession'));
    expect(y('langChoiceRust')).toBeLessThan(y('langChoiceGo'));
    expect(y('langChoiceGo')).toBeLessThan(y('langChoiceOther'));
    expect(y('anyOtherYes')).toBeLessThan(y('anyOtherNo'));
  });
});
