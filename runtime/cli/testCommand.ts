/**
 * `bot-assistant test <flow.json> [tests.json…] [--reporter text|tap|junit|json]`: runs conversation
 * tests on the pure engine. With `--replay-sessions`, replays recorded visitor sessions against the
 * flow instead and reports those it would now route another way.
 * Exit code 1 when a test fails (or a file cannot run, or a session would go another way), 0
 * otherwise, 2 on a usage error.
 */
import { describeFsError } from '../stream/logFileSystem.ts';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { checkFlowText } from '../flow/checkFlowText.ts';
import { compileFlow, type CompiledFlow } from '../flow/compileFlow.ts';
import { testsFileFor } from '../flow/editConversationTests.ts';
import { parseConversationTests } from '../flow/parseConversationTests.ts';
import { runConversationTests } from '../flow/runConversationTest.ts';
import { DEFAULT_DATA_DIR } from '../stream/EmbeddedLog.ts';
import { replaySessions } from './replaySessionsCommand.ts';
import { countRun, report, REPORTERS, type FileRun, type ReporterName } from './testReporters.ts';
import { streamKindOption } from './streamKindOption.ts';
import { UsageError } from './UsageError.ts';

const USAGE = `Usage: bot-assistant test <flow.json> [tests.json...] [--reporter text|tap|junit|json]
       bot-assistant test <flow.json> --replay-sessions [--data-dir DIR | --stream fluvio [--endpoint H:P]] [--since DATE] [--json]

Runs the conversation tests of a flow (by default <flow>.tests.json beside it) on the engine, with no
server, and prints each failure with its turn, the state, what was expected and what the bot said.
  --reporter R        text (default), tap, junit (XML for CI dashboards) or json
  --replay-sessions   replay the recorded visitor sessions against the flow instead, and report how
                      many would now go another way, grouped by the step where they split
  --data-dir DIR      the embedded log to replay from (default ${DEFAULT_DATA_DIR})
  --stream KIND       embedded (default) or fluvio ($FLUVIO_ENDPOINT or the active fluvio profile)
  --endpoint H:P      fluvio cluster address
  --since DATE        only sessions active on or after DATE (2024-05-01 or 2024-05-01T14:30:00)
  --json              (with --replay-sessions) print the result as JSON
Exit code: 1 if a test fails, a file cannot be read or parsed, or a replayed session would go
another way; 0 otherwise; 2 on a usage error.`;

export interface TestOptions {
  flow: string;
  testFiles: string[];
  reporter: ReporterName;
  replay: boolean;
  dataDir: string;
  stream: 'embedded' | 'fluvio';
  endpoint?: string;
  since?: string;
  json: boolean;
}

export function parseTestArgs(args: string[]): TestOptions | 'help' {
  const files: string[] = [];
  const options: Omit<TestOptions, 'flow' | 'testFiles'> = { reporter: 'text', replay: false, dataDir: DEFAULT_DATA_DIR, stream: 'embedded', json: false };
  const given = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const next = args[++i];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      given.add(arg);
      return next;
    };
    switch (arg) {
      case '--help':
      case '-h':
        return 'help';
      case '--reporter': {
        const name = value();
        if (!(REPORTERS as readonly string[]).includes(name)) throw new UsageError(`--reporter must be one of ${REPORTERS.join(', ')}, got "${name}"`);
        options.reporter = name as ReporterName;
        break;
      }
      case '--replay-sessions':
        options.replay = true;
        break;
      case '--data-dir':
        options.dataDir = value();
        break;
      case '--stream':
        options.stream = streamKindOption(value());
        break;
      case '--endpoint':
        options.endpoint = value();
        break;
      case '--since':
        options.since = value();
        break;
      case '--json':
        options.json = true;
        given.add(arg);
        break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option "${arg}"`);
        files.push(arg);
    }
  }
  const [flow, ...testFiles] = files;
  if (flow === undefined) throw new UsageError('no flow file given');
  const replayOnly = ['--data-dir', '--stream', '--endpoint', '--since', '--json'].filter((option) => given.has(option));
  if (!options.replay && replayOnly.length > 0) throw new UsageError(`${replayOnly[0]} needs --replay-sessions`);
  if (options.replay && testFiles.length > 0) throw new UsageError('--replay-sessions replays recorded sessions: give no tests files with it');
  if (options.replay && given.has('--reporter')) throw new UsageError('--reporter is for tests; use --json with --replay-sessions');
  if (options.stream === 'fluvio' && given.has('--data-dir')) throw new UsageError('--data-dir and --stream fluvio exclude each other');
  if (options.stream === 'embedded' && options.endpoint !== undefined) throw new UsageError('--endpoint needs --stream fluvio');
  return { ...options, flow, testFiles: testFiles.length > 0 ? testFiles : [testsFileFor(flow)] };
}

/** Runs the command; returns the exit code. */
export async function run(args: string[]): Promise<number> {
  let options: TestOptions | 'help';
  try {
    options = parseTestArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`bot-assistant test: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (options.flow.endsWith('.tests.json')) {
    const flow = `${options.flow.slice(0, -'.tests.json'.length)}.json`;
    console.error(`bot-assistant test: ${options.flow} is a tests file: give its flow (bot-assistant test ${flow}), and the tests beside it run\n\n${USAGE}`);
    return 2;
  }
  const compiled = await loadFlow(options.flow);
  if (typeof compiled === 'string') {
    console.error(`bot-assistant test: ${compiled}`);
    return 1;
  }
  if (options.replay) return replaySessions(compiled, options);

  const started = performance.now();
  const files: FileRun[] = [];
  const reached = new Set<string>();
  for (const file of options.testFiles) {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => error);
    if (typeof text !== 'string') {
      const defaulted = options.testFiles.length === 1 && file === testsFileFor(options.flow) && text.code === 'ENOENT';
      const message = defaulted ? `no tests file beside the flow (looked for ${file}); save a test from the studio, or name tests files after the flow` : `cannot read the tests file: ${describeFsError(text)}`;
      files.push({ file, errors: [{ path: '', message }], results: [] });
      continue;
    }
    const parsed = parseConversationTests(text);
    if (!parsed.ok) {
      files.push({ file, errors: parsed.errors, results: [] });
      continue;
    }
    const summary = runConversationTests(compiled, parsed.file);
    for (const result of summary.results) for (const state of result.visited) reached.add(state);
    files.push({ file, errors: [], results: summary.results });
  }
  const unreached = [...compiled.states.keys()].filter((state) => !reached.has(state));
  const testRun = { flow: options.flow, files, unreached, durationMs: performance.now() - started };
  process.stdout.write(report(testRun, options.reporter));
  return countRun(testRun).failed > 0 ? 1 : 0;
}

/** The compiled flow, or why it cannot be tested (it does not parse). Flow warnings do not stop tests. */
async function loadFlow(file: string): Promise<CompiledFlow | string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return `cannot read the flow ${file}: ${describeFsError(error)}`;
  }
  const checked = checkFlowText(text);
  if (!checked.flow) {
    const first = checked.diagnostics[0];
    return `the flow ${file} does not parse${first?.line === undefined ? '' : ` (line ${first.line}, column ${first.column})`}: ${first?.message ?? 'unknown error'}`;
  }
  return compileFlow(checked.flow);
}
