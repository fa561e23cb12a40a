/**
 * The `proxy` role's turns: the answer is checked against the pending state the stream shows
 * (so a stale or forged answer gets an error frame and is never recorded), then only the event
 * is appended. The workflow process answers it through the stream.
 */
import type { CompiledFlow } from '../flow/compileFlow.ts';
import type { MessageStream } from '../stream/messageStream.ts';
import type { Logger } from './logger.ts';
import { runTurn } from './runTurn.ts';
import { NEW_SESSION, type SessionStates } from './sessionStates.ts';
import { formatTimestamp } from './timestamp.ts';
import { appendRecords, NO_FLOW, type TurnEvent, type TurnPort, type TurnResult } from './turns.ts';

export interface ProxyTurnsOptions {
  stream: MessageStream;
  states: SessionStates;
  flow: () => CompiledFlow | null;
  clock: () => Date;
  logger: Logger;
}

export function createProxyTurns(options: ProxyTurnsOptions): TurnPort {
  const { stream, states, flow, clock, logger } = options;
  return {
    async turn(sid: string, event: TurnEvent): Promise<TurnResult> {
      const compiled = flow();
      if (event.kind !== 'reset' && !compiled) return NO_FLOW;
      // an operator's release (issue 14) continues the session like an answer
      const state = event.kind === 'response' || event.kind === 'resume' ? await states.load(sid) : NEW_SESSION;
      const outcome = runTurn(compiled, state, event, { sid, timestamp: formatTimestamp(clock()) });
      if (!outcome.ok) return outcome;
      // Only the event: the workflow process steps it again and appends the requests.
      return appendRecords(stream, [outcome.event], logger);
    },
  };
}
