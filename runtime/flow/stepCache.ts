/**
 * Engine steps remembered per compiled flow. A flow is static and a step is pure, so the same
 * event in the same pending state always gives the same step: the engine walks a chain of states
 * once per (pending state, answer), and a busy server then only looks the step up.
 *
 * Pending states are kept as one shared object per distinct value: sessions waiting for the same
 * thing share it, and a remembered step allocates nothing. Remembered steps are frozen, since
 * every session that takes them shares them. Bounded: past MAX_PENDING_STATES distinct pending
 * states (a flow whose sessions can wait for very many combinations), steps from new ones are
 * computed each time instead. Failed steps are never remembered: their messages quote the input.
 */
import type { CompiledFlow } from './compileFlow.ts';
import { isPlainObject } from './isPlainObject.ts';
import { isId } from './looseId.ts';
import type { PendingState } from './pendingState.ts';
import { stepSession, type StepEvent, type StepResult } from './stepSession.ts';
import type { Id } from './types.ts';

export const MAX_PENDING_STATES = 10_000;

type Step = Extract<StepResult, { ok: true }>;

/** One distinct pending state and the steps taken from it, by event. */
interface Node {
  pending: PendingState;
  /** by `at` (undefined: the flow's first state) */
  starts: Map<string | undefined, Step>;
  /** ChoiceResponses by groupId, then itemId (Map keys keep `1` and `"1"` apart, as the step may not) */
  choices: Map<Id, Map<Id, Step>>;
  /** UserTexts by sessionId (the text itself does not change the step) */
  texts: Map<Id, Step>;
}

interface Cache {
  /** by the pending state's JSON */
  nodes: Map<string, Node>;
  /** every pending object seen, shared or not, to its node: the usual lookup, without JSON */
  nodeOf: WeakMap<PendingState, Node>;
}

const caches = new WeakMap<CompiledFlow, Cache>();

/**
 * `stepSession(compiled, pending, event)`, remembered. The result equals stepSession's, with two
 * differences callers may rely on: its `pending` is the shared object for that value, and its
 * arrays are frozen (never mutate a step).
 */
export function cachedStep(compiled: CompiledFlow, pending: PendingState, event: StepEvent): StepResult {
  let cache = caches.get(compiled);
  if (!cache) caches.set(compiled, (cache = { nodes: new Map(), nodeOf: new WeakMap() }));
  const node = nodeFor(cache, pending);
  const key = node && keyOf(event);
  if (!key) return stepSession(compiled, pending, event);
  const known = remembered(node!, key);
  if (known) return known;
  const result = stepSession(compiled, node!.pending, event);
  if (!result.ok) return result;
  const shared = nodeFor(cache, result.pending);
  if (!shared) return result;
  const step: Step = { ...result, pending: shared.pending };
  Object.freeze(step.requests);
  Object.freeze(step.visited);
  remember(node!, key, Object.freeze(step));
  return step;
}

/** The node of `pending`'s value, created when new; undefined once the cache is full. */
function nodeFor(cache: Cache, pending: PendingState): Node | undefined {
  let node = cache.nodeOf.get(pending);
  if (node) return node;
  const json = JSON.stringify(pending);
  node = cache.nodes.get(json);
  if (!node) {
    if (cache.nodes.size >= MAX_PENDING_STATES) return undefined;
    node = { pending, starts: new Map(), choices: new Map(), texts: new Map() };
    cache.nodes.set(json, node);
  }
  cache.nodeOf.set(pending, node);
  return node;
}

/** What a step is remembered by; undefined for events not worth remembering (malformed ones, resumes). */
type EventKey = { kind: 'start'; at: string | undefined } | { kind: 'choice'; groupId: Id; itemId: Id } | { kind: 'text'; sessionId: Id };

function keyOf(event: StepEvent): EventKey | undefined {
  if (event.kind === 'start') return { kind: 'start', at: event.at };
  if (event.kind !== 'response') return undefined;
  const response: unknown = event.response;
  if (!isPlainObject(response)) return undefined;
  if (response.kind === 'ChoiceResponse' && isId(response.groupId) && isId(response.itemId)) return { kind: 'choice', groupId: response.groupId, itemId: response.itemId };
  if (response.kind === 'UserText' && isId(response.sessionId)) return { kind: 'text', sessionId: response.sessionId };
  return undefined;
}

function remembered(node: Node, key: EventKey): Step | undefined {
  if (key.kind === 'start') return node.starts.get(key.at);
  if (key.kind === 'text') return node.texts.get(key.sessionId);
  return node.choices.get(key.groupId)?.get(key.itemId);
}

/** Only steps that succeeded are remembered, so ids nobody waits for never grow the cache. */
function remember(node: Node, key: EventKey, step: Step): void {
  if (key.kind === 'start') node.starts.set(key.at, step);
  else if (key.kind === 'text') node.texts.set(key.sessionId, step);
  else {
    let items = node.choices.get(key.groupId);
    if (!items) node.choices.set(key.groupId, (items = new Map()));
    items.set(key.itemId, step);
  }
}
