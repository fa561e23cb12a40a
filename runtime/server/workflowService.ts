/**
 * The workflow service: an event (a new session, a user's answer) in, the flow's requests out.
 * It steps the pure engine against the session's pending state and makes the result durable in
 * the stream before anyone may see it. In the `all` role the session service calls `turn` in
 * process; in the `workflow` role `consume` reads the events other processes append.
 */
import { compileFlow, type CompiledFlow } from '../flow/compileFlow.ts';
import type { ChoiceResponse, Flow, UserText } from '../flow/types.ts';
import type { MessageStream, StoredRecord, StreamRecord } from '../stream/messageStream.ts';
import { describeError } from '../describeError.ts';
import type { Logger } from './logger.ts';
import { compiledFlowHash } from './compiledFlowHash.ts';
import { operatorMessageOf, operatorRecord } from './operator/operatorRecords.ts';
import { requestRecord, responseRecord } from './records.ts';
import { runTurn, type TurnContext, type TurnOutcome, type TurnRecords } from './runTurn.ts';
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
  /**
   * told after each turn whose records are durable, and of a deferred start when it is shown (not
   * recorded yet): the studio's canvas follows previews with it
   */
  onStep?(step: WorkflowStep): void;
  /**
   * Pin each session to the flow version it started on (`serve`): its answers are stepped with
   * that version, found here by hash. Without it every session runs the current flow (the
   * studio's previews follow the draft).
   */
  versions?: PinnedVersions;
}

/** Where pinned sessions find their version. */
export interface PinnedVersions {
  /** the compiled version with this hash, or undefined when it is no longer kept */
  load(hash: string): Promise<CompiledFlow | undefined>;
}

