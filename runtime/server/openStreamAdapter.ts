// TEMPORARY local adapter until runtime/stream/openStream.ts lands (STREAM helper). Delete then.
import { openEmbeddedLog } from '../stream/EmbeddedLog.ts';
import type { MessageStream, StreamLogger } from '../stream/MessageStream.ts';

export async function openStream(options: { kind: 'embedded' | 'fluvio'; dataDir?: string; logger: StreamLogger }): Promise<MessageStream> {
  if (options.kind !== 'embedded') throw new Error('fluvio backend not available yet');
  return openEmbeddedLog({ dir: options.dataDir, logger: options.logger });
}
