/**
 * MessageStream on a Fluvio cluster (@fluvio/client 0.14), as in the article: topic `bot-assist-messages`,
 * key = sid, value = the record's JSON text, so `fluvio consume bot-assist-messages` prints the same lines.
 *
 * The topic is the truth; this process keeps a **local cache** of what it consumed: an embedded log in
 * `cacheDir` (records on disk, the per-session index of offsets in memory) plus a checkpoint of how far
 * into each partition the cache goes. So:
 * - memory holds offsets, never record texts beyond live work (appends waiting for their echo);
 * - a session's history is read back from the cache by offset, in chunks, at disk speed;
 * - a restart opens the cache and consumes only what the topic got after the checkpoint.
 * Offsets are the cache's: this process's order of arrival, stable across its restarts (with several
 * partitions, each partition's order, and so each session's order, is kept).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedLog, type EmbeddedLog } from './EmbeddedLog.ts';
import { TOPIC, type MessageStream, type SessionSummary, type StoredRecord, type StreamLogger, type StreamRecord } from './messageStream.ts';
import { validateStreamRecord } from './validateStreamRecord.ts';
import { connectError, fluvioErrorText, operationError } from './describeFluvioError.ts';
import { describeError } from '../describeError.ts';
import { highWatermarks, loadFluvioClient, parseEndpoint, retrying, sleep, withTimeout, type FluvioClientModule, type FluvioConnection } from './fluvioClient.ts';
import { readCheckpoint, writeCheckpoint } from './fluvioCheckpoint.ts';
import { PartitionFollower } from './PartitionFollower.ts';
import { FluvioProduceQueue } from './FluvioProduceQueue.ts';
import { AbandonedRecords } from './AbandonedRecords.ts';

export { parseEndpoint, type FluvioClientModule } from './fluvioClient.ts';

export interface FluvioStreamOptions {
  /** `host:port` of the cluster's SC. Default: $FLUVIO_ENDPOINT, else the active fluvio profile. */
  endpoint?: string;
  /** partitions of the topic when this creates it (default 1); an existing topic keeps its own */
  partitions?: number;
  /** default `bot-assist-messages` */
  topic?: string;
  /**
   * The local cache (one process at a time). Default: a temporary directory removed at close, so
   * every open reads the whole topic: give servers a lasting one.
   */
  cacheDir?: string;
  /**
   * A workflow shard (0-based index of count). When the topic has at least `count` partitions, this
   * stream follows only partitions p with p % count === index: the sessions keyed to them (see
   * `shardedByPartition`). With fewer partitions it follows them all.
   */
  shard?: { index: number; count: number };
  logger: StreamLogger;
  /** how long to wait for the connection, and for progress while catching up at open (default 60 s) */
  timeoutMs?: number;
  /** how long an append waits for the cluster before it fails (default 15 s) */
  appendTimeoutMs?: number;
  /** the client library (default: @fluvio/client, loaded on first use); tests pass a stand-in cluster */
  client?: FluvioClientModule;
}

/** Marks a cached record with where it came from: [partition, Fluvio offset]. Stripped on every read. */
const ORIGIN = '__fluvio';
const CHECKPOINT_EVERY_MS = 1000;
/**
 * The cache keeps an index snapshot (indexSnapshot.ts), written at close and after this many cached
 * records: a restart loads it and scans at most this many records' frame headers, whatever the cache's size.
 */
const INDEX_SNAPSHOT_EVERY = 50_000;
/**
 * The cluster's high watermarks lag (the SC learns them from the SPU now and then), so catching up at
 * open also waits until the partitions have been quiet this long.
 */
const CATCH_UP_QUIET_MS = 300;
/**
 * Consumed records waiting for the cache, at most: past it the followers wait for the cache's write,
 * so reading a big topic (a first start) does not pile records up in memory faster than the disk takes them.
 */
const MAX_WAITING_ARRIVALS = 5_000;
/** a progress line while catching up on a big topic, this often */
const CATCH_UP_REPORT_MS = 10_000;

interface Arrival {
  partition: number;
  offset: number;
  text: string;
  /** undefined for a value that is not a stream record (skipped, but consumed) */
  record?: StreamRecord;
}

