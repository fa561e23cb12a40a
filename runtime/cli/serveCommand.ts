/**
 * `bot-assistant serve <flow.json> [options]`: check the flow, then run it for real users until
 * SIGTERM/SIGINT. Exit codes: 0 after a clean shutdown, 1 when the flow is invalid or the server
 * cannot start, 2 for a usage error.
 */
import { describeFsError } from '../stream/logFileSystem.ts';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TOPIC } from '../stream/messageStream.ts';
import { checkFlowSource, FlowRejectedError, formatDiagnostic } from '../server/loadFlow.ts';
import type { Publisher } from '../server/publish/Publisher.ts';
import { readTokenFile } from '../server/publish/readTokenFile.ts';
import { watchFlowFile } from '../server/publish/watchFlowFile.ts';
import { DEFAULT_LIMITS, type ConnectionLimits } from '../server/connectionLimits.ts';
import { describeError } from '../describeError.ts';
import { consoleLogger } from '../server/logger.ts';
import { start, type Role, type StartOptions } from '../server/start.ts';
import type { Flow } from '../flow/types.ts';
import { parseShard, type WorkflowShard } from '../server/workflowShard.ts';
import { UsageError } from './UsageError.ts';

const DEFAULT_DATA_DIR = '.bot-assistant-data';

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
  --role all|proxy|workflow|operator
                           which services to run (proxy, workflow and operator need --stream fluvio)
  --operators FILE         run the operator service and its console at /operator/ with these
                           accounts (see README "Operators"); needed by --role operator
  --operator-host HOST...  host names the operator console answers to (default: 127.0.0.1,
                           localhost and [::1] on --port; repeatable)
  --shard i/n              with --role workflow: answer only this process's share of the sessions,
                           so n workflow processes (1/n ... n/n) can share one stream
  --max-frame-bytes N      largest websocket frame accepted (default 65536)
  --watch                  publish the flow file again whenever it changes (also on SIGHUP)
  --publish-token-file F   accept signed publishes (bot-assistant publish, the studio) with the token in F
  --keep-versions-days N   keep a replaced flow version this long for history (default 30)

Limits per client (0 turns an address limit off):
  --max-frames-per-second N   frames one socket may send per second (default ${DEFAULT_LIMITS.framesPerSecond});
                              past the burst it gets "rate-limited" errors, then is closed (4029)
  --frame-burst N             frames one socket may send at once above that rate (default ${DEFAULT_LIMITS.frameBurst})
  --max-sockets-per-address N open sockets per client address (default ${DEFAULT_LIMITS.socketsPerAddress})
  --max-new-sessions-per-minute N  new sessions per client address per minute (default ${DEFAULT_LIMITS.newSessionsPerMinute})
  --max-buffered-bytes N      bytes one socket may leave unread (default ${DEFAULT_LIMITS.maxBufferedBytes}); replay
                              pauses above it
  --slow-socket-ms N          a socket above --max-buffered-bytes this long is closed (4008)
                              (default ${DEFAULT_LIMITS.slowSocketMs})
  --trust-proxy               behind one reverse proxy: a client's address is the last X-Forwarded-For entry
  --cookie-compat             session cookie without HttpOnly, for the article's original widget, which
                              resets by clearing the cookie from script (see README: trade-off)

