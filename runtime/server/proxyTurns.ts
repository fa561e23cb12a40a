/**
 * The `proxy` role's turns: the answer is checked against the pending state the stream shows
 * (so a stale or forged answer gets an error frame and is never recorded), then only the event
 * is appended. The workflow process answers it through the stream.
 */
import type { CompiledFlow } from '../flow/compileFlow.ts';
import { stepSession } from '../flow/stepSession.ts';
import type { MessageStream } from '../stream/MessageStream.ts';
import { compiledFlowHash } from './compiledFlowHash.ts';
import type { Logger } from './logger.ts';
import { operatorRecord } from './operator/operatorRecords.ts';
import { responseRecord, startRecord } from './records.ts';
import type { SessionStates } from './sessionStates.ts';
import { formatTimestamp } from './timestamp.ts';
import { appendRecords, NO_FLOW, SESSION_WAS_RESET, type TurnEvent, type TurnPort, type TurnResult } from './turns.ts';

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
      const timestamp = formatTimestamp(clock());
      if (event.kind === 'start') {
        const compiled = flow();
        if (!compiled) return NO_FLOW;
        return appendRecords(stream, [startRecord(sid, timestamp, { flowHash: compiledFlowHash(compiled) })], logger);
      }
      if (event.kind === 'reset') return appendRecords(stream, [responseRecord(sid, { kind: 'ResetSession' }, timestamp)], logger);
      if (event.kind === 'resume') return appendRecords(stream, [operatorRecord(sid, event.release, timestamp)], logger); // operator hook (issue 14)
      const compiled = flow();
      if (!compiled) return NO_FLOW;
      const state = await states.load(sid);
      if (state.reset) return SESSION_WAS_RESET;
      const check = stepSession(compiled, state.pending, { kind: 'response', response: event.message as unknown as { kind: string } });
      if (!check.ok) return check;
      return appendRecords(stream, [responseRecord(sid, event.message, timestamp, check.resumedAt)], logger);
    },
  };
}
