/**
 * The workflow service: an event (a new session, a user's answer) in, the flow's requests out.
 * It steps the pure engine against the session's pending state and makes the result durable in
 * the stream before anyone may see it. In the `all` role the session service calls `turn` in
 * process; in the `workflow` role `consume` reads the events other processes append.
 */
import { compileFlow, type CompiledFlow } from '../flow/compileFlow.ts';
import { stepSession, type StepEvent } from '../flow/stepSession.ts';
import type { ChoiceResponse, Flow, RequestMessage, UserText } from '../flow/types.ts';
import type { MessageStream, StoredRecord, StreamRecord } from '../stream/MessageStream.ts';
import { compiledFlowHash } from './compiledFlowHash.ts';
import { describeError, type Logger } from './logger.ts';
import { operatorMessageOf, operatorRecord } from './operator/operatorRecords.ts';
import { requestRecord, responseRecord, startRecord } from './records.ts';
import { requestStates } from './requestStates.ts';
import type { SessionQueue } from './sessionQueue.ts';
import { NEW_SESSION, type SessionState, type SessionStates } from './sessionStates.ts';
import { formatTimestamp } from './timestamp.ts';
import { ownsSession, type WorkflowShard } from './workflowShard.ts';
import { appendRecords, NO_FLOW, SESSION_WAS_RESET, type TurnEvent, type TurnPort, type TurnResult } from './turns.ts';

export interface WorkflowServiceOptions {
  stream: MessageStream;
  states: SessionStates;
  clock: () => Date;
  logger: Logger;
  /** tag every start marker `"preview": true` (the studio's preview sessions) */
  preview?: boolean;
  /** told after each turn whose records are durable (the studio's canvas follows previews with it) */
  onStep?(step: WorkflowStep): void;
}

/** One durable turn: what the engine walked through and where the session now waits. */
export interface WorkflowStep {
  sid: string;
  event: 'start' | 'response' | 'reset';
  /** states passed through, in order (empty for a reset) */
  visited: string[];
  /** the state whose matchResponse took the answer (responses only) */
  resumedAt?: string;
  /** flowHash of the flow that ran the step */
  flowHash: string | null;
  /** the compiled flow and pending state after the step, to derive more (e.g. waiting states) */
  compiled: CompiledFlow | null;
  pending: SessionState['pending'];
}

export class WorkflowService implements TurnPort {
  private compiled: CompiledFlow | null = null;
  private readonly stream: MessageStream;
  private readonly states: SessionStates;
  private readonly clock: () => Date;
  private readonly logger: Logger;
  private readonly options: WorkflowServiceOptions;

  constructor(options: WorkflowServiceOptions) {
    this.options = options;
    this.stream = options.stream;
    this.states = options.states;
    this.clock = options.clock;
    this.logger = options.logger;
  }

  /** Run this flow from now on. Sessions keep their pending state and go on where they can. */
  setFlow(flow: Flow | null): void {
    this.compiled = flow ? compileFlow(flow) : null;
  }

  /** The flow in use, compiled (null when there is none). */
  get flow(): CompiledFlow | null {
    return this.compiled;
  }

  /**
   * One event for a session, in process: the event record and the requests it produces are
   * appended together, and returned once durable. The caller serializes a session's turns.
   */
  async turn(sid: string, event: TurnEvent): Promise<TurnResult> {
    const timestamp = formatTimestamp(this.clock());
    if (event.kind === 'reset') {
      const appended = await this.append([responseRecord(sid, { kind: 'ResetSession' }, timestamp)]);
      if (!appended.ok) return appended;
      const state = this.states.peek(sid) ?? NEW_SESSION;
      this.states.set(sid, { pending: state.pending, reset: true, lastOffset: appended.records[0].offset });
      this.options.onStep?.({ sid, event: 'reset', visited: [], flowHash: this.compiled && compiledFlowHash(this.compiled), compiled: this.compiled, pending: state.pending });
      return appended;
    }
    const compiled = this.compiled;
    if (!compiled) return NO_FLOW;
    const state = event.kind === 'start' ? NEW_SESSION : await this.states.load(sid);
    if (state.reset) return SESSION_WAS_RESET;
    const step = stepSession(compiled, state.pending, toStepEvent(event, compiled));
    if (!step.ok) return step;
    const flowHash = compiledFlowHash(compiled);
    const first = event.kind === 'start'
      ? startRecord(sid, timestamp, { flowHash, preview: this.options.preview })
      : event.kind === 'resume'
        ? operatorRecord(sid, event.release, timestamp) // operator hook (issue 14): the release is the event
        : responseRecord(sid, event.message, timestamp, step.resumedAt);
    const records = [first, ...this.requestRecords(sid, compiled, step, timestamp)];
    const appended = await this.append(records);
    if (appended.ok) {
      this.states.set(sid, { pending: step.pending, reset: false, lastOffset: appended.records[appended.records.length - 1].offset });
      this.options.onStep?.({ sid, event: event.kind === 'resume' ? 'response' : event.kind, visited: step.visited, resumedAt: step.resumedAt, flowHash, compiled, pending: step.pending });
    }
    return appended;
  }