Conversations stay on the flow version they started with; new ones start on the latest published.
A new version with errors is refused and the running one stays.`;

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
  watch: boolean;
  publishTokenFile?: string;
  keepVersionsDays: number;
  limits: Partial<ConnectionLimits>;
  cookieCompat: boolean;
  operators?: string;
  operatorHosts: string[];
}

/** The options that take no value. */
const FLAGS: ReadonlySet<string> = new Set(['--watch', '--trust-proxy', '--cookie-compat']);

/** Parse the command line; throws UsageError with one clear line. */
export function parseServeArgs(args: string[]): ServeArgs | 'help' {
  const parsed: Partial<ServeArgs> & { allowedOrigins: string[]; limits: Partial<ConnectionLimits>; operatorHosts: string[] } = { allowedOrigins: [], limits: {}, operatorHosts: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (/^-[^-]/.test(arg)) throw new UsageError(`unknown option ${arg} (options are spelt out: --port, --host, …)`);
    if (!arg.startsWith('--')) {
      if (parsed.flowPath !== undefined) {
        const previous = args[i - 1];
        if (previous !== undefined && FLAGS.has(previous)) throw new UsageError(`${previous} takes no value (got "${arg}")`);
        throw new UsageError(`unexpected argument "${arg}": serve takes one flow file (already given: ${parsed.flowPath})`);
      }
      parsed.flowPath = arg;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const value = (): string => {
      const next = eq >= 0 ? arg.slice(eq + 1) : args[i + 1];
      if (next === undefined || (eq < 0 && next.startsWith('--'))) throw new UsageError(`${name} needs a value`);
      // "--data-dir $DIR" with DIR unset: better refused than the current directory filled with data.
      if (next.trim() === '') throw new UsageError(`${name} is empty: give it a value`);
      if (eq < 0) i++;
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
        if (role !== 'all' && role !== 'proxy' && role !== 'workflow' && role !== 'operator') throw new UsageError(`--role must be all, proxy, workflow or operator (got "${role}")`);
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
      case '--operators':
        parsed.operators = resolve(value());
        break;
      case '--operator-host':
        parsed.operatorHosts.push(value().toLowerCase());
        break;
      case '--max-frame-bytes':
        parsed.maxFrameBytes = integer(name, value(), 256, 64 * 1024 * 1024);
        break;
      case '--watch':
        parsed.watch = true;
        break;
      case '--publish-token-file':
        parsed.publishTokenFile = value();
        break;
      case '--keep-versions-days':
        parsed.keepVersionsDays = integer(name, value(), 0, 36500);
        break;
      case '--max-frames-per-second':
        parsed.limits.framesPerSecond = integer(name, value(), 1, 1_000_000);
        break;
      case '--frame-burst':
        parsed.limits.frameBurst = integer(name, value(), 1, 1_000_000);
        break;
      case '--max-sockets-per-address':
        parsed.limits.socketsPerAddress = integer(name, value(), 0, 10_000_000);
        break;
      case '--max-new-sessions-per-minute':
        parsed.limits.newSessionsPerMinute = integer(name, value(), 0, 10_000_000);
        break;
      case '--max-buffered-bytes':
        parsed.limits.maxBufferedBytes = integer(name, value(), 1024, 1024 * 1024 * 1024);
        break;
      case '--slow-socket-ms':
        parsed.limits.slowSocketMs = integer(name, value(), 100, 3_600_000);
        break;
      case '--trust-proxy':
        if (eq >= 0) throw new UsageError('--trust-proxy takes no value');
        parsed.limits.trustProxy = true;
        break;
      case '--cookie-compat':
        if (eq >= 0) throw new UsageError('--cookie-compat takes no value');
        parsed.cookieCompat = true;
        break;
      default:
        throw new UsageError(`unknown option ${name}`);
    }
  }
  if (parsed.flowPath === undefined) throw new UsageError('missing the flow file: bot-assistant serve <flow.json>');
  if (parsed.shard && parsed.role !== 'workflow') throw new UsageError('--shard goes with --role workflow');
  if (parsed.role === 'operator' && parsed.operators === undefined) throw new UsageError('--role operator needs --operators accounts.json');
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
    watch: parsed.watch ?? false,
    publishTokenFile: parsed.publishTokenFile,
    keepVersionsDays: parsed.keepVersionsDays ?? 30,
    limits: parsed.limits,
    cookieCompat: parsed.cookieCompat ?? false,
    operators: parsed.operators,
    operatorHosts: parsed.operatorHosts,
  };
}

/** Run `serve`; resolves with the exit code once the server has stopped. */
/** What `serve` starts the runtime with; the bench runs the same options over a stream of its own. */
export function serveStartOptions(options: ServeArgs, flow: Flow, flowText: string, publishToken: string | undefined): StartOptions {
  return {
    flow,
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
    limits: options.limits,
    cookieCompat: options.cookieCompat,
    operators: options.operators === undefined ? undefined : { accounts: options.operators, hosts: options.operatorHosts.length > 0 ? options.operatorHosts : undefined },
    logger: consoleLogger,
    publishing: {
      dir: join(options.dataDir, 'versions'),
      token: publishToken,
      flowFile: options.flowPath,
      flowText,
      retentionMs: options.keepVersionsDays * 24 * 60 * 60_000,
      trustProxy: options.limits.trustProxy,
    },
  };
}

/** Run the command; `command` names it in messages (`operator` runs this too). Returns the exit code. */
export async function run(args: string[], command = 'serve'): Promise<number> {
  const name = `bot-assistant ${command}`;
  let parsed: ServeArgs | 'help';
  try {
    parsed = parseServeArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${name}: ${error.message} (see --help)`);
    return 2;
  }
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  const options = parsed;
  if (options.role !== 'all' && options.stream === 'embedded') {
    console.error(`${name}: --role ${options.role} needs --stream fluvio: the embedded log belongs to one process, so use --role all with it`);
    return 2;
  }

  let checked;
  let flowText: string;
  let publishToken: string | undefined;
  try {
    flowText = await readFlowText(options.flowPath);
    checked = checkFlowSource(options.flowPath, flowText);
    if (options.publishTokenFile) publishToken = await readTokenFile(options.publishTokenFile);
  } catch (error) {
    if (error instanceof FlowRejectedError) {
      for (const diagnostic of error.diagnostics) console.error(formatDiagnostic(options.flowPath, diagnostic));
      console.error(`${name}: ${options.flowPath} has errors; not starting`);
    } else console.error(`${name}: ${describeError(error)}`);
    return 1;
  }
  for (const diagnostic of checked.diagnostics) console.error(formatDiagnostic(options.flowPath, diagnostic));

  let server;
  try {
    server = await start(serveStartOptions(options, checked.flow, flowText, publishToken));
  } catch (error) {
    console.error(`${name}: ${describeError(error)}`);
    return 1;
  }
  const where = options.stream === 'embedded' ? `embedded log at ${options.dataDir}` : `fluvio topic ${options.topic ?? TOPIC}`;
  const roleNote = options.role === 'all' ? '' : `, role ${options.role}`;
  console.log(`bot-assistant: serving ${options.flowPath} at ${server.url} (stream: ${where}${roleNote})`);
  if (options.operators !== undefined) console.log(`bot-assistant: operator console at ${server.url}operator/`);

  const running = server;
  const reload = () => void reloadFlowFile(name, options.flowPath, running.publisher!);
  const stopWatching = options.watch ? watchFlowFile(options.flowPath, reload) : () => {};
  process.on('SIGHUP', reload);
  return new Promise<number>((done) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      process.off('SIGHUP', reload);
      stopWatching();
      console.log(`bot-assistant: ${signal}: closing sockets and flushing the stream`);
      running.close().then(
        () => done(0),
        (error: unknown) => {
          console.error(`${name}: shutdown failed: ${describeError(error)}`);
          done(1);
        },
      );
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

/** SIGHUP or a change under --watch: publish the file's text; with errors the running version stays. */
async function reloadFlowFile(name: string, flowPath: string, publisher: Publisher): Promise<void> {
  let text: string;
  try {
    text = await readFlowText(flowPath);
  } catch (error) {
    console.error(`${name}: reload: ${describeError(error)}; the running version stays`);
    return;
  }
  const outcome = await publisher.publish(text, 'the flow file, reloaded');
  if (outcome.ok) {
    console.log(outcome.changed ? `bot-assistant: reloaded ${flowPath}: version ${outcome.hash} for new conversations` : `bot-assistant: reloaded ${flowPath}: unchanged, version ${outcome.hash} keeps running`);
    return;
  }
  for (const diagnostic of outcome.diagnostics ?? []) if (diagnostic.severity === 'error') console.error(formatDiagnostic(flowPath, diagnostic));
  console.error(`${name}: reload of ${flowPath} refused: ${outcome.reason}`);
}

async function readFlowText(flowPath: string): Promise<string> {
  try {
    return await readFile(flowPath, 'utf8');
  } catch (error) {
    throw new Error(`cannot read flow file ${flowPath}: ${describeFsError(error)}`);
  }
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