/** What a session whose version was dropped is told before it starts over on the current one. */
export const RETIRED_VERSION_NOTICE = 'This conversation was started on an earlier version of this assistant that is no longer available, so it starts over.';

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
  /** the flow file's name, tagged on start markers (the studio's previews know it) */
  private flowName: string | undefined;
  private readonly stream: MessageStream;
  private readonly states: SessionStates;
  private readonly clock: () => Date;
  private readonly logger: Logger;
  private readonly options: WorkflowServiceOptions;
  private versions: PinnedVersions | undefined;

  constructor(options: WorkflowServiceOptions) {
    this.options = options;
    this.stream = options.stream;
    this.states = options.states;
    this.clock = options.clock;
    this.logger = options.logger;
    this.versions = options.versions;
  }

  /** Run this flow from now on. Sessions keep their pending state and go on where they can. */
  setFlow(flow: Flow | null, name?: string): void {
    this.compiled = flow ? compileFlow(flow) : null;
    this.flowName = name;
  }

  /** The name given with the flow in use (undefined when none was given). */
  get name(): string | undefined {
    return this.flowName;
  }

  /** What a turn's records are tagged with. */
  private context(sid: string, timestamp: string): TurnContext {
    return { sid, timestamp, preview: this.options.preview, flow: this.flowName };
  }

  /** Pin each session to the version it started on, found in `versions` (see the option). */
  pinVersions(versions: PinnedVersions): void {
    this.versions = versions;
  }

  /** Start new sessions on this compiled version (a publish); pinned sessions stay on theirs. */
  setCompiled(compiled: CompiledFlow): void {
    this.compiled = compiled;
    // A published version comes without a file name: its sessions are matched to a flow by hash.
    this.flowName = undefined;
  }

  /** The flow in use, compiled (null when there is none). */
  get flow(): CompiledFlow | null {
    return this.compiled;
  }

  /**
   * One event for a session, in process: the event record and the requests it produces are
   * appended together, and returned once durable. The caller serializes a session's turns.
   */
  turn(sid: string, event: TurnEvent, opening?: StreamRecord[]): Promise<TurnResult> {
    const compiled = this.compiled;
    if (event.kind !== 'reset' && !compiled) return Promise.resolve(NO_FLOW);
    const continues = event.kind === 'response' || event.kind === 'resume';
    const cached = opening ? foldOpening(opening) : continues ? this.states.peek(sid) : event.kind === 'reset' ? (this.states.peek(sid) ?? NEW_SESSION) : NEW_SESSION;
    // The common case (a cached session on the current version) is not an async function: no
    // promise and no await of its own before the append, only the append's.
    if (!cached || (continues && !this.runsCurrent(cached))) return this.loadAndStep(sid, event, cached, opening);
    try {
      return this.step(sid, event, cached, compiled, opening);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** A turn whose session is not cached, or runs on a pinned version: the state, then the version, are read first. */
  private async loadAndStep(sid: string, event: TurnEvent, cached: SessionState | undefined, opening: StreamRecord[] | undefined): Promise<TurnResult> {
    const state = cached ?? (await this.states.load(sid));
    const pinned = this.runsCurrent(state) ? this.compiled : await this.versionOf(state);
    return this.step(sid, event, state, pinned, opening);
  }

  /**
   * Steps the engine and appends the turn's records; settles once they are durable. Not async on
   * purpose: what waits for the commit is one small closure, not the whole turn's frame (a busy
   * server has a thousand turns waiting, and what waits through a scavenge is copied).
   */
  private step(sid: string, event: TurnEvent, state: SessionState, pinned: CompiledFlow | null, opening: StreamRecord[] | undefined): Promise<TurnResult> {
    const timestamp = formatTimestamp(this.clock());
    const outcome = pinned ? runTurn(pinned, state, event, this.context(sid, timestamp)) : this.startOver(sid, timestamp);
    if (!outcome.ok) return Promise.resolve(outcome);
    const records = pinned ? [outcome.event, ...outcome.requests] : [...this.retiredEvent(sid, event, timestamp), outcome.event, ...outcome.requests];
    return appendRecords(this.stream, opening ? [...opening, ...records] : records, this.logger, (stored) => this.stepped(sid, event.kind, outcome, pinned ?? this.compiled, stored));
  }

  /** A turn's records are durable: the session waits for what they ask, and the studio's canvas is told. */
  private stepped(sid: string, event: TurnEvent['kind'], outcome: TurnRecords, compiled: CompiledFlow | null, records: StoredRecord[]): void {
    this.states.set(sid, { ...outcome.next, lastOffset: records[records.length - 1].offset });
    this.options.onStep?.({ sid, event: event === 'resume' ? 'response' : event, visited: outcome.visited, resumedAt: outcome.resumedAt, flowHash: outcome.flowHash, compiled, pending: outcome.next.pending });
  }

  /** A new session's start marker and first requests, not appended (see `TurnPort.open`). */
  open(sid: string, event: Extract<TurnEvent, { kind: 'start' }>): TurnOpening {
    const outcome = runTurn(this.compiled, NEW_SESSION, event, this.context(sid, formatTimestamp(this.clock())));
    if (!outcome.ok) return outcome;
    // Shown, not recorded: the canvas still follows what the author sees.
    this.options.onStep?.({ sid, event: 'start', visited: outcome.visited, flowHash: outcome.flowHash, compiled: this.compiled, pending: outcome.next.pending });
    return { ok: true, records: [outcome.event, ...outcome.requests], recordNow: outcome.next.pending.handoff !== undefined };
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
    const timestamp = formatTimestamp(this.clock());
    if (event.kind === 'start') return this.answerStart(stored, timestamp);
    const pinned = await this.versionOf(state);
    const outcome = pinned || !this.compiled ? runTurn(pinned, state, event, { sid, timestamp }) : this.startOver(sid, timestamp);
    if (!outcome.ok) {
      // Without a flow, or after a reset, there is nothing to answer; anything else is worth a line.
      if (outcome !== NO_FLOW && outcome !== SESSION_WAS_RESET) this.logger.warn(`workflow: session ${sid} at offset ${stored.offset}: ${outcome.code}: ${outcome.message}`);
      return;
    }
    // The event is in the stream already: only what it produced is appended.
    const appended = await this.append(pinned ? outcome.requests : [outcome.event, ...outcome.requests]);
    if (!appended.ok) return;
    const last = appended.records.length > 0 ? appended.records[appended.records.length - 1].offset : stored.offset;
    this.states.set(sid, { ...outcome.next, lastOffset: last });
  }

  /**
   * A start marker another process (the proxy) appended: the session starts on the version the
   * marker names, so its greeting, its answers and its start record agree even when this process
   * and the proxy switched versions at slightly different times. A version this process does not
   * keep (yet) is replaced: a new marker for the current version, then its greeting.
   */
  private async answerStart(stored: StoredRecord, timestamp: string): Promise<void> {
    const sid = stored.record.sid;
    // A marker this process appended itself (below, or a session started over on the current version) is answered already.
    if ((this.states.peek(sid)?.lastOffset ?? -1) >= stored.offset) return;
    const named = typeof stored.record.flowHash === 'string' ? stored.record.flowHash : undefined;
    const current = this.compiled;
    const marked = named === undefined || !this.versions || !current || named === compiledFlowHash(current) ? current : await this.versions.load(named).catch(() => undefined);
    const outcome = runTurn(marked ?? current, NEW_SESSION, { kind: 'start' }, { sid, timestamp });
    if (!outcome.ok) {
      if (outcome !== NO_FLOW) this.logger.warn(`workflow: session ${sid} at offset ${stored.offset}: ${outcome.code}: ${outcome.message}`);
      return;
    }
    const appended = await this.append(marked ? outcome.requests : [outcome.event, ...outcome.requests]);
    if (!appended.ok) return;
    const last = appended.records.length > 0 ? appended.records[appended.records.length - 1].offset : stored.offset;
    this.states.set(sid, { ...outcome.next, lastOffset: last });
  }

  /**
   * The version a session's answer is stepped with (and, in the proxy, checked against): the one it
   * started on when sessions are pinned and that version is still kept, the current one when not
   * pinned; null when its version is gone.
   */
  async versionOf(state: SessionState): Promise<CompiledFlow | null> {
    if (this.runsCurrent(state)) return this.compiled;
    return (await this.versions!.load(state.flowHash!).catch(() => undefined)) ?? null;
  }

  /** Whether a session's answers step with the current flow (not pinned, or pinned to it). */
  private runsCurrent(state: SessionState): boolean {
    const current = this.compiled;
    return !this.versions || !current || state.flowHash === undefined || state.flowHash === compiledFlowHash(current);
  }

  /** The event that found its session's version gone, recorded before the session starts over. */
  private retiredEvent(sid: string, event: TurnEvent, timestamp: string): StreamRecord[] {
    if (event.kind === 'response') return [responseRecord(sid, event.message, timestamp)];
    if (event.kind === 'resume') return [operatorRecord(sid, event.release, timestamp)];
    return [];
  }

  /** A session whose version was dropped: a new start on the current version, after a notice saying so. */
  private startOver(sid: string, timestamp: string): TurnOutcome {
    const outcome = runTurn(this.compiled, NEW_SESSION, { kind: 'start' }, this.context(sid, timestamp));
    if (!outcome.ok) return outcome;
    return { ...outcome, requests: [requestRecord(sid, { kind: 'BotText', content: RETIRED_VERSION_NOTICE }, timestamp), ...outcome.requests] };
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

/** The state an unrecorded opening leaves a session in (its records have no offsets yet). */
function foldOpening(opening: StreamRecord[]): SessionState {
  let state = NEW_SESSION;
  for (const record of opening) state = fold(state, { offset: -1, record });
  return state;
}