/** Connects, creates the topic if missing, opens the cache and consumes what the topic got since. */
export async function openFluvioStream(options: FluvioStreamOptions): Promise<FluvioStream> {
  const { Fluvio, Offset } = options.client ?? (await loadFluvioClient());
  const timeoutMs = options.timeoutMs ?? 60_000;
  const topic = options.topic ?? TOPIC;
  const endpoint = options.endpoint ?? (process.env.FLUVIO_ENDPOINT || undefined);
  const target = endpoint ? parseEndpoint(endpoint) : undefined;
  const fluvio = new Fluvio(target);
  try {
    await withTimeout(fluvio.connect(), Math.min(timeoutMs, 15_000), () => connectError(['timed out'], endpoint));
  } catch (error) {
    throw connectError(error, endpoint);
  }
  const admin = await fluvio.admin().catch((error: unknown) => Promise.reject(operationError('cannot open the admin API', error)));
  let partitions: number | undefined;
  try {
    const count = (await admin.findTopic(topic))?.spec?.partitions;
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
  const count = partitions;
  const ends = await retrying(`cannot read the high watermarks of ${topic}`, timeoutMs, () => highWatermarks(admin, topic, count));

  const temporary = options.cacheDir === undefined;
  const cacheDir = options.cacheDir ?? (await mkdtemp(join(tmpdir(), 'bot-assistant-fluvio-cache-')));
  const cache = await openEmbeddedLog({ dir: cacheDir, logger: options.logger, indexSnapshotEvery: INDEX_SNAPSHOT_EVERY }).catch(async (error: unknown) => {
    if (temporary) await rm(cacheDir, { recursive: true, force: true });
    throw new Error(`fluvio: cannot open the local cache: ${(error as Error).message}`);
  });
  const shard = options.shard && options.shard.count > 1 && count >= options.shard.count ? options.shard : undefined;
  const followed = ends.map((_, partition) => partition).filter((partition) => !shard || partition % shard.count === shard.index);
  if (shard) options.logger.info(`fluvio: shard ${shard.index + 1}/${shard.count} follows partition(s) ${followed.join(', ')} of ${topic}`);
  const stream = new FluvioStream(topic, cacheDir, temporary, fluvio, cache, options.logger, options.appendTimeoutMs ?? 15_000, shard !== undefined);
  try {
    await stream.start(Offset, ends, followed, timeoutMs);
  } catch (error) {
    await stream.close();
    throw error;
  }
  return stream;
}

export class FluvioStream implements MessageStream {
  private readonly listeners = new Set<(records: StoredRecord[]) => void>();
  /** appended texts waiting to come back from the topic, first come first served */
  private readonly echoes = new Map<string, Array<(offset: number) => void>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** texts of failed appends that may still land: dropped when they arrive, so a failed turn never shows up later */
  private readonly abandoned = new AbandonedRecords();
  private readonly followers: PartitionFollower[] = [];
  /** consumed, not yet in the cache */
  private arrivals: Arrival[] = [];
  private writing?: Promise<void>;
  /** per partition: next Fluvio offset the cache (as written) covers */
  private positions: number[] = [];
  private lastCheckpoint = 0;
  private lastArrival = Date.now();
  private readonly producer: FluvioProduceQueue;
  private failure?: Error;
  private closing = false;
  private closed?: Promise<void>;

  constructor(
    readonly topic: string,
    /** the local cache's directory */
    readonly cacheDir: string,
    private readonly temporaryCache: boolean,
    private readonly fluvio: FluvioConnection,
    private readonly cache: EmbeddedLog,
    private readonly logger: StreamLogger,
    private readonly appendTimeoutMs: number,
    /** true when this stream follows only its shard's partitions: every session it sees is its own */
    readonly shardedByPartition: boolean,
  ) {
    this.producer = new FluvioProduceQueue(fluvio, topic, appendTimeoutMs);
  }

  /** Recovers the positions from the checkpoint and the cache's tail, then follows the `followed` partitions until they reach `ends`. */
  async start(Offset: FluvioClientModule['Offset'], ends: number[], followed: number[], timeoutMs: number): Promise<void> {
    const checkpoint = await readCheckpoint(this.cacheDir, this.topic);
    const cacheEnd = this.cache.endOffset();
    let from = 0;
    this.positions = ends.map(() => 0);
    if (checkpoint && checkpoint.cacheEnd <= cacheEnd && checkpoint.positions.length <= ends.length) {
      from = checkpoint.cacheEnd;
      checkpoint.positions.forEach((position, partition) => (this.positions[partition] = position));
    }
    // Records cached after the checkpoint carry their origin.
    for (let offset = from; offset < cacheEnd; offset += 1000) {
      for (const stored of await this.cache.read(offset, 1000)) {
        const origin = stored.record[ORIGIN];
        if (Array.isArray(origin) && typeof origin[0] === 'number' && typeof origin[1] === 'number' && origin[0] < ends.length) {
          this.positions[origin[0]] = Math.max(this.positions[origin[0]], origin[1] + 1);
        }
      }
    }
    // The listed high watermarks lag behind the SPU: the cache may already hold more.
    ends = ends.map((end, partition) => Math.max(end, this.positions[partition]));
    const behind = followed.reduce((sum, partition) => sum + ends[partition] - this.positions[partition], 0);
    if (behind > 0) this.logger.info(`fluvio: catching up on ${behind} record(s) of ${this.topic} not in the cache at ${this.cacheDir}`);
    const startedAt = followed.map((partition) => this.positions[partition]);
    for (const partition of followed) {
      const follower = new PartitionFollower(this.fluvio, Offset, this.topic, partition, this.positions[partition], (p, o, text) => this.arrive(p, o, text), this.logger);
      this.followers.push(follower);
      follower.start();
    }
    // A big topic takes as long as it takes: what fails the open is no progress for `timeoutMs`.
    const behindEnds = () => followed.some((partition) => this.positions[partition] < ends[partition]);
    const done = () => followed.reduce((sum, partition, i) => sum + this.positions[partition] - startedAt[i], 0);
    let reported = Date.now();
    while (behindEnds() || Date.now() - this.lastArrival < CATCH_UP_QUIET_MS || this.writing) {
      if (this.failure) throw this.failure;
      if (Date.now() - this.lastArrival > timeoutMs) {
        const failing = this.followers.find((follower) => follower.failure);
        throw new Error(`fluvio: catching up on topic ${this.topic} stopped: no record for ${timeoutMs} ms${failing ? ` (${failing.failure})` : ''}`);
      }
      if (Date.now() - reported >= CATCH_UP_REPORT_MS) {
        reported = Date.now();
        this.logger.info(`fluvio: caught up on ${done()} of ${behind} record(s) of ${this.topic}`);
      }
      await sleep(20);
    }
  }

  /** Takes a consumed record; returns a promise to wait for when too many are waiting for the cache (backpressure). */
  private arrive(partition: number, offset: number, text: string): Promise<void> | undefined {
    this.lastArrival = Date.now();
    let record: StreamRecord | undefined;
    try {
      record = JSON.parse(text) as StreamRecord;
      validateStreamRecord(record);
    } catch (error) {
      this.logger.warn(`fluvio: skipped a value at offset ${offset} of partition ${partition} of ${this.topic} that is not a stream record (${(error as Error).message}): ${text.slice(0, 80)}`);
      record = undefined;
    }
    if (record && this.abandoned.take(text)) {
      this.logger.warn(`fluvio: dropped a record of session ${record.sid} that reached ${this.topic} (partition ${partition}, offset ${offset}) after its append had been reported as failed`);
      record = undefined;
    }
    this.arrivals.push({ partition, offset, text, record });
    this.writing ??= this.writeArrivals();
    return this.arrivals.length >= MAX_WAITING_ARRIVALS ? this.writing : undefined;
  }

  /** Writes what arrived to the cache in batches (one fsync each), then tells appenders and subscribers. */
  private async writeArrivals(): Promise<void> {
    while (this.arrivals.length > 0 && !this.failure) {
      const batch = this.arrivals;
      this.arrivals = [];
      const kept = batch.filter((arrival) => arrival.record !== undefined);
      let offsets: number[];
      try {
        offsets = await this.cache.append(kept.map((arrival) => ({ ...arrival.record!, [ORIGIN]: [arrival.partition, arrival.offset] })));
      } catch (error) {
        this.failure = new Error(`fluvio: cannot write the local cache at ${this.cacheDir}: ${(error as Error).message}`);
        this.logger.warn(this.failure.message);
        break;
      }
      for (const arrival of batch) this.positions[arrival.partition] = arrival.offset + 1;
      const stored = kept.map((arrival, i): StoredRecord => ({ offset: offsets[i], record: arrival.record! }));
      kept.forEach((arrival, i) => this.echoed(arrival.text, offsets[i]));
      this.notify(stored);
      if (Date.now() - this.lastCheckpoint >= CHECKPOINT_EVERY_MS) await this.checkpoint();
    }
    this.writing = undefined;
  }

  private echoed(text: string, offset: number): void {
    const waiting = this.echoes.get(text);
    if (!waiting) return;
    waiting.shift()!(offset);
    if (waiting.length === 0) this.echoes.delete(text);
  }

  private notify(stored: StoredRecord[]): void {
    if (stored.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(stored);
      } catch (error) {
        this.logger.warn(`fluvio: a subscriber threw: ${describeError(error)}`);
      }
    }
  }

  private async checkpoint(): Promise<void> {
    this.lastCheckpoint = Date.now();
    try {
      await writeCheckpoint(this.cacheDir, { topic: this.topic, positions: this.positions.slice(), cacheEnd: this.cache.endOffset() });
    } catch (error) {
      this.logger.warn(`fluvio: cannot write the checkpoint in ${this.cacheDir} (the next start reads more of the cache): ${(error as Error).message}`);
    }
  }

  append(records: StreamRecord[]): Promise<number[]> {
    if (this.closing) return Promise.reject(new Error(`fluvio: the stream on ${this.topic} is closed; cannot append after close()`));
    if (!Array.isArray(records)) return Promise.reject(new Error('fluvio: append expects an array of records'));
    if (this.failure) return Promise.reject(this.failure);
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
    const echoedAt: (number | undefined)[] = texts.map(() => undefined);
    const echoed = texts.map(
      (text, i) =>
        new Promise<number>((resolve) => {
          const resolver = (offset: number) => resolve((echoedAt[i] = offset));
          resolvers.push(resolver);
          const waiting = this.echoes.get(text);
          if (waiting) waiting.push(resolver);
          else this.echoes.set(text, [resolver]);
        }),
    );
    // Gives up on the records not back yet: if they land later, this process drops them (see `abandon`).
    const abandon = () =>
      texts.forEach((text, i) => {
        const waiting = this.echoes.get(text);
        const at = waiting?.indexOf(resolvers[i]) ?? -1;
        if (!waiting || at < 0) return;
        waiting.splice(at, 1);
        if (waiting.length === 0) this.echoes.delete(text);
        this.abandoned.add(text);
      });
    const landed = () => echoedAt.every((offset) => offset !== undefined);
    const operation = (async () => {
      try {
        await this.producer.send(records.map((record, i) => [record.sid, texts[i]]));
      } catch (error) {
        // The cluster may have taken them even so: if every record is already back, the append worked.
        if (landed()) return echoedAt as number[];
        abandon();
        throw operationError(`cannot produce to topic ${this.topic}`, error);
      }
      const echoTimeout = Math.max(30_000, this.appendTimeoutMs);
      try {
        return await withTimeout(Promise.all(echoed), echoTimeout, () => new Error(`fluvio: records sent to ${this.topic} did not come back from the cluster within ${echoTimeout / 1000} s`));
      } catch (error) {
        if (landed()) return echoedAt as number[];
        abandon();
        throw error;
      }
    })();
    this.inFlight.add(operation);
    void operation.catch(() => {}).finally(() => this.inFlight.delete(operation));
    return operation;
  }

  hasSession(sid: string): boolean {
    return this.cache.hasSession(sid);
  }

  sessions(): Iterable<SessionSummary> {
    return this.cache.sessions();
  }

  async *readSession(sid: string, options: { chunkSize?: number } = {}): AsyncIterable<StoredRecord[]> {
    for await (const chunk of this.cache.readSession(sid, options)) yield chunk.map(withoutOrigin);
  }

  async read(offset: number, limit: number): Promise<StoredRecord[]> {
    return (await this.cache.read(offset, limit)).map(withoutOrigin);
  }

  endOffset(): number {
    return this.cache.endOffset();
  }

  subscribe(listener: (records: StoredRecord[]) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Waits for appends in flight, stops consuming, writes the checkpoint and closes the cache. Later appends reject. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true;
      await Promise.allSettled([...this.inFlight]);
      await Promise.all(this.followers.map((follower) => follower.stop()));
      while (this.writing) await this.writing;
      if (!this.failure) await this.checkpoint();
      await this.cache.close();
      if (this.temporaryCache) await rm(this.cacheDir, { recursive: true, force: true });
    })();
    return this.closed;
  }
}

function withoutOrigin(stored: StoredRecord): StoredRecord {
  if (!(ORIGIN in stored.record)) return stored;
  const { [ORIGIN]: _origin, ...record } = stored.record;
  return { offset: stored.offset, record: record as StreamRecord };
}
