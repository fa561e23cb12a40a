/**
 * `bot-assistant serve <flow.json> [options]`: check the flow, then run it for real users until
 * SIGTERM/SIGINT. Exit codes: 0 after a clean shutdown, 1 when the flow is invalid or the server
 * cannot start, 2 for a usage error.
 */
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { TOPIC } from '../stream/MessageStream.ts';
import { FlowRejectedError, formatDiagnostic, loadFlowFile } from '../server/loadFlow.ts';
import { consoleLogger, describeError } from '../server/logger.ts';
import { start, type Role } from '../server/start.ts';
import { parseShard, type WorkflowShard } from '../server/workflowShard.ts';
import { UsageError } from './UsageError.ts';

const DEFAULT_DATA_DIR = '.bot-assistant-data';
/**
 * V8 lets the old generation grow up to 4x its live size between full collections. A busy server
 * promotes each in-flight turn's garbage (it waits for an fdatasync), so the heap would sit at
 * several times what is live: RSS 300 MiB where 60 MiB is live at 5,000 sessions. Growing by 30%
 * keeps RSS near the live size for a few percent of throughput (bench/runtime.bench.ts memory).
 */
const HEAP_GROWING_FLAG = '--heap-growing-percent=30';

const USAGE = `Usage: bot-assistant serve <flow.json> [options]

Options:
  --port N                 port to listen on (default 9998; 0 picks a free one)
  --host HOST              address to bind (default 127.0.0.1)
  --data-dir DIR           embedded log directory (default ./${DEFAULT_DATA_DIR})
  --stream embedded|fluvio where messages are recorded (default embedded); with fluvio, the data
                           directory holds this process's cache of the topic (one process each)
  --topic NAME             fluvio topic (default ${TOPIC})
  --partitions N           partitions of the fluvio topic if this process creates it (default 1)
  --allowed-origin URL...  other sites allowed to open the bot websocket (repeatable)
  --role all|proxy|workflow which services to run (proxy and workflow need --stream fluvio)
  --shard i/n              with --role workflow: answer only this process's share of the sessions,
                           so n workflow processes (1/n ... n/n) can share one stream
  --max-frame-bytes N      largest websocket frame accepted (default 65536)`;

interface ServeArgs {
  flowPath: string;
  port: number;
  host: string;
  dataDir: string;
  stream: 'embedded' | 'fluvio';
  topic?: string;
  partitions?: number;
  allowedOrigins: string[];
  role: Role;
  shard?: WorkflowShard;
  maxFrameBytes: number;
}

