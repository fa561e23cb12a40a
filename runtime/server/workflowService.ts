/**
 * The workflow service: an event (a new session, a user's answer) in, the flow's requests out.
 * It steps the pure engine against the session's pending state and makes the result durable in
 * the stream before anyone may see it. In the `all` role the session service calls `turn` in
 * process; in the `workflow` role `consume` reads the events other processes append.
 */
import { compileFlow, type CompiledFlow } from '../flow/compileFlow.ts';
import { stepSession, type StepEvent } from '../flow/stepSession.ts';
import type { ChoiceResponse, Flow, UserText } from '../flow/types.ts';
import type { MessageStream, StoredRecord, StreamRecord } from '../stream/MessageStream.ts';
import { describeError, type Logger } from './logger.ts';
import { requestRecord, responseRecord, startRecord } from './records.ts';
import type { SessionQueue } from './sessionQueue.ts';
import { NEW_SESSION, type SessionState, type SessionStates } from './sessionStates.ts';
import { formatTimestamp } from './timestamp.ts';
import { appendRecords, NO_FLOW, SESSION_WAS_RESET, type TurnEvent, type TurnPort, type TurnResult } from './turns.ts';

export interface WorkflowServiceOptions {
  stream: MessageStream;
  states: SessionStates;
  clock: () => Date;
  logger: Logger;
}

export class WorkflowService implements TurnPort {
  private compiled: CompiledFlow | null = null;
  private readonly stream: MessageStream;
  private readonly states: SessionStates;
  private readonly clock: () => Date;
  private readonly logger: Logger;

  constructor(options: WorkflowServiceOptions) {
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
      return appended;
    }
    const compiled = this.compiled;
    if (!compiled) return NO_FLOW;
    const state = event.kind === 'start' ? NEW_SESSION : await this.states.load(sid);
    if (state.reset) return SESSION_WAS_RESET;
    const step = stepSession(compiled, state.pending, toStepEvent(event));
    if (!step.ok) return step;
    const first = event.kind === 'start' ? startRecord(sid, timestamp) : responseRecord(sid, event.message, timestamp);
    const records = [first];
    for (const request of step.requests) records.push(requestRecord(sid, request, timestamp));
    const appended = await this.append(records);
    if (appended.ok) this.states.set(sid, { pending: step.pending, reset: false, lastOffset: appended.records[appended.records.length - 1].offset });
    return appended;
  }

  /**
   * Answer the events other processes append to the stream (the `workflow` role): each start
   * marker or user answer is stepped in its session's order and its requests appended.
   * Returns a function that stops consuming.
   */
  consume(queue: SessionQueue): () => void {
    return this.stream.subscribe((batch) => {
      for (const stored of batch) {
        const event = eventOf(stored.record);
        if (event) void queue.run(stored.record.sid, () => this.answer(stored, event));
      }
    });
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
    const step = stepSession(compiled, state.pending, toStepEvent(event));
    if (!step.ok) {
      this.logger.warn(`workflow: session ${sid} at offset ${stored.offset}: ${step.code}: ${step.message}`);
      return;
    }
    const timestamp = formatTimestamp(this.clock());
    const appended = await this.append(step.requests.map((request) => requestRecord(sid, request, timestamp)));
    if (!appended.ok) return;
    const last = appended.records.length > 0 ? appended.records[appended.records.length - 1].offset : stored.offset;
    this.states.set(sid, { pending: step.pending, reset: false, lastOffset: last });
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

function toStepEvent(event: Exclude<TurnEvent, { kind: 'reset' }>): StepEvent {
  return event.kind === 'start' ? { kind: 'start' } : { kind: 'response', response: event.message as unknown as { kind: string } };
}
