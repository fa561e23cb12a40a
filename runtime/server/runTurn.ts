/**
 * One turn, pure: the compiled flow, the session's state and an event in; the records the turn
 * produces and the state after it out. Nothing is appended here: the workflow (`all` role) appends
 * the event and its requests, the `workflow` role only the requests (the event is already in the
 * stream), the `proxy` role only the event. One function keeps the three from drifting apart.
 */
import type { CompiledFlow } from '../flow/compileFlow.ts';
import type { PendingState } from '../flow/pendingState.ts';
import { cachedStep } from '../flow/stepCache.ts';
import type { StepEvent } from '../flow/stepSession.ts';
import type { StreamRecord } from '../stream/messageStream.ts';
import { compiledFlowHash } from './compiledFlowHash.ts';
import { operatorRecord } from './operator/operatorRecords.ts';
import { requestRecord, responseRecord, startRecord } from './records.ts';
import { serializeRequests } from './requestFrames.ts';
import { requestStates } from './requestStates.ts';
import { NEW_SESSION, type SessionState } from './sessionStates.ts';
import { NO_FLOW, SESSION_WAS_RESET, type TurnEvent, type TurnRefusal } from './turns.ts';

export interface TurnContext {
  sid: string;
  timestamp: string;
  /** tag a start marker `"preview": true` */
  preview?: boolean;
  /** tag a start marker with the flow file's name (see `StartTags.flow`) */
  flow?: string;
}

export interface TurnRecords {
  ok: true;
  /** the event as a record: the start marker, the user's answer or the reset */
  event: StreamRecord;
  /** the flow's requests, each tagged with the state that sent it */
  requests: StreamRecord[];
  /** what the session waits for once the records are durable, and the version it runs */
  next: { pending: PendingState; reset: boolean; flowHash?: string };
  /** states passed through, in order (empty for a reset) */
  visited: string[];
  /** the state whose matchResponse took the answer (responses only) */
  resumedAt?: string;
  /** flowHash of the flow that ran the turn (null without a flow) */
  flowHash: string | null;
}

export type TurnOutcome = TurnRecords | TurnRefusal;

/** Run one event against a session's state. A start ignores `state` (a new session starts empty). */
export function runTurn(compiled: CompiledFlow | null, state: SessionState, event: TurnEvent, context: TurnContext): TurnOutcome {
  const { sid, timestamp } = context;
  if (event.kind === 'reset') {
    return {
      ok: true,
      event: responseRecord(sid, { kind: 'ResetSession' }, timestamp),
      requests: [],
      next: { pending: state.pending, reset: true, ...(state.flowHash !== undefined ? { flowHash: state.flowHash } : {}) },
      visited: [],
      flowHash: compiled && compiledFlowHash(compiled),
    };
  }
  if (!compiled) return NO_FLOW;
  if (event.kind !== 'start' && state.reset) return SESSION_WAS_RESET;
  const step = cachedStep(compiled, event.kind === 'start' ? NEW_SESSION.pending : state.pending, toStepEvent(event, compiled));
  if (!step.ok) return step;
  const flowHash = compiledFlowHash(compiled);
  serializeRequests(compiled);
  const senders = requestStates(compiled, step.visited);
  const tagged = senders.length === step.requests.length;
  const outcome: TurnRecords = {
    ok: true,
    event: eventRecord(event, context, flowHash, step.resumedAt),
    requests: step.requests.map((request, i) => requestRecord(sid, request, timestamp, tagged ? senders[i] : undefined)),
    next: { pending: step.pending, reset: false, flowHash },
    visited: step.visited,
    flowHash,
  };
  if (step.resumedAt !== undefined) outcome.resumedAt = step.resumedAt;
  return outcome;
}

/** The record an event becomes: the start marker, the user's answer, or an operator's release (issue 14). */
function eventRecord(event: Exclude<TurnEvent, { kind: 'reset' }>, context: TurnContext, flowHash: string, resumedAt: string | undefined): StreamRecord {
  const { sid, timestamp } = context;
  if (event.kind === 'start') return startRecord(sid, timestamp, { flowHash, preview: context.preview, flow: context.flow });
  if (event.kind === 'resume') return operatorRecord(sid, event.release, timestamp);
  return responseRecord(sid, event.message, timestamp, resumedAt);
}

/** A start `at` a state the flow no longer has starts from the beginning instead (a preview URL can outlive its state). */
function toStepEvent(event: Exclude<TurnEvent, { kind: 'reset' }>, compiled: CompiledFlow): StepEvent {
  if (event.kind === 'resume') return { kind: 'resume', at: event.release.resumeAt, end: event.release.end };
  if (event.kind === 'start') return event.at !== undefined && compiled.states.has(event.at) ? { kind: 'start', at: event.at } : { kind: 'start' };
  return { kind: 'response', response: event.message as unknown as { kind: string } };
}
