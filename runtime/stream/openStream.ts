/**
 * Opens the configured MessageStream backend: the embedded log (default) or a Fluvio cluster.
 */
import { join } from 'node:path';
import { DEFAULT_DATA_DIR, openEmbeddedLog } from './EmbeddedLog.ts';
import { openFluvioStream } from './FluvioStream.ts';
import { TOPIC, type MessageStream, type StreamLogger } from './messageStream.ts';

export type StreamKind = 'embedded' | 'fluvio';

export interface OpenStreamOptions {
  kind: StreamKind;
  /** embedded: the data directory; fluvio: holds the local cache `fluvio-<topic>/` (default `./.bot-assistant-data`) */
  dataDir?: string;
  /** fluvio: the topic (default `bot-assist-messages`) */
  topic?: string;
  /** fluvio: partitions of the topic if it has to be created (default 1) */
  partitions?: number;
  /** fluvio: a workflow shard; it follows only its partitions when the topic has enough */
  shard?: { index: number; count: number };
  /** fluvio: `host:port` (default $FLUVIO_ENDPOINT, else the active fluvio profile) */
  endpoint?: string;
  logger: StreamLogger;
}

/** Opens the stream `options.kind` names; rejects with one clear Error when it can't. */
export async function openStream(options: OpenStreamOptions): Promise<MessageStream> {
  switch (options.kind) {
    case 'embedded':
      return openEmbeddedLog({ dir: options.dataDir, logger: options.logger });
    case 'fluvio':
      return openFluvioStream({ endpoint: options.endpoint, topic: options.topic, partitions: options.partitions, shard: options.shard, logger: options.logger, cacheDir: fluvioCacheDir(options.dataDir, options.topic) });
    default:
      throw new Error(`unknown stream kind "${String((options as { kind: unknown }).kind)}": use "embedded" or "fluvio"`);
  }
}

/** Where a server keeps its Fluvio cache: `<data dir>/fluvio-<topic>` (one process per directory). */
export function fluvioCacheDir(dataDir = DEFAULT_DATA_DIR, topic = TOPIC): string {
  return join(dataDir, `fluvio-${topic}`);
}
