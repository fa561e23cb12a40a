/**
 * The workflow service: an event (a new session, a user's answer) in, the flow's requests out.
 * It steps the pure engine against the session's pending state and makes the result durable in
 * the stream before anyone may see it. In the `all` role the session service calls `turn` in
 * process; in the `workflow` role `consume` reads the events other processes append.
 */
import { compileFlow, type CompiledFlow } from '../flow/compileFlow.ts';
import type { ChoiceResponse, Flow, UserText } from '../flow/types.ts';
import type { MessageStream, StoredRecord, StreamRecord } from '../stream/MessageStream.ts';
import { describeError, type Logger } from './logger.ts';
import { runTurn } from './runTurn.ts';
import type { SessionQueue } from './sessionQueue.ts';
import { fold, NEW_SESSION, type SessionState, type SessionStates } from './sessionStates.ts';
import { formatTimestamp } from './timestamp.ts';
import { ownsSession, type WorkflowShard } from './workflowShard.ts';
import { appendRecords, NO_FLOW, SESSION_WAS_RESET, type TurnEvent, type TurnOpening, type TurnPort, type TurnResult } from './turns.ts';

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
  async turn(sid: string, event: TurnEvent, opening?: StreamRecord[]): Promise<TurnResult> {
    const compiled = this.compiled;
    if (event.kind !== 'reset' && !compiled) return NO_FLOW;
    const state = opening ? foldOpening(opening) : event.kind === 'response' ? await this.states.load(sid) : event.kind === 'reset' ? (this.states.peek(sid) ?? NEW_SESSION) : NEW_SESSION;
    const outcome = runTurn(compiled, state, event, { sid, timestamp: formatTimestamp(this.clock()), preview: this.options.preview });
    if (!outcome.ok) return outcome;
    const records = [outcome.event, ...outcome.requests];
    const appended = await this.append(opening ? [...opening, ...records] : records);
    if (appended.ok) {
      this.states.set(sid, { ...outcome.next, lastOffset: appended.records[appended.records.length - 1].offset });
      this.options.onStep?.({ sid, event: event.kind, visited: outcome.visited, resumedAt: outcome.resumedAt, flowHash: outcome.flowHash, compiled, pending: outcome.next.pending });
    }
    return appended;
  }

  /** A new session's start marker and first requests, not appended (see `TurnPort.open`). */
  open(sid: string, event: Extract<TurnEvent, { kind: 'start' }>): TurnOpening {
    const outcome = runTurn(this.compiled, NEW_SESSION, event, { sid, timestamp: formatTimestamp(this.clock()), preview: this.options.preview });
    return outcome.ok ? { ok: true, records: [outcome.event, ...outcome.requests] } : outcome;
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
        if (stored.offset >= horizon && ownsSession(shard, stored.record.sid)) this.enqueue(queue, stored);
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
    const outcome = runTurn(this.compiled, state, event, { sid, timestamp: formatTimestamp(this.clock()) });
    if (!outcome.ok) {
      // Without a flow, or after a reset, there is nothing to answer; anything else is worth a line.
      if (outcome !== NO_FLOW && outcome !== SESSION_WAS_RESET) this.logger.warn(`workflow: session ${sid} at offset ${stored.offset}: ${outcome.code}: ${outcome.message}`);
      return;
    }
    // The event is in the stream already: only the requests are appended.
    const appended = await this.append(outcome.requests);
    if (!appended.ok) return;
    const last = appended.records.length > 0 ? appended.records[appended.records.length - 1].offset : stored.offset;
    this.states.set(sid, { ...outcome.next, lastOffset: last });
  }

  private append(records: StreamRecord[]): Promise<TurnResult> {
    return appendRecords(this.stream, records, this.logger);
  }
}

/** The event a stream record carries for the workflow, if any (requests are its own output). */
export function eventOf(record: StreamRecord): TurnEvent | undefined {
  const payload = record.payload;
  if (!payload) return { kind: 'start' };
  if (payload.kind !== 'Response') return undefined;
  const message = payload.message;
  if (message.kind === 'ResetSession') return { kind: 'reset' };
  if (message.kind === 'ChoiceResponse' || message.kind === 'UserText') return { kind: 'response', message: message as unknown as ChoiceResponse | UserText };
  return undefined;
}

/** The state an unrecorded opening leaves a session in (its records have no offsets yet). */
function foldOpening(opening: StreamRecord[]): SessionState {
  let state = NEW_SESSION;
  for (const record of opening) state = fold(state, { offset: -1, record });
  return state;
}
