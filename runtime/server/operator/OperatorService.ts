/**
 * The operator service: follows the stream to know which conversations wait for a person (an
 * OperatorHandoff request), which one an operator has (a claim) and which the bot still runs
 * (for takeovers), and turns operators' actions into records. Everything it decides is a record on
 * the stream, so it runs beside the bot in one process or on its own against a shared stream.
 * One operator service per stream: claims are decided here, first come first served.
 */
import type { OperatorMessage, OperatorRelease } from '../../flow/handoff.ts';
import type { CompiledFlow } from '../../flow/compileFlow.ts';
import type { MessageStream, StoredRecord } from '../../stream/messageStream.ts';
import { describeError } from '../../describeError.ts';
import type { Logger } from '../logger.ts';
import type { TurnResult } from '../turns.ts';
import { consoleEntryOf, type ConsoleEntry } from './consoleEntries.ts';
import { applyToConversation, isVisibleTo, type Conversation, type ConversationView, type OperatorIdentity } from './conversations.ts';
import { operatorRecord } from './operatorRecords.ts';
import { formatTimestamp } from '../timestamp.ts';
import { SessionQueue } from '../sessionQueue.ts';

/** How the service's records reach the stream (and, in one process, the visitor's widget). */
export interface OperatorPort {
  /** append operator records (claim, text, unclaim) for a session */
  record(sid: string, message: OperatorMessage, timestamp: string): Promise<TurnResult>;
  /** hand a session back to the flow: the release and whatever the flow answers */
  release(sid: string, release: OperatorRelease, timestamp: string): Promise<TurnResult>;
}

export interface OperatorServiceOptions {
  stream: MessageStream;
  port: OperatorPort;
  flow: () => CompiledFlow | null;
  clock?: () => Date;
  logger: Logger;
  /** a claimed conversation waits this long for its operator's console to come back (ms); default 30 s */
  graceMs?: number;
  /** bot conversations quiet for longer leave the takeover list (ms); default 30 minutes */
  activeMs?: number;
  /**
   * Studio previews, when operators may see them (the studio's Live tab): their records' way in
   * and the draft they run. Without it preview sessions are never shown.
   */
  previews?: { port: OperatorPort; flow: () => CompiledFlow | null };
}

export type OperatorEvent =
  | { type: 'conversation'; conversation: ConversationView }
  | { type: 'gone'; sid: string }
  | { type: 'entry'; sid: string; entry: ConsoleEntry };

export type ActionResult = { ok: true } | { ok: false; code: string; message: string };

/** Where the flow goes on when an operator hands back: a state, where it was, or the end. */
export type Resume = { at: string } | { back: true } | { end: true };

/** Most console lines sent for one transcript (the newest ones). */
const TRANSCRIPT_LIMIT = 500;
/** Longest operator message (characters). */
export const MAX_OPERATOR_TEXT = 4000;

