/**
 * The studio canvas's view of a flow: one node per state and the edges between them (`next`
 * links, and "answer" links from a question's choice or an opened chat to the states that match
 * the user's answer). Derived from the flow, never stored. Pure; linear in the flow's size.
 */
import { choiceMatchersFor, compileFlow, textMatchersFor } from './compileFlow.ts';
import { isPlainObject } from './isPlainObject.ts';
import { isId, looseKey } from './looseId.ts';
import type { Flow, Id } from './types.ts';

export type GraphNodeKind =
  | 'BotText'
  | 'ChoiceRequest'
  | 'StartChatSession'
  | 'EndChatSession'
  | 'OperatorHandoff'
  | 'ChoiceResponse'
  | 'UserText'
  | 'Unknown'
  | 'Empty';

export interface GraphChoice {
  itemId: Id;
  /** the choice's text, tags stripped */
  content: string;
  /** the source handle its answer edges leave from */
  handleId: string;
}

export interface GraphNode {
  /** the state's name */
  id: string;
  kind: GraphNodeKind;
  /** what the step does, in plain words */
  label: string;
  /** a one-line plain-text preview of the step's content */
  preview: string;
  isStart: boolean;
  /** a ChoiceRequest's choices, each with its handle */
  choices?: GraphChoice[];
  /** the state has both a sendRequest and a matchResponse */
  hasResponse: boolean;
}

export interface GraphEdge {
  /** stable: derived from source, handle and target */
  id: string;
  source: string;
  target: string;
  sourceHandle?: string;
  kind: 'next' | 'answer';
}

export interface FlowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Source handle of `next` edges. */
export const NEXT_HANDLE = 'next';
/** Source handle of a StartChatSession's answer edges (to the UserText states of its chat). */
export const CHAT_HANDLE = 'chat';

export const NODE_LABELS: Readonly<Record<GraphNodeKind, string>> = {
  BotText: 'Bot says',
  ChoiceRequest: 'Ask a question',
  StartChatSession: 'Let the user type',
  EndChatSession: 'Close the text box',
  OperatorHandoff: 'Talk to a person',
  ChoiceResponse: 'When the user picks…',
  UserText: 'When the user types…',
  Unknown: 'Unknown step',
  Empty: 'Empty step',
};

const PREVIEW_LENGTH = 120;
const REQUEST_NODE_KINDS: readonly string[] = ['BotText', 'ChoiceRequest', 'StartChatSession', 'EndChatSession', 'OperatorHandoff'];
const RESPONSE_NODE_KINDS: readonly string[] = ['ChoiceResponse', 'UserText'];

/**
 * Convert a flow to graph nodes and edges. Never throws on malformed states: they become
 * `Unknown` nodes, and references that lead nowhere give no edge. A duplicated state name gives
 * one node (its last body, at its first position), as the engine sees it.
 *
 * A state whose body object is unchanged since an earlier call gets the same node object back
 * (treat nodes as read-only). Edge ids look like `next:9:greetings->langChoices` and
 * `answer:11:langChoices/11:choice:rust->langChoiceRust` (parts prefixed with their length).
 */
export function flowToGraph(flow: Flow): FlowGraph {
  const compiled = compileFlow(flow);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (const [name, state] of compiled.states) {
    const body: Record<string, unknown> = isPlainObject(state) ? state : {};
    const request = body.sendRequest;
    const isStart = name === compiled.initial;
    const node = nodeOf(name, body, isStart);
    nodes.push(node);

    if (typeof body.next === 'string' && compiled.states.has(body.next)) {
      edges.push({ id: `next:${idPart(name)}->${body.next}`, source: name, target: body.next, sourceHandle: NEXT_HANDLE, kind: 'next' });
    }
    if (!isPlainObject(request)) continue;
    if (node.choices && isId(request.groupId)) {
      for (const choice of node.choices) {
        for (const matcher of choiceMatchersFor(compiled, request.groupId, choice.itemId)) {
          edges.push(answerEdge(name, choice.handleId, matcher.state));
        }
      }
    } else if (node.kind === 'StartChatSession' && isId(request.sessionId)) {
      for (const matcher of textMatchersFor(compiled, request.sessionId)) {
        edges.push(answerEdge(name, CHAT_HANDLE, matcher.state));
      }
    }
  }
  return { nodes, edges };
}