/** Parse the command line; throws UsageError with one clear line. */
export function parseServeArgs(args: string[]): ServeArgs | 'help' {
  const parsed: Partial<ServeArgs> & { allowedOrigins: string[] } = { allowedOrigins: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (!arg.startsWith('--')) {
      if (parsed.flowPath !== undefined) throw new UsageError(`unexpected argument "${arg}": serve takes one flow file`);
      parsed.flowPath = arg;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const value = (): string => {
      if (eq >= 0) return arg.slice(eq + 1);
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${name} needs a value`);
      i++;
      return next;
    };
    switch (name) {
      case '--port':
        parsed.port = integer(name, value(), 0, 65535);
        break;
      case '--host':
        parsed.host = value();
        break;
      case '--data-dir':
        parsed.dataDir = value();
        break;
      case '--stream': {
        const stream = value();
        if (stream !== 'embedded' && stream !== 'fluvio') throw new UsageError(`--stream must be embedded or fluvio (got "${stream}")`);
        parsed.stream = stream;
        break;
      }
      case '--topic':
        parsed.topic = value();
        if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(parsed.topic)) throw new UsageError(`--topic must be lowercase letters, digits and dashes (got "${parsed.topic}")`);
        break;
      case '--partitions':
        parsed.partitions = integer(name, value(), 1, 1000);
        break;
      case '--allowed-origin':
        parsed.allowedOrigins.push(origin(value()));
        // "--allowed-origin A B C": further URLs belong to it too (a flow path has no "://").
        while (eq < 0 && args[i + 1]?.includes('://') && !args[i + 1].startsWith('--')) parsed.allowedOrigins.push(origin(args[++i]));
        break;
      case '--role': {
        const role = value();
        if (role !== 'all' && role !== 'proxy' && role !== 'workflow') throw new UsageError(`--role must be all, proxy or workflow (got "${role}")`);
        parsed.role = role;
        break;
      }
      case '--shard':
        try {
          parsed.shard = parseShard(value());
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
        break;
      case '--max-frame-bytes':
        parsed.maxFrameBytes = integer(name, value(), 256, 64 * 1024 * 1024);
        break;
      default:
        throw new UsageError(`unknown option ${name}`);
    }
  }
  if (parsed.flowPath === undefined) throw new UsageError('missing the flow file: bot-assistant serve <flow.json>');
  if (parsed.shard && parsed.role !== 'workflow') throw new UsageError('--shard goes with --role workflow');
  if ((parsed.topic !== undefined || parsed.partitions !== undefined) && parsed.stream !== 'fluvio') throw new UsageError('--topic and --partitions go with --stream fluvio');
  return {
    flowPath: parsed.flowPath,
    port: parsed.port ?? 9998,
    host: parsed.host ?? '127.0.0.1',
    dataDir: resolve(parsed.dataDir ?? DEFAULT_DATA_DIR),
    stream: parsed.stream ?? 'embedded',
    topic: parsed.topic,
    partitions: parsed.partitions,
    allowedOrigins: parsed.allowedOrigins,
    role: parsed.role ?? 'all',
    shard: parsed.shard,
    maxFrameBytes: parsed.maxFrameBytes ?? 65536,
  };
}

/** Run `serve`; resolves with the exit code once the server has stopped. */
export async function run(args: string[]): Promise<number> {
  let parsed: ServeArgs | 'help';
  try {
    parsed = parseServeArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`bot-assistant serve: ${error.message} (see --help)`);
    return 2;
  }
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  const options = parsed;
  setFlagsFromString(HEAP_GROWING_FLAG);
  if (options.role !== 'all' && options.stream === 'embedded') {
    console.error(`bot-assistant serve: --role ${options.role} needs --stream fluvio: the embedded log belongs to one process, so use --role all with it`);
    return 2;
  }

  let checked;
  try {
    checked = await loadFlowFile(options.flowPath);
  } catch (error) {
    if (error instanceof FlowRejectedError) {
      for (const diagnostic of error.diagnostics) console.error(formatDiagnostic(options.flowPath, diagnostic));
      console.error(`bot-assistant serve: ${options.flowPath} has errors; not starting`);
    } else console.error(`bot-assistant serve: ${describeError(error)}`);
    return 1;
  }
  for (const diagnostic of checked.diagnostics) console.error(formatDiagnostic(options.flowPath, diagnostic));

  let server;
  try {
    server = await start({
      flow: checked.flow,
      port: options.port,
      host: options.host,
      dataDir: options.dataDir,
      stream: options.stream,
      topic: options.topic,
      partitions: options.partitions,
      allowedOrigins: options.allowedOrigins,
      role: options.role,
      shard: options.shard,
      maxFrameBytes: options.maxFrameBytes,
      logger: consoleLogger,
    });
  } catch (error) {
    console.error(`bot-assistant serve: ${describeError(error)}`);
    return 1;
  }
  const where = options.stream === 'embedded' ? `embedded log at ${options.dataDir}` : `fluvio topic ${options.topic ?? TOPIC}`;
  const roleNote = options.role === 'all' ? '' : `, role ${options.role}`;
  console.log(`bot-assistant: serving ${options.flowPath} at ${server.url} (stream: ${where}${roleNote})`);

  const running = server;
  return new Promise<number>((done) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      console.log(`bot-assistant: ${signal}: closing sockets and flushing the stream`);
      running.close().then(
        () => done(0),
        (error: unknown) => {
          console.error(`bot-assistant serve: shutdown failed: ${describeError(error)}`);
          done(1);
        },
      );
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

function integer(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${name} must be a whole number (got "${text}")`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`${name} must be between ${min} and ${max} (got ${value})`);
  return value;
}

function origin(text: string): string {
  try {
    const url = new URL(text);
    if (url.origin === 'null') throw new Error();
    return url.origin;
  } catch {
    throw new UsageError(`--allowed-origin needs a URL like https://example.com (got "${text}")`);
  }
}