export class OperatorService {
  private readonly conversations = new Map<string, Conversation>();
  /** reset sessions, and preview ones unless `previews` is given: never shown */
  private readonly ignored = new Set<string>();
  private readonly listeners = new Set<(event: OperatorEvent) => void>();
  private readonly attached = new Map<string, number>();
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
  /**
   * Actions on one conversation run one after another: with the operator service in its own
   * process, the visitor's proxy may show a claim before this process has read its own claim back,
   * so an operator's first "say" can come in while the claim is still in flight. It waits for it.
   */
  private readonly actions = new SessionQueue();
  private readonly clock: () => Date;
  private readonly graceMs: number;
  private readonly activeMs: number;
  private unsubscribe = (): void => {};
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: OperatorServiceOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.graceMs = options.graceMs ?? 30_000;
    this.activeMs = options.activeMs ?? 30 * 60_000;
  }

  /** Follow the stream, after reading the recent sessions it already holds. */
  async start(): Promise<void> {
    this.unsubscribe = this.options.stream.subscribe((batch) => {
      for (const stored of batch) this.observe(stored, true);
    });
    const since = this.now() - this.activeMs;
    for (const summary of [...this.options.stream.sessions()]) {
      if (this.conversations.has(summary.sid) || Date.parse(summary.lastTimestamp) < since) continue;
      try {
        for await (const chunk of this.options.stream.readSession(summary.sid)) for (const stored of chunk) this.observe(stored, false);
      } catch (error) {
        this.options.logger.error(`operator: cannot read session ${summary.sid}: ${describeError(error)}`);
      }
    }
    this.sweeper = setInterval(() => this.sweep(), Math.min(60_000, this.activeMs)).unref();
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.sweeper);
    for (const conversation of this.conversations.values()) clearTimeout(conversation.timer);
    for (const timer of this.graceTimers.values()) clearTimeout(timer);
    this.listeners.clear();
  }

  /** Be told of every change; returns unsubscribe. */
  watch(listener: (event: OperatorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The conversations this operator may see, waiting ones first. */
  list(operator: OperatorIdentity): ConversationView[] {
    return [...this.conversations.values()].filter((c) => isVisibleTo(operator, c)).map(viewOf);
  }

  /** The states an operator may resume a flow at (a preview conversation's: those of the draft). */
  stateNames(sid?: string): string[] {
    const c = sid === undefined ? undefined : this.conversations.get(sid);
    return [...(this.flowOf(c)?.states.keys() ?? [])];
  }

  /** The console lines of a conversation so far (the newest TRANSCRIPT_LIMIT). */
  async transcript(operator: OperatorIdentity, sid: string): Promise<ConsoleEntry[] | ActionResult> {
    const conversation = this.conversations.get(sid);
    if (!conversation || !isVisibleTo(operator, conversation)) return refuse('unknown-conversation', 'No conversation you can see has this id.');
    const entries: ConsoleEntry[] = [];
    for await (const chunk of this.options.stream.readSession(sid)) {
      for (const stored of chunk) {
        const entry = consoleEntryOf(stored);
        if (entry) entries.push(entry);
      }
      if (entries.length > 2 * TRANSCRIPT_LIMIT) entries.splice(0, entries.length - TRANSCRIPT_LIMIT);
    }
    return entries.slice(-TRANSCRIPT_LIMIT);
  }

  /** Take a waiting conversation, or any the bot runs (a takeover). Exactly one of two racing claims wins. */
  claim(operator: OperatorIdentity, sid: string): Promise<ActionResult> {
    return this.actions.run(sid, () => this.claimNow(operator, sid));
  }

  private async claimNow(operator: OperatorIdentity, sid: string): Promise<ActionResult> {
    const c = this.conversations.get(sid);
    if (!c || !isVisibleTo(operator, c)) return refuse('unknown-conversation', 'No conversation you can see has this id.');
    if (c.claimedBy) {
      return c.claimedBy.id === operator.id ? { ok: true } : refuse('already-claimed', `${c.claimedBy.name} already has this conversation.`);
    }
    c.claimedBy = { id: operator.id, name: operator.name };
    const result = await this.portOf(c).record(sid, { kind: 'OperatorClaim', operator: operator.id, name: operator.name }, this.timestamp());
    if (!result.ok) {
      c.claimedBy = undefined;
      // a timeout that fell due while the claim was in flight was skipped: let it fire now
      const current = this.conversations.get(sid);
      if (current?.status === 'waiting' && current.deadline !== undefined) this.armTimeout(current, this.now());
      return result;
    }
    return { ok: true };
  }

  /** Say something to the visitor of a conversation this operator has. */
  say(operator: OperatorIdentity, sid: string, text: string): Promise<ActionResult> {
    return this.actions.run(sid, () => this.sayNow(operator, sid, text));
  }

  private async sayNow(operator: OperatorIdentity, sid: string, text: string): Promise<ActionResult> {
    const held = this.held(operator, sid);
    if (!held.ok) return held;
    const content = text.trim();
    if (content === '') return refuse('empty-text', 'Type something to send.');
    if (content.length > MAX_OPERATOR_TEXT) return refuse('text-too-long', `A message may have at most ${MAX_OPERATOR_TEXT} characters (this one has ${content.length}).`);
    return this.portOf(this.conversations.get(sid)).record(sid, { kind: 'OperatorText', operator: operator.id, name: operator.name, content }, this.timestamp());
  }

  /** Hand a conversation back to the bot: at a state, back where it was, or end it. */
  release(operator: OperatorIdentity, sid: string, resume: Resume): Promise<ActionResult> {
    return this.actions.run(sid, () => this.releaseNow(operator, sid, resume));
  }

  private async releaseNow(operator: OperatorIdentity, sid: string, resume: Resume): Promise<ActionResult> {
    const held = this.held(operator, sid);
    if (!held.ok) return held;
    const c = this.conversations.get(sid)!;
    const release: OperatorRelease = { kind: 'OperatorRelease', reason: 'released', operator: operator.id, name: operator.name };
    if ('end' in resume) release.end = true;
    else if ('at' in resume) {
      if (!this.flowOf(c)?.states.has(resume.at)) return refuse('unknown-state', `The flow has no state "${resume.at}".`);
      release.resumeAt = resume.at;
    } else if (c.queue !== null && c.lastQuestion !== undefined) release.resumeAt = c.lastQuestion;
    const result = await this.portOf(c).release(sid, release, this.timestamp());
    return result.ok ? { ok: true } : result;
  }

  /** An operator's console connected; call the returned function when it disconnects. */
  attach(operatorId: string): () => void {
    clearTimeout(this.graceTimers.get(operatorId));
    this.graceTimers.delete(operatorId);
    this.attached.set(operatorId, (this.attached.get(operatorId) ?? 0) + 1);
    let detached = false;
    return () => {
      if (detached) return;
      detached = true;
      const left = (this.attached.get(operatorId) ?? 1) - 1;
      if (left > 0) return void this.attached.set(operatorId, left);
      this.attached.delete(operatorId);
      this.graceTimers.set(operatorId, setTimeout(() => void this.letGo(operatorId), this.graceMs).unref());
    };
  }

  /** The operator's consoles stayed away past the grace period: queued conversations go back to the queue, takeovers back to the bot. */
  private async letGo(operatorId: string): Promise<void> {
    this.graceTimers.delete(operatorId);
    for (const sid of [...this.conversations.keys()]) await this.actions.run(sid, () => this.letGoOf(sid, operatorId));
  }

  private async letGoOf(sid: string, operatorId: string): Promise<void> {
    const c = this.conversations.get(sid);
    if (c?.status !== 'live' || c.operator?.id !== operatorId) return;
    const name = c.operator.name;
    const port = this.portOf(c);
    const result = c.queue === null
      ? await port.release(sid, { kind: 'OperatorRelease', reason: 'released', operator: operatorId, name }, this.timestamp())
      : await port.record(sid, { kind: 'OperatorUnclaim', operator: operatorId, name, reason: 'disconnect' }, this.timestamp());
    if (!result.ok) this.options.logger.warn(`operator: could not let go of ${sid.slice(0, 8)} for ${operatorId}: ${result.message}`);
  }

  private held(operator: OperatorIdentity, sid: string): ActionResult {
    const c = this.conversations.get(sid);
    if (!c || !isVisibleTo(operator, c)) return refuse('unknown-conversation', 'No conversation you can see has this id.');
    if (c.status !== 'live' || c.operator?.id !== operator.id) return refuse('not-yours', 'Claim this conversation first.');
    return { ok: true };
  }

  /** Fold one record into its conversation and tell the consoles. */
  private observe(stored: StoredRecord, live: boolean): void {
    const { sid } = stored.record;
    if (this.ignored.has(sid)) return;
    const startsPreview = !stored.record.payload && stored.record.preview === true;
    if (startsPreview && !this.options.previews) return void this.ignored.add(sid);
    const before = this.conversations.get(sid);
    if (before && stored.offset <= before.lastOffset) return;
    const now = this.now();
    const after = applyToConversation(before, stored, now);
    if (!after) {
      if (before) this.drop(sid);
      return;
    }
    if (startsPreview) after.preview = true;
    this.conversations.set(sid, after);
    if (after.status === 'waiting' && after.deadline !== undefined && (before?.status !== 'waiting' || !before.timer)) this.armTimeout(after, now);
    if (after.status !== 'waiting') clearTimeout(after.timer);
    if (!live) return;
    const entry = consoleEntryOf(stored);
    if (entry) this.emit({ type: 'entry', sid, entry });
    this.emit({ type: 'conversation', conversation: viewOf(after) });
  }

  private armTimeout(c: Conversation, now: number): void {
    clearTimeout(c.timer);
    c.timer = setTimeout(() => void this.actions.run(c.sid, () => this.timeOut(c.sid)), Math.max(0, c.deadline! - now)).unref();
  }

  /** Nobody claimed a waiting conversation in time: the flow goes on at the handoff's next, or ends. */
  private async timeOut(sid: string): Promise<void> {
    const c = this.conversations.get(sid);
    if (!c || c.status !== 'waiting' || c.claimedBy) return;
    const next = c.handoffState === undefined ? undefined : this.flowOf(c)?.states.get(c.handoffState)?.next;
    const release: OperatorRelease = { kind: 'OperatorRelease', reason: 'timeout' };
    if (typeof next === 'string') release.resumeAt = next;
    else release.end = true;
    const result = await this.portOf(c).release(sid, release, this.timestamp());
    if (!result.ok) this.options.logger.warn(`operator: timeout of ${sid.slice(0, 8)} could not hand back: ${result.message}`);
  }

  /** Where a conversation's records go: a preview's through the preview sessions. */
  private portOf(c: Conversation | undefined): OperatorPort {
    return c?.preview && this.options.previews ? this.options.previews.port : this.options.port;
  }

  /** The flow a conversation runs: the draft for a preview, else the server's. */
  private flowOf(c: Conversation | undefined): CompiledFlow | null {
    return c?.preview && this.options.previews ? this.options.previews.flow() : this.options.flow();
  }

  private sweep(): void {
    const since = this.now() - this.activeMs;
    for (const c of [...this.conversations.values()]) if (c.status === 'bot' && c.lastActivity < since) this.drop(c.sid);
  }

  private drop(sid: string): void {
    clearTimeout(this.conversations.get(sid)?.timer);
    this.conversations.delete(sid);
    this.emit({ type: 'gone', sid });
  }

  private emit(event: OperatorEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.logger.error(`operator: a console listener failed: ${describeError(error)}`);
      }
    }
  }

  private now(): number {
    return this.clock().getTime();
  }

  private timestamp(): string {
    return formatTimestamp(this.clock());
  }
}

function viewOf(c: Conversation): ConversationView {
  const { sid, status, queue, operator, since, lastActivity, lastText, deadline, preview } = c;
  const view: ConversationView = { sid, status, queue, operator, since, lastActivity, lastText, deadline: status === 'waiting' ? deadline : undefined };
  if (preview) view.preview = true;
  return view;
}

function refuse(code: string, message: string): ActionResult {
  return { ok: false, code, message };
}
