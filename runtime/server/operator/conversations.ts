/**
 * A conversation as the operator service sees it, folded from its records: who answers the
 * visitor (the bot, nobody yet, or an operator), and which operators may see it. Pure.
 */
import { DEFAULT_HANDOFF_TIMEOUT_SECONDS } from '../../flow/handoff.ts';
import { isPlainObject } from '../../flow/isPlainObject.ts';
import type { StoredRecord } from '../../stream/messageStream.ts';
import { operatorMessageOf } from './operatorRecords.ts';

/** An operator as an accounts file describes them. `"*"` in queues: every queue, and takeovers of bot conversations. */
export interface OperatorIdentity {
  id: string;
  name: string;
  queues: readonly string[];
}

/** What a console is shown of a conversation. */
export interface ConversationView {
  sid: string;
  /** bot: the flow answers; waiting: in a queue for a person; live: an operator has it */
  status: 'bot' | 'waiting' | 'live';
  /** the OperatorHandoff's queue; null when no handoff asked for one (bot conversations, takeovers) */
  queue: string | null;
  operator?: { id: string; name: string };
  /** when it got its status, and when something last happened (ms since the epoch) */
  since: number;
  lastActivity: number;
  /** the last thing said */
  lastText?: string;
  /** waiting: when the flow goes on without a person (ms since the epoch) */
  deadline?: number;
  /** a studio preview session (shown only in the studio's Live tab) */
  preview?: true;
}

export interface Conversation extends ConversationView {
  lastOffset: number;
  /** the OperatorHandoff's state (its next is the fallback) */
  handoffState?: string;
  timeoutSeconds?: number;
  /** the last state that asked the visitor something ("back where it was") */
  lastQuestion?: string;
  /** set the moment a claim is accepted, before its record is durable: a second claim is refused */
  claimedBy?: { id: string; name: string };
  timer?: NodeJS.Timeout;
}

/** May this operator see (and claim) the conversation? */
export function isVisibleTo(operator: OperatorIdentity, c: ConversationView): boolean {
  if (operator.queues.includes('*')) return true;
  if (c.status === 'live' && c.operator?.id === operator.id) return true;
  return c.queue !== null && operator.queues.includes(c.queue);
}

/** The conversation after one record (`now` in ms); undefined when it is over for operators (reset). */
export function applyToConversation(before: Conversation | undefined, stored: StoredRecord, now: number): Conversation | undefined {
  const { record, offset } = stored;
  const c: Conversation = before ? { ...before, lastOffset: offset, lastActivity: now } : { sid: record.sid, status: 'bot', queue: null, since: now, lastActivity: now, lastOffset: offset };
  const payload = record.payload;
  if (!payload) return c;
  const m: unknown = payload.message;
  if (!isPlainObject(m)) return c;
  if (payload.kind === 'Request') {
    if (m.kind === 'BotText' && typeof m.content === 'string') c.lastText = m.content;
    if ((m.kind === 'ChoiceRequest' || m.kind === 'StartChatSession') && typeof record.state === 'string') c.lastQuestion = record.state;
    if (m.kind === 'OperatorHandoff' && typeof m.queue === 'string') {
      const seconds = typeof m.timeoutSeconds === 'number' && m.timeoutSeconds > 0 ? m.timeoutSeconds : DEFAULT_HANDOFF_TIMEOUT_SECONDS;
      const asked = Date.parse(record.timestamp);
      Object.assign(c, { status: 'waiting', queue: m.queue, since: now, timeoutSeconds: seconds, operator: undefined, claimedBy: undefined });
      c.handoffState = typeof record.state === 'string' ? record.state : undefined;
      c.deadline = (Number.isFinite(asked) ? asked : now) + seconds * 1000;
    }
    return c;
  }
  if (payload.kind === 'Response') {
    if (m.kind === 'ResetSession') return undefined;
    if (typeof m.content === 'string') c.lastText = m.content;
    return c;
  }
  const op = operatorMessageOf(record);
  switch (op?.kind) {
    case 'OperatorClaim':
      // With claims from two processes, the first one in the stream wins.
      if (c.status !== 'live') Object.assign(c, { status: 'live', operator: { id: op.operator, name: op.name }, claimedBy: { id: op.operator, name: op.name }, since: now, deadline: undefined });
      break;
    case 'OperatorText':
      c.lastText = op.content;
      break;
    case 'OperatorUnclaim':
      if (c.status === 'live' && c.operator?.id === op.operator && c.queue !== null) {
        Object.assign(c, { status: 'waiting', operator: undefined, claimedBy: undefined, since: now, deadline: now + (c.timeoutSeconds ?? DEFAULT_HANDOFF_TIMEOUT_SECONDS) * 1000 });
      }
      break;
    case 'OperatorRelease':
      Object.assign(c, { status: 'bot', queue: null, operator: undefined, claimedBy: undefined, since: now, deadline: undefined, handoffState: undefined });
      break;
  }
  return c;
}
