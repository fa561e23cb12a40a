/**
 * `bot-assistant test <flow.json> --replay-sessions`: replays the recorded visitor sessions of a
 * stream against a draft flow and reports how many it would now route another way, grouped by the
 * step where they split. The embedded log is opened read-only, so a running server is no obstacle.
 */
import { resolve } from 'node:path';
import type { CompiledFlow } from '../flow/compileFlow.ts';
import { findRoutingChanges, type RoutingChanges } from '../history/findRoutingChanges.ts';
import { HistoryInputError } from '../history/HistoryInputError.ts';
import { SessionCatalog } from '../history/SessionCatalog.ts';
import { openEmbeddedLog } from '../stream/EmbeddedLog.ts';
import { openFluvioStream } from '../stream/FluvioStream.ts';
import type { MessageStream, StreamLogger } from '../stream/messageStream.ts';
import { describeError } from '../describeError.ts';

export interface ReplayOptions {
  flow: string;
  dataDir: string;
  stream: 'embedded' | 'fluvio';
  endpoint?: string;
  since?: string;
  json: boolean;
}

/** Returns the exit code: 1 when some session would go another way (or the stream cannot be read). */
export async function replaySessions(compiled: CompiledFlow, options: ReplayOptions): Promise<number> {
  const logger: StreamLogger = { info: () => {}, warn: (message) => console.error(message) };
  let stream: MessageStream;
  try {
    stream = options.stream === 'fluvio' ? await openFluvioStream({ endpoint: options.endpoint, logger }) : await openEmbeddedLog({ dir: options.dataDir, readOnly: true, logger });
  } catch (error) {
    const message = describeError(error);
    console.error(`bot-assistant test: cannot open the recorded sessions: ${message}${/no data directory/.test(message) ? ' (pass --data-dir DIR where `bot-assistant serve` keeps its log)' : ''}`);
    return 1;
  }
  try {
    const catalog = await SessionCatalog.open(stream);
    catalog.close();
    let changes: RoutingChanges;
    try {
      // Only real visitors' sessions: preview sessions were the authors' own clicks on older drafts.
      changes = findRoutingChanges(catalog, compiled, { kind: 'real', ...(options.since ? { from: options.since } : {}) });
    } catch (error) {
      if (!(error instanceof HistoryInputError)) throw error;
      // The history's message names its own field ("from must be …"): here the option is --since.
      console.error(`bot-assistant test: ${error.message.replace(/^from /, '--since ')}`);
      return 2;
    }
    const source = options.stream === 'fluvio' ? 'the fluvio topic' : resolve(options.dataDir);
    process.stdout.write(options.json ? `${JSON.stringify({ flow: options.flow, source, ...changes }, null, 2)}\n` : textReport(options, source, changes));
    return changes.changed > 0 ? 1 : 0;
  } finally {
    await stream.close();
  }
}

function textReport(options: ReplayOptions, source: string, changes: RoutingChanges): string {
  const since = options.since ? ` since ${options.since}` : '';
  const lines = [`Replayed ${changes.sessions} recorded session${changes.sessions === 1 ? '' : 's'}${since} from ${source} against ${options.flow}.`];
  if (changes.changed === 0) {
    lines.push('Every one goes the same way under this flow.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(`${changes.changed} would now go another way:`);
  for (const group of changes.groups) {
    const more = group.count > group.sids.length ? `, …` : '';
    lines.push(`  ${group.count} × at ${group.step === 0 ? 'the start' : `answer ${group.step}`}: ${group.reason}`, `      e.g. ${group.sids.join(', ')}${more}`);
  }
  const shown = changes.groups.reduce((sum, group) => sum + group.count, 0);
  if (shown < changes.changed) lines.push(`  (${changes.changed - shown} more in smaller groups)`);
  return `${lines.join('\n')}\n`;
}
