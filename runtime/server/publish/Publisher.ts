/**
 * Publishing a flow version to a running server: the text is checked with the same diagnostics as
 * at start (a version with errors is refused and the running one stays), kept content-addressed,
 * recorded on the stream (who, when, which hash, and the text, so every process on a shared
 * stream switches too), and made the version new sessions start on. Sessions already running stay
 * on the version they started with. One door for every way a version arrives: `serve --watch`,
 * SIGHUP, `bot-assistant publish`, the studio's Publish dialog, a rollback, another process.
 */
import { checkFlowText } from '../../flow/checkFlowText.ts';
import { compileFlow, type CompiledFlow } from '../../flow/compileFlow.ts';
import { describeFlowChanges, type FlowChange } from '../../flow/describeFlowChanges.ts';
import { flowHash } from '../../flow/flowHash.ts';
import type { Diagnostic } from '../../flow/types.ts';
import type { MessageStream, StoredRecord, StreamRecord } from '../../stream/messageStream.ts';
import { describeError } from '../../describeError.ts';
import type { Logger } from '../logger.ts';
import { formatTimestamp } from '../timestamp.ts';
import type { FlowVersions, PublishEntry } from './FlowVersions.ts';

/** The session id publish records are keyed by (never a widget's: cookie ids are hex). */
export const PUBLISH_SID = 'bot-assistant:publish';

export interface PublishMessage {
  kind: 'Publish';
  hash: string;
  by: string;
  rollback?: boolean;
  /** the version's file text */
  text: string;
}

export type PublishOutcome =
  | { ok: true; hash: string; changed: boolean; warnings: Diagnostic[] }
  | { ok: false; status: number; reason: string; diagnostics?: Diagnostic[] };

/** What publishing a text would do, before it does it. */
export interface PublishCheck {
  ok: boolean;
  hash: string | null;
  diagnostics: Diagnostic[];
  /** changes from the running version, in the author's words */
  changes: FlowChange[];
  /** live sessions that will stay on an older version */
  liveOnOlder: number;
}

export interface PublisherOptions {
  versions: FlowVersions;
  stream: MessageStream;
  clock: () => Date;
  logger: Logger;
  /** make this the version new sessions start on */
  activate(compiled: CompiledFlow, hash: string): void;
  /** live sessions by the version hash they run */
  liveVersions(): ReadonlyMap<string, number>;
  /** after a publish, write the text where a restart reads it (serve's flow file) */
  persist?(text: string): Promise<void>;
  /**
   * Before a publish: rejects, saying why, when `persist` could not write (a publish a restart
   * would silently undo is refused instead).
   */
  checkPersist?(): Promise<void>;
}

export class Publisher {
  private readonly options: PublisherOptions;
  private running: { hash: string; compiled: CompiledFlow } | null = null;
  /** publishes run one at a time, in arrival order */
  private queue: Promise<unknown> = Promise.resolve();
  /** hashes this process is publishing: their records coming back from the stream are not applied twice */
  private readonly ownPublishes = new Set<string>();

  constructor(options: PublisherOptions) {
    this.options = options;
  }

  /** The running version's hash, or null before the first. */
  get currentHash(): string | null {
    return this.running?.hash ?? null;
  }

  /** Take the version the server started with (kept and recorded only if it is new). */
  async adopt(text: string, compiled: CompiledFlow, by = 'the flow file, at server start'): Promise<void> {
    const hash = flowHash(compiled.flow);
    this.options.versions.remember(compiled, hash);
    await this.options.versions.save(text, hash);
    const last = this.options.versions.history().at(-1);
    if (last?.hash !== hash) {
      // Someone edited the file since (or a publish could not write it): say so, the published version is not lost.
      if (last) this.options.logger.warn(`the flow file is not the last published version ${last.hash} (by ${last.by}, ${last.publishedAt}): running the file's version ${hash}; \`bot-assistant publish --rollback ${last.hash}\` goes back to it`);
      await this.options.versions.record({ hash, publishedAt: this.options.clock().toISOString(), by });
    }
    this.running = { hash, compiled };
  }

  /** Check, keep, record and switch to `text`. */
  publish(text: string, by: string, rollback = false): Promise<PublishOutcome> {
    const run = this.queue.then(() => this.publishNow(text, by, rollback));
    this.queue = run.catch(() => {});
    return run;
  }

  /** Publish a kept version again. */
  async rollback(hash: string, by: string): Promise<PublishOutcome> {
    const text = await this.options.versions.read(hash);
    if (text === undefined) return { ok: false, status: 404, reason: `version ${hash} is not kept on this server (never published here, or dropped after its retention)` };
    return this.publish(text, by, true);
  }

