/**
 * MessageStream on a Fluvio cluster (@fluvio/client 0.14), as in the article: topic `bot-assist-messages`,
 * key = sid, value = the record's JSON text, so `fluvio consume bot-assist-messages` prints the same lines.
 *
 * At open it consumes every partition from the beginning to build the per-session index, then follows the
 * end, so subscribers see records from every producer (a proxy and a workflow process share one topic).
 * Offsets are this process's order of arrival: with one partition they equal Fluvio's offsets; with more,
 * each partition's order (and so each session's order, sessions being keyed) is kept.
 * Record texts are kept in memory: the Fluvio backend is for clusters whose topic fits in this process.
 */
import type { Record as FluvioRecord } from '@fluvio/client';
import { TOPIC, type MessageStream, type SessionSummary, type StoredRecord, type StreamLogger, type StreamRecord } from './MessageStream.ts';
import { SessionIndex } from './SessionIndex.ts';
import { validateStreamRecord } from './validateStreamRecord.ts';
import { connectError, fluvioErrorText, operationError } from './describeFluvioError.ts';
import { describeError } from '../describeError.ts';

export interface FluvioStreamOptions {
  /** `host:port` of the cluster's SC. Default: $FLUVIO_ENDPOINT, else the active fluvio profile. */
  endpoint?: string;
  /** partitions of the topic when this creates it (default 1); an existing topic keeps its own */
  partitions?: number;
  /** default `bot-assist-messages` */
  topic?: string;
  logger: StreamLogger;
  /** how long to wait for the connection and for the first catch-up (default 15 s) */
  timeoutMs?: number;
  /** the client library (default: @fluvio/client, loaded on first use); tests pass a stand-in cluster */
  client?: FluvioClientModule;
}

/** The part of @fluvio/client 0.14 this backend uses. */
export interface FluvioClientModule {
  Fluvio: new (options?: { host: string; port: number }) => {
    connect(): Promise<unknown>;
    admin(): Promise<{
      findTopic(topic: string): Promise<{ spec?: { partitions?: unknown } } | undefined>;
      createTopic(topic: string, spec: { partitions: number; replicationFactor: number; ignoreRackAssignment: boolean }): Promise<unknown>;
    }>;
    topicProducer(topic: string): Promise<FluvioProducer>;
    partitionConsumer(topic: string, partition: number): Promise<{
      fetch(offset: unknown): Promise<{ highWatermark: number; logStartOffset: number }>;
      createStream(offset: unknown): Promise<AsyncIterable<Pick<FluvioRecord, 'valueString'>>>;
    }>;
  };
  Offset: { FromBeginning(): unknown };
}

interface FluvioProducer {
  sendAll(records: [string, string][]): Promise<void>;
  flush(): Promise<void>;
}

const ECHO_TIMEOUT_MS = 30_000;

/** Loads @fluvio/client (a native module) only when the Fluvio backend is chosen. */
async function loadClient(): Promise<FluvioClientModule> {
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import('@fluvio/client')) as unknown as Record<string, unknown>;
  } catch (error) {
    throw new Error(`fluvio: cannot load @fluvio/client (${fluvioErrorText(error)}). Reinstall dependencies, or use the embedded log.`);
  }
  // In native ESM the default export is the CommonJS module object, and the class is its `.default`.
  const inner = loaded.default as Record<string, unknown> | FluvioClientModule['Fluvio'];
  const Fluvio = (typeof inner === 'function' ? inner : inner.default) as FluvioClientModule['Fluvio'];
  const Offset = (loaded.Offset ?? (inner as Record<string, unknown>).Offset) as FluvioClientModule['Offset'];
  if (typeof Fluvio !== 'function' || typeof Offset !== 'function') throw new Error('fluvio: @fluvio/client does not export the Fluvio and Offset classes this code expects (version 0.14)');
  return { Fluvio, Offset };
}

