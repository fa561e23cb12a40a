/**
 * Publishing for a running server (`serve`): opens the version store, pins sessions to their
 * versions, adopts the version the server started with, follows publishes recorded on the stream
 * by other processes, serves the signed publish API when a token is configured, and drops old
 * versions nobody uses once their retention has passed.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { CompiledFlow } from '../../flow/compileFlow.ts';
import { serializeFlow } from '../../flow/serializeFlow.ts';
import type { MessageStream } from '../../stream/messageStream.ts';
import { describeError } from '../../describeError.ts';
import { describeFsError } from '../../stream/logFileSystem.ts';
import type { Logger } from '../logger.ts';
import type { SessionStates } from '../sessionStates.ts';
import { writeFileAtomic } from '../studio/writeFileAtomic.ts';
import type { WorkflowService } from '../workflowService.ts';
import { FlowVersions } from './FlowVersions.ts';
import { PublishAuth } from './publishAuth.ts';
import { Publisher, publishMessageOf, PUBLISH_SID } from './Publisher.ts';
import { createPublishRoutes } from './publishRoutes.ts';
import { createRoutingCheck } from './routingCheck.ts';

export interface PublishingOptions {
  /** where versions are kept (`<dataDir>/versions`) */
  dir: string;
  /** the publish token; without it there is no publish API (reloads from the file still work) */
  token?: string;
  /** the served flow file: a publish is written there too, so a restart runs it */
  flowFile?: string;
  /** the served flow's text as read (kept byte for byte as its version) */
  flowText?: string;
  /** how long a replaced version is kept for history when no live session uses it (default 30 days) */
  retentionMs?: number;
  /** trust X-Forwarded-Proto/For from a TLS-terminating proxy */
  trustProxy?: boolean;
  /** most recent recorded conversations `POST /publish/routing` replays (default 1000) */
  routingLimit?: number;
}

export interface Publishing {
  publisher: Publisher;
  /** answers publish API requests; false for any other request */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  close(): void;
}

const PRUNE_EVERY_MS = 60 * 60_000;

export async function startPublishing(
  options: PublishingOptions,
  ports: {
    stream: MessageStream;
    states: SessionStates;
    workflow: WorkflowService;
    clock: () => Date;
    logger: Logger;
    /** other processes share the stream (a proxy, workflow or operator role) */
    sharedStream?: boolean;
    onActivate(): void;
  },
): Promise<Publishing> {
  const { stream, states, workflow, clock, logger } = ports;
  const versions = await FlowVersions.open(options.dir);
  const liveVersions = () => states.versionCounts();
  const publisher = new Publisher({
    versions,
    stream,
    clock,
    logger,
    liveVersions,
    activate(compiled: CompiledFlow) {
      workflow.setCompiled(compiled);
      ports.onActivate();
    },
    persist: options.flowFile ? (text) => writeFileAtomic(options.flowFile!, text) : undefined,
    checkPersist: options.flowFile ? () => checkReplaceable(options.flowFile!) : undefined,
  });
  const running = workflow.flow;
  if (running) await publisher.adopt(options.flowText ?? serializeFlow(running.flow), running);
  workflow.pinVersions(versions);
  if (ports.sharedStream) await warnIfBehindStream(stream, publisher.currentHash, logger);

  // Publishes recorded by another process on a shared stream (this one's own are already running).
  const unsubscribe = stream.subscribe((batch) => {
    for (const stored of batch) {
      if (!publishMessageOf(stored.record)) continue;
      publisher.applyRecord(stored).catch((error: unknown) => logger.error(`cannot apply the publish at offset ${stored.offset}: ${describeError(error)}`));
    }
  });

  const retentionMs = options.retentionMs ?? 30 * 24 * 60 * 60_000;
  const prune = async () => {
    const dropped = await publisher.prune(clock().getTime() - retentionMs);
    if (dropped.length > 0) logger.info(`dropped ${dropped.length} flow version${dropped.length === 1 ? '' : 's'} no live session uses: ${dropped.join(', ')}`);
  };
  const pruner = setInterval(() => void prune().catch((error: unknown) => logger.warn(`cannot drop old flow versions: ${describeError(error)}`)), PRUNE_EVERY_MS);
  pruner.unref();

  const routing = createRoutingCheck(stream, options.routingLimit);
  const routes = options.token ? createPublishRoutes({ auth: new PublishAuth(options.token), publisher, versions, liveVersions, routing, trustProxy: options.trustProxy }) : undefined;
  return {
    publisher,
    handle: (req, res) => (routes ? routes(req, res) : Promise.resolve(false)),
    close() {
      clearInterval(pruner);
      unsubscribe();
      routing.close();
    },
  };
}

/**
 * A process that was down while a version was published on a shared stream starts on its own flow
 * file. Which of the two should run is the operator's call (the file may be newer, or a stale copy),
 * so this says so plainly instead of guessing.
 */
async function warnIfBehindStream(stream: MessageStream, running: string | null, logger: Logger): Promise<void> {
  if (!stream.hasSession(PUBLISH_SID)) return;
  let last: { hash: string; by: string; timestamp: string } | undefined;
  try {
    for await (const chunk of stream.readSession(PUBLISH_SID)) {
      for (const stored of chunk) {
        const message = publishMessageOf(stored.record);
        if (message) last = { hash: message.hash, by: message.by, timestamp: stored.record.timestamp };
      }
    }
  } catch (error) {
    logger.warn(`cannot read the publishes recorded on the stream: ${describeError(error)}`);
    return;
  }
  if (last && last.hash !== running) {
    logger.warn(
      `the last version published on the stream is ${last.hash} (by ${last.by}, ${last.timestamp}), but this process starts on ${running ?? 'no flow'} from its flow file: ` +
        `publish the version every process should run (bot-assistant publish, or publish --rollback ${last.hash}) to switch them all`,
    );
  }
}

/**
 * Can `file` be replaced the way writeFileAtomic does it (a temp file beside it, renamed over it)?
 * Rejects naming the file and why.
 */
async function checkReplaceable(file: string): Promise<void> {
  try {
    await access(path.dirname(file), constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new Error(`cannot write the flow file ${file}: its folder is not writable (${describeFsError(error)})`);
  }
}
