/**
 * What changed between two versions of a flow, said in the author's words (the texts they wrote,
 * never state names or ids): steps added and removed, texts changed, answers that now lead
 * elsewhere, a new first step. Used before publishing and to show a published version beside the
 * draft. Pure; linear in the flows' sizes.
 */
import { flowToGraph, type GraphEdge, type GraphNode } from './flowGraph.ts';
import type { Flow } from './types.ts';

export type FlowChangeKind = 'added' | 'removed' | 'text' | 'choices' | 'route' | 'start';

export interface FlowChange {
  kind: FlowChangeKind;
  /** the step it concerns (its state name, for the canvas; never shown as the description) */
  state: string;
  /** one sentence in the author's words */
  text: string;
}

/** Every change from `before` to `after`, in the order of `after`'s steps (removed steps last). */
export function describeFlowChanges(before: Flow, after: Flow): FlowChange[] {
  const old = viewOf(before);
  const now = viewOf(after);
  const changes: FlowChange[] = [];
  if (old.start !== now.start && now.start !== undefined) {
    changes.push({ kind: 'start', state: now.start, text: `The conversation now starts with ${now.title(now.start)}${old.start === undefined ? '' : ` (was ${old.title(old.start)})`}.` });
  }
  for (const node of now.nodes.values()) {
    const previous = old.nodes.get(node.id);
    if (!previous) {
      changes.push({ kind: 'added', state: node.id, text: `Added ${now.title(node.id)}.` });
      continue;
    }
    // An answer step's preview is the ids it matches: what changes for the user shows as a route.
    const textChanged = !ID_PREVIEW_KINDS.has(node.kind) && previous.preview !== node.preview;
    if (previous.kind !== node.kind || textChanged) {
      changes.push({ kind: 'text', state: node.id, text: `Changed ${old.title(node.id)} to ${now.title(node.id)}.` });
    }
    const choices = matchChoices(previous, node);
    const choiceChange = describeChoiceChanges(choices, now.title(node.id));
    if (choiceChange) changes.push({ kind: 'choices', state: node.id, text: choiceChange });
    for (const text of describeRouteChanges(node.id, old, now, choices)) changes.push({ kind: 'route', state: node.id, text });
  }
  for (const node of old.nodes.values()) {
    if (!now.nodes.has(node.id)) changes.push({ kind: 'removed', state: node.id, text: `Removed ${old.title(node.id)}.` });
  }
  return changes;
}

interface FlowView {
  start: string | undefined;
  nodes: Map<string, GraphNode>;
  /** outgoing edges by source state, then by source handle */
  routes: Map<string, Map<string, string[]>>;
  /** "the message 'Hello'", "the question 'What would you like?'", "the answer 'Latte' to 'What would you like?'" */
  title(state: string): string;
}

function viewOf(flow: Flow): FlowView {
  const graph = flowToGraph(flow);
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  const routes = new Map<string, Map<string, string[]>>();
  /** the question and choice text each answer step answers (its first incoming answer edge) */
  const answers = new Map<string, { question: string; choice: string }>();
  for (const edge of graph.edges) {
    const byHandle = routes.get(edge.source) ?? new Map<string, string[]>();
    routes.set(edge.source, byHandle);
    const handle = edge.sourceHandle ?? 'next';
    byHandle.set(handle, [...(byHandle.get(handle) ?? []), edge.target]);
    if (edge.kind === 'answer' && !answers.has(edge.target)) answers.set(edge.target, answerOf(edge, nodes));
  }
  const title = (state: string): string => {
    const node = nodes.get(state);
    if (!node) return 'a missing step';
    const answer = answers.get(state);
    if (answer) return answer.choice ? `the answer ${quote(answer.choice)} to ${quote(answer.question)}` : `what the user types after ${quote(answer.question)}`;
    return `${KIND_WORDS[node.kind] ?? 'the step'} ${quote(node.preview || node.label)}`;
  };
  return { start: graph.nodes.find((node) => node.isStart)?.id, nodes, routes, title };
}

const KIND_WORDS: Readonly<Record<string, string>> = {
  BotText: 'the message',
  ChoiceRequest: 'the question',
  StartChatSession: 'the text box',
  EndChatSession: 'closing the text box',
};

function answerOf(edge: GraphEdge, nodes: Map<string, GraphNode>): { question: string; choice: string } {
  const source = nodes.get(edge.source);
  const choice = source?.choices?.find((c) => c.handleId === edge.sourceHandle);
  return { question: source?.preview || source?.label || '', choice: choice?.content ?? '' };
}

/** Steps whose preview shows ids (what they match), not text the user sees. */
const ID_PREVIEW_KINDS: ReadonlySet<string> = new Set(['ChoiceResponse', 'UserText']);

/**
 * A question's choices before and after, paired: by handle, else (an id renamed, the text kept) by
 * text. `kept` maps each old handle to the handle the same choice has now.
 */
interface ChoicePairing {
  kept: Map<string, string>;
  renamed: { was: string; content: string }[];
  reid: string[];
  added: string[];
  removed: string[];
  reordered: boolean;
}