  /**
   * Answer the events other processes append to the stream (the `workflow` role): each start
   * marker or user answer is stepped in its session's order and its requests appended.
   * Returns a function that stops consuming.
   */
  consume(queue: SessionQueue, shard?: WorkflowShard): () => void {
    const horizon = this.stream.endOffset();
    const unsubscribe = this.stream.subscribe((batch) => {
      for (const stored of batch) {
        if (stored.offset >= horizon && ownsSession(shard, stored.record.sid)) {
          // operator hook (issue 14): a takeover by another process stops this one answering the visitor
          if (operatorMessageOf(stored.record)?.kind === 'OperatorClaim') this.states.applyRecord(stored);
          this.enqueue(queue, stored);
        }
      }
    });
    void this.catchUp(queue, shard, horizon);
    return unsubscribe;
  }

  /**
   * Sessions whose last record (before `horizon`) is an event nobody answered, because no workflow
   * ran when it was appended: answer them now, so a workflow restart loses no turn.
   */
  private async catchUp(queue: SessionQueue, shard: WorkflowShard | undefined, horizon: number): Promise<void> {
    for (const session of [...this.stream.sessions()]) {
      if (session.lastOffset >= horizon || !ownsSession(shard, session.sid)) continue;
      try {
        const [last] = await this.stream.read(session.lastOffset, 1);
        if (last) this.enqueue(queue, last);
      } catch (error) {
        this.logger.error(`workflow: cannot read session ${session.sid}: ${describeError(error)}`);
      }
    }
  }

  private enqueue(queue: SessionQueue, stored: StoredRecord): void {
    const event = eventOf(stored.record);
    if (event) void queue.run(stored.record.sid, () => this.answer(stored, event));
  }

  private async answer(stored: StoredRecord, event: TurnEvent): Promise<void> {
    const sid = stored.record.sid;
    let state: SessionState;
    try {
      state = event.kind === 'start' ? NEW_SESSION : await this.states.load(sid, stored.offset);
    } catch (error) {
      this.logger.error(`workflow: cannot read session ${sid}: ${describeError(error)}`);
      return;
    }
    if (event.kind === 'reset') {
      this.states.set(sid, { pending: state.pending, reset: true, lastOffset: stored.offset });
      return;
    }
    const compiled = this.compiled;
    if (!compiled || state.reset) return;
    const step = stepSession(compiled, state.pending, toStepEvent(event, compiled));
    if (!step.ok) {
      this.logger.warn(`workflow: session ${sid} at offset ${stored.offset}: ${step.code}: ${step.message}`);
      return;
    }
    const timestamp = formatTimestamp(this.clock());
    const appended = await this.append(this.requestRecords(sid, compiled, step, timestamp));
    if (!appended.ok) return;
    const last = appended.records.length > 0 ? appended.records[appended.records.length - 1].offset : stored.offset;
    this.states.set(sid, { pending: step.pending, reset: false, lastOffset: last });
  }

  /** The step's requests as records, each tagged with the state that sent it. */
  private requestRecords(sid: string, compiled: CompiledFlow, step: { requests: RequestMessage[]; visited: string[] }, timestamp: string): StreamRecord[] {
    const senders = requestStates(compiled, step.visited);
    const tagged = senders.length === step.requests.length;
    return step.requests.map((request, i) => requestRecord(sid, request, timestamp, tagged ? senders[i] : undefined));
  }

  private append(records: StreamRecord[]): Promise<TurnResult> {
    return appendRecords(this.stream, records, this.logger);
  }
}

/** The event a stream record carries for the workflow, if any (requests are its own output). */
export function eventOf(record: StreamRecord): TurnEvent | undefined {
  const payload = record.payload;
  if (!payload) return { kind: 'start' };
  if (payload.kind === 'Operator') {
    // operator hook (issue 14): a release hands the session back to the flow
    const release = operatorMessageOf(record);
    return release?.kind === 'OperatorRelease' ? { kind: 'resume', release } : undefined;
  }
  if (payload.kind !== 'Response') return undefined;
  const message = payload.message;
  if (message.kind === 'ResetSession') return { kind: 'reset' };
  if (message.kind === 'ChoiceResponse' || message.kind === 'UserText') return { kind: 'response', message: message as unknown as ChoiceResponse | UserText };
  return undefined;
}

/** A start `at` a state the flow no longer has starts from the beginning instead (a preview URL can outlive its state). */
function toStepEvent(event: Exclude<TurnEvent, { kind: 'reset' }>, compiled: CompiledFlow): StepEvent {
  if (event.kind === 'resume') return { kind: 'resume', at: event.release.resumeAt, end: event.release.end };
  if (event.kind === 'start') return event.at !== undefined && compiled.states.has(event.at) ? { kind: 'start', at: event.at } : { kind: 'start' };
  return { kind: 'response', response: event.message as unknown as { kind: string } };
}
