/**
 * Puts the operator service and its console together for `start()`: in the `all` role its records
 * go through the session service (so the visitor's widget shows them at once and the workflow
 * answers a release in process); in the `operator` role they only go to the shared stream, where
 * the proxy shows them and the workflow answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { CompiledFlow } from '../../flow/compileFlow.ts';
import type { MessageStream } from '../../stream/messageStream.ts';
import type { Logger } from '../logger.ts';
import type { SessionService } from '../sessionService.ts';
import type { SessionStates } from '../sessionStates.ts';
import { appendRecords, type TurnPort } from '../turns.ts';
import type { OperatorIdentity } from './conversations.ts';
import { loadOperatorAccounts, parseOperatorAccounts, type OperatorAccount } from './operatorAccounts.ts';
import { createOperatorConsole } from './operatorConsole.ts';
import { operatorRecord } from './operatorRecords.ts';
import { OperatorService, type OperatorPort } from './OperatorService.ts';

export interface OperatorOptions {
  /** an accounts file path, or the accounts themselves */
  accounts: string | OperatorAccount[];
  /** Host headers the console answers to (default: loopback names on the server's port) */
  hosts?: string[];
  /** how long a disconnected console keeps its conversations (ms), default 30 s */
  graceMs?: number;
  /**
   * The operator a request is signed in as by its host, without the sign-in form: the studio's
   * author, when the request carries the studio's access token. Such pages may be framed by the
   * host's own pages (the studio's Live tab).
   */
  hostOperator?: (req: IncomingMessage) => OperatorIdentity | undefined;
  /** show studio preview sessions too (needs `parts.previews`) */
  previews?: boolean;
}

export interface Operators {
  service: OperatorService;
  handleRequest(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): Promise<void>;
}

interface InProcess {
  sessions: SessionService;
  turns: TurnPort;
}

export interface OperatorParts {
  stream: MessageStream;
  states: SessionStates;
  /** the session service and the workflow's turns when they run in this process */
  inProcess?: InProcess;
  /** the preview sessions' service, turns and draft, when the server runs previews */
  previews?: InProcess & { flow: () => CompiledFlow | null };
  flow: () => CompiledFlow | null;
  clock: () => Date;
  logger: Logger;
  port: () => number;
}

/** Load the accounts (throws with the file and JSON path on a bad one) and start following the stream. */
export async function startOperators(options: OperatorOptions, parts: OperatorParts): Promise<Operators> {
  const accounts = typeof options.accounts === 'string' ? await loadOperatorAccounts(options.accounts) : parseOperatorAccounts({ operators: options.accounts });
  if (options.previews && !parts.previews) throw new Error('operators: previews were asked for, but this server runs none (start it with preview: true)');
  const previews = options.previews && parts.previews ? { port: operatorPort(parts, parts.previews), flow: parts.previews.flow } : undefined;
  const service = new OperatorService({ stream: parts.stream, port: operatorPort(parts, parts.inProcess), flow: parts.flow, clock: parts.clock, logger: parts.logger, graceMs: options.graceMs, previews });
  await service.start();
  const console = createOperatorConsole({ service, accounts, hosts: options.hosts, port: parts.port, logger: parts.logger, hostOperator: options.hostOperator });
  return {
    service,
    handleRequest: console.handleRequest,
    handleUpgrade: console.handleUpgrade,
    async close() {
      service.close();
      await console.close();
    },
  };
}

function operatorPort(parts: OperatorParts, inProcess: InProcess | undefined): OperatorPort {
  const { stream, states, logger } = parts;
  if (!inProcess) {
    return {
      record: (sid, message, timestamp) => appendRecords(stream, [operatorRecord(sid, message, timestamp)], logger),
      release: (sid, release, timestamp) => appendRecords(stream, [operatorRecord(sid, release, timestamp)], logger),
    };
  }
  return {
    record: (sid, message, timestamp) =>
      inProcess.sessions.runForOperator(sid, async () => {
        const result = await appendRecords(stream, [operatorRecord(sid, message, timestamp)], logger);
        // The workflow answers from its cached state: a claim must reach it before the visitor's next message.
        if (result.ok) for (const stored of result.records) states.applyRecord(stored);
        return result;
      }),
    release: (sid, release) => inProcess.sessions.runForOperator(sid, () => inProcess.turns.turn(sid, { kind: 'resume', release })),
  };
}
