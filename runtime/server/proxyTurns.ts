/**
 * The `proxy` role's turns: the answer is checked against the pending state the stream shows
 * (so a stale or forged answer gets an error frame and is never recorded), then only the event
 * is appended. The workflow process answers it through the stream.
 */
import type { CompiledFlow } from '../flow/compileFlow.ts';
import { operatorRecord } from './operator/operatorRecords.ts';
import { responseRecord } from './records.ts';
import type { MessageStream } from '../stream/messageStream.ts';
import type { Logger } from './logger.ts';
import { runTurn } from './runTurn.ts';
import { NEW_SESSION, type SessionState, type SessionStates } from './sessionStates.ts';
import { formatTimestamp } from './timestamp.ts';
import { appendRecords, NO_FLOW, type TurnEvent, type TurnPort, type TurnResult } from './turns.ts';

export interface ProxyTurnsOptions {
  stream: MessageStream;
  states: SessionStates;
  flow: () => CompiledFlow | null;
  /**
   * The version a session's answers are checked against: the one it started on (publishing pins
   * sessions), null when that version was dropped. Default: the current flow.
   */
  versionOf?(state: SessionState): Promise<CompiledFlow | null>;
  clock: () => Date;
  logger: Logger;
}

export function createProxyTurns(options: ProxyTurnsOptions): TurnPort {
  const { stream, states, flow, versionOf, clock, logger } = options;
  return {
    async turn(sid: string, event: TurnEvent): Promise<TurnResult> {
      const compiled = flow();
      if (event.kind !== 'reset' && !compiled) return NO_FLOW;
      // an operator's release (issue 14) continues the session like an answer
      const continues = event.kind === 'response' || event.kind === 'resume';
      const state = continues ? await states.load(sid) : NEW_SESSION;
      const timestamp = formatTimestamp(clock());
      // A conversation finishes on the version it started with: its answers are checked against that one.
      const pinned = continues && versionOf ? await versionOf(state) : compiled;
      if (continues && !pinned) {
        // Its version was dropped: the workflow tells the visitor and starts over; here the answer is only recorded.
        const record = event.kind === 'resume' ? operatorRecord(sid, event.release, timestamp) : responseRecord(sid, event.message, timestamp);
        return appendRecords(stream, [record], logger);
      }
      const outcome = runTurn(pinned, state, event, { sid, timestamp });
      if (!outcome.ok) return outcome;
      // Only the event: the workflow process steps it again and appends the requests.
      return appendRecords(stream, [outcome.event], logger);
    },
  };
}