/** `host:port` → parts, or a clear Error. */
export function parseEndpoint(endpoint: string): { host: string; port: number } {
  const match = /^(.+):(\d{1,5})$/.exec(endpoint.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || port < 1 || port > 65535) throw new Error(`fluvio: the endpoint must be host:port (like 127.0.0.1:9003), got "${endpoint}"`);
  return { host: match[1], port };
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Retries an operation while the cluster is still provisioning a topic. */
async function retrying<T>(doing: string, timeoutMs: number, operation: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      if (Date.now() > deadline) throw operationError(doing, error);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Connects, creates the topic if missing, and reads the whole topic into the session index. */
export async function openFluvioStream(options: FluvioStreamOptions): Promise<FluvioStream> {
  const { Fluvio, Offset } = options.client ?? (await loadClient());
  const timeoutMs = options.timeoutMs ?? 15_000;
  const topic = options.topic ?? TOPIC;
  const endpoint = options.endpoint ?? (process.env.FLUVIO_ENDPOINT || undefined);
  const target = endpoint ? parseEndpoint(endpoint) : undefined;
  const fluvio = new Fluvio(target);
  try {
    await withTimeout(fluvio.connect(), timeoutMs, () => connectError(['timed out'], endpoint));
  } catch (error) {
    throw connectError(error, endpoint);
  }

  const admin = await fluvio.admin().catch((error: unknown) => Promise.reject(operationError('cannot open the admin API', error)));
  let partitions: number | undefined;
  try {
    const found = await admin.findTopic(topic);
    const count = found?.spec?.partitions;
    partitions = typeof count === 'number' ? count : undefined;
  } catch {
    // Missing: created below.
  }
  if (partitions === undefined) {
    const wanted = options.partitions ?? 1;
    try {
      await admin.createTopic(topic, { partitions: wanted, replicationFactor: 1, ignoreRackAssignment: false });
      options.logger.info(`fluvio: created topic ${topic} with ${wanted} partition(s)`);
    } catch (error) {
      if (!/exist/i.test(fluvioErrorText(error))) throw operationError(`cannot create topic ${topic}`, error);
    }
    partitions = wanted;
  }

  const producer = await retrying(`cannot produce to topic ${topic}`, timeoutMs, () => fluvio.topicProducer(topic));
  const stream = new FluvioStream(topic, producer, options.logger);
  for (let partition = 0; partition < partitions; partition++) {
    const consumer = await retrying(`cannot consume partition ${partition} of ${topic}`, timeoutMs, () => fluvio.partitionConsumer(topic, partition));
    const head = await retrying(`cannot fetch partition ${partition} of ${topic}`, timeoutMs, () => consumer.fetch(Offset.FromBeginning()));
    const records = await retrying(`cannot stream partition ${partition} of ${topic}`, timeoutMs, () => consumer.createStream(Offset.FromBeginning()));
    stream.follow(partition, records, head.highWatermark - head.logStartOffset);
  }
  await stream.caughtUp(timeoutMs);
  return stream;
}

export class FluvioStream implements MessageStream {
  private readonly texts: string[] = [];
  private readonly index = new SessionIndex();
  private readonly listeners = new Set<(records: StoredRecord[]) => void>();
  /** appended texts waiting to come back from the topic, first come first served */
  private readonly echoes = new Map<string, Array<(offset: number) => void>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly iterators: AsyncIterator<Pick<FluvioRecord, 'valueString'>>[] = [];
  private readonly backlog: { seen: number; existing: number }[] = [];
  private failure?: Error;
  /** no appends accepted */
  private closing = false;
  /** no records ingested (set once the appends in flight came back) */
  private stopped = false;
  private closed?: Promise<void>;

  constructor(
    readonly topic: string,
    private readonly producer: FluvioProducer,
    private readonly logger: StreamLogger,
  ) {}

  /** Starts consuming one partition; `existing` is how many records it held at open. */
  follow(partition: number, records: AsyncIterable<Pick<FluvioRecord, 'valueString'>>, existing: number): void {
    const progress = { seen: 0, existing };
    this.backlog[partition] = progress;
    const iterator = records[Symbol.asyncIterator]();
    this.iterators.push(iterator);
    void (async () => {
      try {
        for (;;) {
          const next = await iterator.next();
          if (next.done || this.stopped) return;
          progress.seen += 1;
          this.ingest(next.value.valueString());
        }
      } catch (error) {
        if (this.stopped) return;
        this.failure = operationError(`consuming partition ${partition} of ${this.topic} stopped`, error);
        this.logger.warn(this.failure.message);
      }
    })();
  }

  /** Resolves once every partition delivered the records it held at open. */
  async caughtUp(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.backlog.some((progress) => progress.seen < progress.existing)) {
      if (this.failure) throw this.failure;
      if (Date.now() > deadline) throw new Error(`fluvio: reading topic ${this.topic} from the beginning did not finish within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private ingest(text: string): void {
    let record: StreamRecord;
    try {
      record = JSON.parse(text) as StreamRecord;
      validateStreamRecord(record);
    } catch (error) {
      this.logger.warn(`fluvio: skipped a value on ${this.topic} that is not a stream record (${(error as Error).message}): ${text.slice(0, 80)}`);
      return;
    }
    const offset = this.texts.length;
    this.texts.push(text);
    this.index.add(record.sid, offset, record.timestamp);
    const waiting = this.echoes.get(text);
    if (waiting) {
      waiting.shift()!(offset);
      if (waiting.length === 0) this.echoes.delete(text);
    }
    for (const listener of this.listeners) {
      try {
        listener([{ offset, record }]);
      } catch (error) {
        this.logger.warn(`fluvio: a subscriber threw: ${describeError(error)}`);
      }
    }
  }

  append(records: StreamRecord[]): Promise<number[]> {
    if (this.closing) return Promise.reject(new Error(`fluvio: the stream on ${this.topic} is closed; cannot append after close()`));
    if (!Array.isArray(records)) return Promise.reject(new Error('fluvio: append expects an array of records'));
    const texts: string[] = [];
    for (let i = 0; i < records.length; i++) {
      try {
        validateStreamRecord(records[i]);
        texts.push(JSON.stringify(records[i]));
      } catch (error) {
        return Promise.reject(new Error(`fluvio: cannot append record ${i} of ${records.length}: ${(error as Error).message}`));
      }
    }
    if (texts.length === 0) return Promise.resolve([]);
    const resolvers: Array<(offset: number) => void> = [];
    const echoed = texts.map(
      (text) =>
        new Promise<number>((resolve) => {
          resolvers.push(resolve);
          const waiting = this.echoes.get(text);
          if (waiting) waiting.push(resolve);
          else this.echoes.set(text, [resolve]);
        }),
    );
    const forget = () =>
      texts.forEach((text, i) => {
        const waiting = this.echoes.get(text);
        const at = waiting?.indexOf(resolvers[i]) ?? -1;
        if (waiting && at >= 0) waiting.splice(at, 1);
        if (waiting?.length === 0) this.echoes.delete(text);
      });
    const operation = (async () => {
      try {
        await this.producer.sendAll(records.map((record, i) => [record.sid, texts[i]]));
        await this.producer.flush();
      } catch (error) {
        forget();
        throw operationError(`cannot produce to topic ${this.topic}`, error);
      }
      try {
        return await withTimeout(Promise.all(echoed), ECHO_TIMEOUT_MS, () => new Error(`fluvio: records sent to ${this.topic} did not come back from the cluster within ${ECHO_TIMEOUT_MS / 1000} s`));
      } catch (error) {
        forget();
        throw error;
      }
    })();
    this.inFlight.add(operation);
    void operation.catch(() => {}).finally(() => this.inFlight.delete(operation));
    return operation;
  }

  hasSession(sid: string): boolean {
    return this.index.has(sid);
  }

  sessions(): Iterable<SessionSummary> {
    return this.index.summaries();
  }

  async *readSession(sid: string, options: { chunkSize?: number } = {}): AsyncIterable<StoredRecord[]> {
    const chunkSize = options.chunkSize ?? 256;
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new Error(`fluvio: chunkSize must be a positive integer, got ${chunkSize}`);
    const cursor = this.index.cursor(sid);
    if (!cursor) return;
    while (!cursor.done) {
      yield cursor.take(chunkSize).map((offset) => this.stored(offset));
      // Let other work run between chunks of a long history.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async read(offset: number, limit: number): Promise<StoredRecord[]> {
    if (!Number.isInteger(offset) || offset < 0) throw new Error(`fluvio: read offset must be a non-negative integer, got ${offset}`);
    if (!Number.isInteger(limit) || limit < 0) throw new Error(`fluvio: read limit must be a non-negative integer, got ${limit}`);
    const out: StoredRecord[] = [];
    for (let o = offset; o < Math.min(this.texts.length, offset + limit); o++) out.push(this.stored(o));
    return out;
  }

  private stored(offset: number): StoredRecord {
    return { offset, record: JSON.parse(this.texts[offset]) as StreamRecord };
  }

  endOffset(): number {
    return this.texts.length;
  }

  subscribe(listener: (records: StoredRecord[]) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Waits for appends in flight, then stops consuming. Later appends reject. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true;
      await Promise.allSettled([...this.inFlight]);
      this.stopped = true;
      await Promise.allSettled(this.iterators.map((iterator) => iterator.return?.()));
    })();
    return this.closed;
  }
}
