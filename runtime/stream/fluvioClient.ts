/**
 * The part of @fluvio/client 0.14.9 the Fluvio backend uses, typed as the native binary really has it
 * (checked against a Fluvio 0.18 cluster): no `PartitionConsumer.fetch`, no `createCustomSpu`. A
 * partition is read by streaming it from an absolute offset; its end (high watermark) comes from the
 * admin API's partition list. Also: loading the module, parsing `host:port`, timeouts and retries.
 */
import type { Record as FluvioRecord } from '@fluvio/client';
import { fluvioErrorText, operationError } from './describeFluvioError.ts';

/** One consumed record: the client gives its key and value, never its offset. */
export type ConsumedRecord = Pick<FluvioRecord, 'valueString'>;

export interface FluvioProducer {
  sendAll(records: [string, string][]): Promise<void>;
  flush(): Promise<void>;
}

export interface FluvioPartitionConsumer {
  /** Streams the partition from `offset` on, then waits for more (it never ends on its own). */
  createStream(offset: unknown): Promise<AsyncIterable<ConsumedRecord>>;
}

export interface FluvioAdmin {
  findTopic(topic: string): Promise<{ spec?: { partitions?: unknown } } | undefined>;
  createTopic(topic: string, spec: { partitions: number; replicationFactor: number; ignoreRackAssignment: boolean }): Promise<unknown>;
  deleteTopic(topic: string): Promise<unknown>;
  /** JSON text: every partition of every topic, with its leader's high watermark */
  listPartitions(): Promise<string>;
}

export interface FluvioConnection {
  connect(): Promise<unknown>;
  admin(): Promise<FluvioAdmin>;
  topicProducer(topic: string): Promise<FluvioProducer>;
  partitionConsumer(topic: string, partition: number): Promise<FluvioPartitionConsumer>;
}

export interface FluvioClientModule {
  Fluvio: new (options?: { host: string; port: number }) => FluvioConnection;
  /** `new Offset({ index: N, from: 'beginning' })` is the absolute offset N */
  Offset: new (options: { index: number; from?: string }) => unknown;
}

/** Loads @fluvio/client (a native module) only when the Fluvio backend is chosen. */
export async function loadFluvioClient(): Promise<FluvioClientModule> {
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

export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retries an operation while the cluster is still provisioning a topic. */
export async function retrying<T>(doing: string, timeoutMs: number, operation: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      if (Date.now() > deadline) throw operationError(doing, error);
      await sleep(200);
    }
  }
}

/**
 * Each partition's high watermark (the offset the next record will get), from the admin API's
 * partition list: entries named `<topic>-<partition>` with `status.leader.hw`.
 */
export async function highWatermarks(admin: FluvioAdmin, topic: string, partitions: number): Promise<number[]> {
  const text = await admin.listPartitions();
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    throw new Error(`fluvio: the cluster's partition list is not JSON: ${String(text).slice(0, 80)}`);
  }
  const ends: number[] = new Array(partitions).fill(-1);
  for (const entry of Array.isArray(list) ? (list as PartitionEntry[]) : []) {
    const match = /^(.*)-(\d+)$/.exec(String(entry?.name ?? ''));
    if (!match || match[1] !== topic) continue;
    const partition = Number(match[2]);
    const hw = Number(entry.status?.leader?.hw);
    if (partition < partitions && Number.isSafeInteger(hw) && hw >= 0) ends[partition] = hw;
  }
  const missing = ends.findIndex((hw) => hw < 0);
  if (missing >= 0) throw new Error(`fluvio: the cluster lists no high watermark for partition ${missing} of ${topic} (is its SPU up?)`);
  return ends;
}

interface PartitionEntry {
  name?: unknown;
  status?: { leader?: { hw?: unknown } };
}
