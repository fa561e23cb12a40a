/**
 * Studio previews: a second session service on `/preview-socket` (no cookie: a key in the socket
 * URL picks the session, see previewAdmission.ts) whose sessions run the studio's draft through
 * their own workflow service, on the same stream as every other session (start markers tagged
 * `"preview": true` and with the draft's file name). A session is recorded from the author's first
 * answer: opening a flow shows its greeting and records nothing. The draft hot-reloads: a live
 * session whose pending question survives the change carries on, any other (an ended one too)
 * restarts with a short notice, one never answered quietly shows the new opening (or stays as it is
 * when that opening reads the same). These decisions run in each session's order. Each step shown
 * is reported to subscribers (the studio's canvas follows it).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { compileFlow, type CompiledFlow } from '../../flow/compileFlow.ts';
import { sameUpToNames } from '../../flow/sameUpToNames.ts';
import type { Flow } from '../../flow/types.ts';
import type { MessageStream } from '../../stream/messageStream.ts';
import { compiledFlowHash } from '../compiledFlowHash.ts';
import { describeError } from '../../describeError.ts';
import type { Logger } from '../logger.ts';
import type { ConnectionLimits } from '../connectionLimits.ts';
import type { OriginCheck } from '../originCheck.ts';
import { SessionService } from '../sessionService.ts';
import type { SessionStates } from '../sessionStates.ts';
import { WorkflowService, type WorkflowStep } from '../workflowService.ts';
import type { PreviewStep } from '../../history/historyTypes.ts';
import { HistoryReplayer } from '../historyReplayer.ts';
import { PreviewAdmission } from './previewAdmission.ts';
import { PREVIEW_SOCKET_PATH } from './previewPage.ts';
import { ReplayViews } from './replayViews.ts';
import { isWaiting } from '../../flow/pendingState.ts';
import { pendingStillAnswerable, waitingStates } from './waitingStates.ts';

/** What a preview session's widget is shown when a change of the draft restarts it. */
export const FLOW_CHANGED_NOTICE = 'The flow changed, so the conversation restarted.';

export type { PreviewStep };


/** What the studio host drives. */
export interface PreviewControl {
  /**
   * Run this draft in preview sessions from now on (`name`: its file's name, tagged on their start
   * markers); resolves once live sessions carried on or restarted.
   */
  setFlow(flow: Flow, name?: string): Promise<{ flowHash: string; restarted: number }>;
  /** flowHash of the draft running (null when none) */
  readonly flowHash: string | null;
  /** Every preview step from now on; returns unsubscribe. */
  subscribe(listener: (step: PreviewStep) => void): () => void;
}

export interface PreviewServiceOptions {
  stream: MessageStream;
  states: SessionStates;
  clock: () => Date;
  logger: Logger;
  originCheck: OriginCheck;
  maxFrameBytes: number;
  /** what previews run until the studio sends a draft */
  flow: Flow | null;
  /** per-socket limits (frames per second, unread bytes) */
  limits?: ConnectionLimits;
}

export class PreviewService implements PreviewControl {
  private readonly workflow: WorkflowService;
  private readonly sessions: SessionService;
  private readonly admission: PreviewAdmission;
  private readonly replayViews: ReplayViews;
  private readonly listeners = new Set<(step: PreviewStep) => void>();
  private readonly logger: Logger;
  private readonly states: SessionStates;

  constructor(options: PreviewServiceOptions) {
    this.logger = options.logger;
    this.states = options.states;
    this.workflow = new WorkflowService({
      stream: options.stream,
      states: options.states,
      clock: options.clock,
      logger: options.logger,
      preview: true,
      onStep: (step) => this.report(step),
    });
    this.workflow.setFlow(options.flow);
    const history = new HistoryReplayer(options.stream, undefined, options.limits);
    this.replayViews = new ReplayViews(options.stream, history, options.logger, options.maxFrameBytes);
    this.admission = new PreviewAdmission(this.replayViews);
    this.sessions = new SessionService({
      stream: options.stream,
      states: options.states,
      turns: this.workflow,
      originCheck: options.originCheck,
      logger: options.logger,
      maxFrameBytes: options.maxFrameBytes,
      followStream: false,
      path: PREVIEW_SOCKET_PATH,
      // Opening the studio (or a flow) records nothing: a preview session exists once the author answers.
      deferStart: true,
      admission: this.admission,
      history,
      limits: options.limits,
    });
  }