  /** What publishing `text` would do: its problems, its changes, the live sessions left on older versions. */
  check(text: string): PublishCheck {
    const checked = checkFlowText(text);
    const ok = checked.flow !== null && !checked.diagnostics.some((d) => d.severity === 'error');
    const hash = checked.flow ? flowHash(checked.flow) : null;
    const changes = ok && checked.flow && this.running ? describeFlowChanges(this.running.compiled.flow, checked.flow) : [];
    let liveOnOlder = 0;
    for (const [version, count] of this.options.liveVersions()) if (version !== hash) liveOnOlder += count;
    return { ok, hash, diagnostics: checked.diagnostics, changes, liveOnOlder };
  }

  /**
   * Drop kept versions that neither the running version nor a live session uses and that were
   * replaced before `before` (ms since epoch). Returns the hashes dropped.
   */
  async prune(before: number): Promise<string[]> {
    const keep = new Set(this.options.liveVersions().keys());
    if (this.running) keep.add(this.running.hash);
    return this.options.versions.prune(keep, before);
  }

  /**
   * A publish another process recorded on the shared stream: switch too. The switch itself happens
   * before this returns its promise (the version is kept on disk after), so the records that follow
   * the publish on the stream already see the new version.
   */
  async applyRecord(stored: StoredRecord): Promise<void> {
    const message = publishMessageOf(stored.record);
    if (!message || message.hash === this.running?.hash || this.ownPublishes.has(message.hash)) return;
    const checked = checkFlowText(message.text);
    if (!checked.flow || checked.diagnostics.some((d) => d.severity === 'error') || flowHash(checked.flow) !== message.hash) {
      this.options.logger.warn(`publish record at offset ${stored.offset} ignored: its flow text does not match hash ${message.hash} or has errors`);
      return;
    }
    await this.switchTo(message.text, compileFlow(checked.flow), message.hash, { hash: message.hash, publishedAt: stored.record.timestamp, by: message.by, rollback: message.rollback });
  }

  private async publishNow(text: string, by: string, rollback: boolean): Promise<PublishOutcome> {
    const checked = checkFlowText(text);
    const errors = checked.diagnostics.filter((d) => d.severity === 'error');
    if (!checked.flow || errors.length > 0) {
      return { ok: false, status: 422, reason: `the flow has ${errors.length} error${errors.length === 1 ? '' : 's'}; the running version stays`, diagnostics: checked.diagnostics };
    }
    const hash = flowHash(checked.flow);
    const warnings = checked.diagnostics.filter((d) => d.severity !== 'error');
    if (hash === this.running?.hash) return { ok: true, hash, changed: false, warnings };
    try {
      await this.options.checkPersist?.();
    } catch (error) {
      return { ok: false, status: 500, reason: `${describeError(error)}: a restart would run the old version again, so nothing was published; the running version stays` };
    }
    const record: StreamRecord = {
      sid: PUBLISH_SID,
      payload: { kind: 'Publish', message: { kind: 'Publish', hash, by, ...(rollback ? { rollback } : {}), text } } as unknown as StreamRecord['payload'],
      timestamp: formatTimestamp(this.options.clock()),
    };
    this.ownPublishes.add(hash);
    try {
      await this.options.stream.append([record]);
    } catch (error) {
      this.ownPublishes.delete(hash);
      return { ok: false, status: 503, reason: `cannot record the publish on the stream: ${describeError(error)}; the running version stays` };
    }
    const entry: PublishEntry = { hash, publishedAt: this.options.clock().toISOString(), by, ...(rollback ? { rollback } : {}) };
    try {
      await this.switchTo(text, compileFlow(checked.flow), hash, entry);
    } finally {
      this.ownPublishes.delete(hash);
    }
    return { ok: true, hash, changed: true, warnings };
  }

  /** Switch at once (new sessions start on it from the next turn), then keep the version and log the publish. */
  private async switchTo(text: string, compiled: CompiledFlow, hash: string, entry: PublishEntry): Promise<void> {
    const { versions } = this.options;
    versions.remember(compiled, hash);
    this.running = { hash, compiled };
    this.options.activate(compiled, hash);
    await versions.save(text, hash);
    await versions.record(entry);
    this.options.logger.info(`published flow ${hash} (by ${entry.by}${entry.rollback ? ', a rollback' : ''}): new sessions start on it`);
    if (this.options.persist) {
      await this.options.persist(text).catch((error: unknown) => this.options.logger.error(`published ${hash} but cannot write it to the flow file: ${describeError(error)}`));
    }
  }
}

/** The publish a stream record carries, if it is one. */
export function publishMessageOf(record: StreamRecord): PublishMessage | undefined {
  if (record.sid !== PUBLISH_SID) return undefined;
  const payload = record.payload as { kind?: string; message?: Partial<PublishMessage> } | undefined;
  const message = payload?.message;
  if (payload?.kind !== 'Publish' || !message || typeof message.hash !== 'string' || typeof message.text !== 'string') return undefined;
  return { kind: 'Publish', hash: message.hash, by: String(message.by ?? ''), rollback: message.rollback === true, text: message.text };
}