function matchChoices(before: GraphNode, after: GraphNode): ChoicePairing | undefined {
  if (!before.choices || !after.choices) return undefined;
  const now = new Map(after.choices.map((c) => [c.handleId, c]));
  const pairing: ChoicePairing = { kept: new Map(), renamed: [], reid: [], added: [], removed: [], reordered: false };
  const gone = before.choices.filter((c) => !now.has(c.handleId));
  const fresh = after.choices.filter((c) => !before.choices!.some((b) => b.handleId === c.handleId));
  for (const choice of before.choices) {
    const same = now.get(choice.handleId);
    if (!same) continue;
    pairing.kept.set(choice.handleId, same.handleId);
    if (same.content !== choice.content) pairing.renamed.push({ was: choice.content, content: same.content });
  }
  for (const choice of gone) {
    const match = fresh.findIndex((c) => c.content === choice.content);
    if (match < 0) {
      pairing.removed.push(choice.content);
      continue;
    }
    pairing.kept.set(choice.handleId, fresh[match].handleId);
    pairing.reid.push(choice.content);
    fresh.splice(match, 1);
  }
  pairing.added = after.choices.filter((c) => fresh.includes(c)).map((c) => c.content);
  const keptNow = new Set(pairing.kept.values());
  const keptBefore = before.choices.flatMap((c) => pairing.kept.get(c.handleId) ?? []);
  const keptAfter = after.choices.filter((c) => keptNow.has(c.handleId)).map((c) => c.handleId);
  pairing.reordered = keptBefore.join('\u0000') !== keptAfter.join('\u0000');
  return pairing;
}

function describeChoiceChanges(pairing: ChoicePairing | undefined, title: string): string | undefined {
  if (!pairing) return undefined;
  const parts: string[] = [
    ...pairing.renamed.map(({ was, content }) => `renamed the choice ${quote(was)} to ${quote(content)}`),
    ...pairing.added.map((content) => `added the choice ${quote(content)}`),
    ...pairing.removed.map((content) => `removed the choice ${quote(content)}`),
    // Only an engineer editing the JSON changes an id; the user sees the same button.
    ...pairing.reid.map((content) => `gave the choice ${quote(content)} a new id (it looks the same to the user)`),
  ];
  if (parts.length === 0 && pairing.reordered) parts.push('reordered the choices');
  return parts.length > 0 ? `In ${title}: ${parts.join(', ')}.` : undefined;
}

/**
 * Where each way out of a step (its next link, each choice, the text box) now leads, when that
 * changed. A choice is followed across an id change; a removed choice's way out is not reported
 * (the choices sentence says it was removed).
 */
function describeRouteChanges(state: string, old: FlowView, now: FlowView, choices: ChoicePairing | undefined): string[] {
  const before = old.routes.get(state) ?? new Map<string, string[]>();
  const after = now.routes.get(state) ?? new Map<string, string[]>();
  const node = now.nodes.get(state);
  const choiceHandles = new Set(old.nodes.get(state)?.choices?.map((c) => c.handleId));
  const texts: string[] = [];
  /** each way out now, and what it was called before */
  const handles = new Map<string, string>();
  for (const handle of before.keys()) {
    if (choiceHandles.has(handle) && !choices?.kept.has(handle)) continue; // a removed choice
    handles.set(choices?.kept.get(handle) ?? handle, handle);
  }
  for (const handle of after.keys()) if (!handles.has(handle)) handles.set(handle, handle);
  for (const [handle, oldHandle] of handles) {
    const was = before.get(oldHandle) ?? [];
    const is = after.get(handle) ?? [];
    if (was.join('\u0000') === is.join('\u0000')) continue;
    // An answer step that is itself new or removed is reported as added/removed, not as a route.
    if (handle !== 'next' && is.length > 0 && sameAnswerTargets(was, is, old, now)) continue;
    const way = handle === 'next' ? `After ${now.title(state)}` : wayOut(node, handle, now.title(state));
    if (is.length === 0) {
      texts.push(`${way}, the conversation now stops: nothing comes next.`);
      continue;
    }
    const target = is.map((t) => now.title(t)).join(' and ');
    texts.push(`${way}, the bot now goes to ${target}${was.length > 0 ? ` (was ${was.map((t) => old.title(t)).join(' and ')})` : ''}.`);
  }
  return texts;
}

/** Answer edges that differ only because their answer steps were added or removed. */
function sameAnswerTargets(was: string[], is: string[], old: FlowView, now: FlowView): boolean {
  const kept = (targets: string[]): string => targets.filter((t) => old.nodes.has(t) && now.nodes.has(t)).join('\u0000');
  return kept(was) === kept(is) && was.every((t) => !now.nodes.has(t) || is.includes(t)) && is.every((t) => !old.nodes.has(t) || was.includes(t));
}

function wayOut(node: GraphNode | undefined, handle: string, title: string): string {
  const choice = node?.choices?.find((c) => c.handleId === handle);
  if (choice) return `When the user picks ${quote(choice.content)} in ${title}`;
  return `When the user types in ${title}`;
}

function quote(text: string): string {
  return `“${text}”`;
}
