/**
 * `bot-assistant consume`: prints stream records one JSON text per line, like
 * `fluvio consume bot-assist-messages`. The embedded log is opened read-only (no lock), so it works
 * while a server writes; `--follow` polls the segment files for growth.
 */
import { resolve } from 'node:path';
import { DEFAULT_DATA_DIR, openEmbeddedLog } from '../stream/EmbeddedLog.ts';
import { openFluvioStream } from '../stream/FluvioStream.ts';
import type { MessageStream, StoredRecord, StreamLogger } from '../stream/messageStream.ts';
import { streamKindOption } from './streamKindOption.ts';
import { UsageError } from './UsageError.ts';
import { describeError } from '../describeError.ts';

const USAGE = `Usage: bot-assistant consume [--data-dir DIR | --stream fluvio [--endpoint HOST:PORT] [--topic NAME]] [--sid SID] [--offset N|-N] [--follow]

Prints the records of the message stream, one JSON text per line.
  --data-dir DIR     the embedded log's directory (default ${DEFAULT_DATA_DIR})
  --stream KIND      embedded (default) or fluvio (uses $FLUVIO_ENDPOINT or the active fluvio profile)
  --endpoint H:P     fluvio cluster address
  --topic NAME       fluvio topic (default bot-assist-messages)
  --sid SID          only this session's records (from the per-session index)
  --offset -N        only the last N records; --offset N: from offset N on
  --follow, -f       keep printing new records until interrupted`;

interface ConsumeOptions {
  dataDir: string;
  stream: 'embedded' | 'fluvio';
  endpoint?: string;
  topic?: string;
  sid?: string;
  offset?: number;
  follow: boolean;
}

function parseArgs(args: string[]): ConsumeOptions | 'help' {
  const options: ConsumeOptions = { dataDir: DEFAULT_DATA_DIR, stream: 'embedded', follow: false };
  let dataDirGiven = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const next = args[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    switch (arg) {
      case '--help':
      case '-h':
        return 'help';
      case '--data-dir':
        options.dataDir = value();
        dataDirGiven = true;
        break;
      case '--stream':
        options.stream = streamKindOption(value());
        break;
      case '--endpoint':
        options.endpoint = value();
        break;
      case '--topic':
        options.topic = value();
        break;
      case '--sid':
        options.sid = value();
        break;
      case '--offset': {
        const text = value();
        if (!/^-?\d+$/.test(text)) throw new UsageError(`--offset must be an integer (-N for the last N records), got "${text}"`);
        options.offset = Number(text);
        break;
      }
      case '--follow':
      case '-f':
        options.follow = true;
        break;
      default:
        throw new UsageError(`unknown option "${arg}"`);
    }
  }
  if (options.stream === 'fluvio' && dataDirGiven) throw new UsageError('--data-dir and --stream fluvio exclude each other');
  if (options.stream === 'embedded' && (options.endpoint || options.topic)) throw new UsageError('--endpoint and --topic need --stream fluvio');
  return options;
}

/** Writes lines to stdout, waiting when the pipe is full. */
async function writeLines(lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  if (!process.stdout.write(`${lines.join('\n')}\n`)) await new Promise((resolve) => process.stdout.once('drain', resolve));
}

const toLine = (stored: StoredRecord) => JSON.stringify(stored.record);

async function printExisting(stream: MessageStream, options: ConsumeOptions, end: number): Promise<void> {
  if (options.sid !== undefined) {
    const all: StoredRecord[] = [];
    for await (const chunk of stream.readSession(options.sid)) all.push(...chunk.filter((stored) => stored.offset < end));
    const shown = options.offset === undefined ? all : options.offset < 0 ? all.slice(Math.max(0, all.length + options.offset)) : all.filter((stored) => stored.offset >= options.offset!);
    for (let i = 0; i < shown.length; i += 1000) await writeLines(shown.slice(i, i + 1000).map(toLine));
    return;
  }
  const start = options.offset === undefined ? 0 : options.offset < 0 ? Math.max(0, end + options.offset) : options.offset;
  for (let offset = start; offset < end; offset += 1000) await writeLines((await stream.read(offset, Math.min(1000, end - offset))).map(toLine));
}

/** Runs the command; returns the exit code. */
export async function run(args: string[]): Promise<number> {
  let options: ConsumeOptions | 'help';
  try {
    options = parseArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`bot-assistant consume: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  // A reader closing the pipe (`| head`) is a normal end, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const logger: StreamLogger = { info: (message) => console.error(message), warn: (message) => console.error(message) };
  let stream: MessageStream;
  try {
    stream =
      options.stream === 'fluvio'
        ? await openFluvioStream({ endpoint: options.endpoint, topic: options.topic, logger })
        : await openEmbeddedLog({ dir: options.dataDir, readOnly: true, follow: options.follow, logger });
  } catch (error) {
    const message = describeError(error);
    const hint = /no data directory/.test(message) ? ' (start `bot-assistant serve` first, or pass --data-dir DIR)' : '';
    console.error(`bot-assistant consume: ${message}${hint}`);
    return 1;
  }

  const end = stream.endOffset();
  // Records that arrive while the existing ones print wait here, then print in order.
  let pending: StoredRecord[] | undefined = [];
  let writing = Promise.resolve();
  if (options.follow) {
    const sid = options.sid;
    stream.subscribe((records) => {
      const fresh = records.filter((stored) => stored.offset >= end && (sid === undefined || stored.record.sid === sid));
      if (pending) pending.push(...fresh);
      else writing = writing.then(() => writeLines(fresh.map(toLine)));
    });
  }
  try {
    if (options.sid !== undefined && !stream.hasSession(options.sid) && !options.follow) {
      console.error(`bot-assistant consume: no records for session "${options.sid}" in ${options.stream === 'fluvio' ? 'the fluvio topic' : resolve(options.dataDir)}`);
      return 1;
    }
    await printExisting(stream, options, end);
    if (!options.follow) return 0;
    const queued = pending;
    pending = undefined;
    await writeLines(queued.map(toLine));
    // Runs until the process is interrupted; the stream's poll timer keeps it alive. Fluvio's
    // temporary cache is removed on the way out.
    const stop = () => void stream.close().finally(() => process.exit(0));
    process.once('SIGINT', stop).once('SIGTERM', stop);
    await new Promise<never>(() => {});
    return 0;
  } finally {
    if (!options.follow) await stream.close();
  }
}