/**
 * Nodes by state body: a node depends only on its state's body, name and start flag, so an
 * unchanged state (same object, as the immutable edits keep it) gets the same node object back.
 * That spares the work and lets React skip it.
 */
const nodeCache = new WeakMap<object, GraphNode>();

function nodeOf(name: string, body: Record<string, unknown>, isStart: boolean): GraphNode {
  const cached = nodeCache.get(body);
  if (cached && cached.id === name && cached.isStart === isStart) return cached;
  const request = body.sendRequest;
  const match = body.matchResponse;
  const kind = request !== undefined ? kindOf(request, REQUEST_NODE_KINDS) : match !== undefined ? kindOf(match, RESPONSE_NODE_KINDS) : 'Empty';
  const node: GraphNode = {
    id: name,
    kind,
    label: NODE_LABELS[kind],
    preview: previewOf(request !== undefined ? request : match),
    isStart,
    hasResponse: request !== undefined && match !== undefined,
  };
  if (kind === 'ChoiceRequest') node.choices = choicesOf((request as Record<string, unknown>).choices);
  nodeCache.set(body, node);
  return node;
}

/** The handle id of a choice: `choice:<looseKey(itemId)>`, so choices that answer alike share a spelling. */
export function choiceHandleId(itemId: Id): string {
  return `choice:${looseKey(itemId)}`;
}

function choicesOf(choices: unknown): GraphChoice[] {
  if (!Array.isArray(choices)) return [];
  const result: GraphChoice[] = [];
  for (let index = 0; index < choices.length; index++) {
    const choice: unknown = choices[index];
    if (!isPlainObject(choice) || !isId(choice.itemId)) continue;
    let handleId = choiceHandleId(choice.itemId);
    // Two choices with the same loose id (a validation error) still need distinct handles.
    if (result.some((other) => other.handleId === handleId)) handleId = `${handleId}#${index}`;
    result.push({ itemId: choice.itemId, content: plainText(choice.content), handleId });
  }
  return result;
}

function kindOf(message: unknown, known: readonly string[]): GraphNodeKind {
  return isPlainObject(message) && known.includes(message.kind as string) ? (message.kind as GraphNodeKind) : 'Unknown';
}

function answerEdge(source: string, sourceHandle: string, target: string): GraphEdge {
  return { id: `answer:${idPart(source)}/${idPart(sourceHandle)}->${target}`, source, target, sourceHandle, kind: 'answer' };
}

/**
 * An edge id part prefixed with its length (`9:greetings`), so where it ends is never ambiguous
 * whatever characters names hold, and ids cannot collide; cheaper than escaping.
 */
function idPart(part: string): string {
  return `${part.length}:${part}`;
}

function previewOf(message: unknown): string {
  if (!isPlainObject(message)) return '';
  switch (message.kind) {
    case 'BotText':
      return plainText(message.content);
    case 'ChoiceRequest':
      return plainText(message.question);
    case 'StartChatSession':
      return plainText(message.chatText) || plainText(message.chatPrompt);
    case 'EndChatSession':
    case 'UserText':
      return idText(message.sessionId);
    case 'ChoiceResponse':
      return `${idText(message.groupId)} = ${idText(message.itemId)}`;
    case 'OperatorHandoff':
      return [typeof message.queue === 'string' ? `queue ${message.queue}` : '', plainText(message.text)].filter(Boolean).join(': ');
    default:
      return typeof message.kind === 'string' ? message.kind : '';
  }
}

function idText(id: unknown): string {
  return isId(id) ? String(id) : '?';
}

const BLOCK_TAG = /<\/?(?:br|p|div|li|ul|ol|h[1-6]|tr|td|blockquote)\b[^>]*>/gi;
const ANY_TAG = /<[^>]*>/g;
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** One line of plain text from (possibly HTML) content: tags dropped, common entities decoded, shortened. */
export function plainText(value: unknown): string {
  if (typeof value !== 'string') return '';
  let text = value;
  if (text.includes('<') || text.includes('&')) {
    text = text
      .replace(BLOCK_TAG, ' ')
      .replace(ANY_TAG, '')
      .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_, entity: string) => ENTITIES[entity] ?? '');
  }
  if (/\s\s|[^\S ]|^ | $/.test(text)) text = text.replace(/\s+/g, ' ').trim();
  return text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH - 1)}…` : text;
}