  get flowHash(): string | null {
    const compiled = this.workflow.flow;
    return compiled ? compiledFlowHash(compiled) : null;
  }

  async setFlow(flow: Flow, name?: string): Promise<{ flowHash: string; restarted: number }> {
    const compiled = compileFlow(flow);
    const hash = compiledFlowHash(compiled);
    if (hash === this.flowHash && name === this.workflow.name) return { flowHash: hash, restarted: 0 };
    const previous = this.workflow.flow?.flow;
    this.workflow.setFlow(flow, name);
    this.sessions.flowChanged();
    // Steps renamed after their text: every conversation reads the same, none restarts.
    if (previous && sameUpToNames(previous, flow)) return { flowHash: hash, restarted: 0 };
    let restarted = 0;
    for (const sid of this.sessions.liveSessions()) {
      try {
        let notice = false;
        // Decided in the session's order: an answer that reached the server first is counted.
        const outcome = await this.sessions.recheckAfterFlowChange(sid, async () => {
          const next = await this.afterChange(sid, compiled);
          // The notice is left first: the widget reconnects as soon as its socket closes.
          notice = next === 'restarts';
          if (notice) this.admission.leaveNotice(sid, FLOW_CHANGED_NOTICE);
          return next !== 'carries on';
        });
        if (outcome === 'restarted') restarted++;
        else if (notice) this.admission.forgetNotice(sid);
      } catch (error) {
        this.logger.warn(`preview ${sid.slice(0, 8)}: could not check it against the new draft: ${describeError(error)}`);
      }
    }
    return { flowHash: hash, restarted };
  }

  /** What becomes of a recorded preview conversation when `compiled` replaces its flow. */
  private async afterChange(sid: string, compiled: CompiledFlow): Promise<'carries on' | 'restarts' | 'restarts quietly'> {
    const state = await this.states.load(sid);
    // Recorded nothing and shows no opening (it could not start): nothing to say about it.
    if (state.lastOffset < 0) return 'restarts quietly';
    // An ended conversation (it has run and waits for nothing, not even a person) restarts too:
    // the author's edit would otherwise never reach the pane.
    return state.reset || (isWaiting(state.pending) && pendingStillAnswerable(compiled, state.pending)) ? 'carries on' : 'restarts';
  }

  subscribe(listener: (step: PreviewStep) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** What the operator service needs to reach preview sessions (the studio's Live tab): their sockets, their turns and the draft. */
  forOperators(): { sessions: SessionService; turns: WorkflowService; flow: () => CompiledFlow | null } {
    return { sessions: this.sessions, turns: this.workflow, flow: () => this.workflow.flow };
  }

  /** The server's `upgrade` event for `/preview-socket`. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.sessions.handleUpgrade(req, socket, head);
  }

  get sessionCount(): number {
    return this.sessions.sessionCount;
  }

  get connectionCount(): number {
    return this.sessions.connectionCount;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.all([this.sessions.close(), this.replayViews.close()]);
  }

  private report(step: WorkflowStep): void {
    if (this.listeners.size === 0) return;
    const report: PreviewStep = {
      sid: step.sid,
      event: step.event,
      visited: step.visited,
      waiting: step.event !== 'reset' && step.compiled ? waitingStates(step.compiled, step.visited, step.pending) : [],
      flowHash: step.flowHash,
    };
    if (step.resumedAt !== undefined) report.resumedAt = step.resumedAt;
    for (const listener of this.listeners) {
      try {
        listener(report);
      } catch (error) {
        this.logger.warn(`preview step listener failed: ${describeError(error)}`);
      }
    }
  }
}
