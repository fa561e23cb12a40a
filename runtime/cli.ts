/**
 * `bot-assistant <command>`: dispatches to one module per command, each exporting
 * `run(args): Promise<number>` (the exit code). Errors are printed as one clear line.
 */
import { describeError } from './describeError.ts';

const commands: Record<string, { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> }> = {
  validate: { summary: 'validate <file...> [--json]        check flow files, print diagnostics', load: () => import('./cli/validateCommand.ts') },
  serve: { summary: 'serve <flow.json> [options]         run a flow for real users', load: () => import('./cli/serveCommand.ts') },
  publish: { summary: 'publish <flow.json> --server URL    publish a flow to a running server', load: () => import('./cli/publishCommand.ts') },
  operator: { summary: 'operator --flow F --accounts A     the operator console (hand conversations to people)', load: () => import('./cli/operatorCommand.ts') },
  test: { summary: 'test <flow.json> [tests.json...]    run conversation tests (or --replay-sessions)', load: () => import('./cli/testCommand.ts') },
  consume: { summary: 'consume [options]                   print stream records, one per line', load: () => import('./cli/consumeCommand.ts') },
  repair: { summary: 'repair --data-dir DIR [--dry-run]   rebuild a damaged embedded log, keeping the damaged files', load: () => import('./cli/repairCommand.ts') },
};

function usage(): string {
  return ['Usage: bot-assistant <command> [options]', '', 'Commands:', ...Object.values(commands).map((c) => `  ${c.summary}`), '', 'Run `bot-assistant <command> --help` for the options of one command.'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`bot-assistant: unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  const module = await command.load();
  return module.run(args);
}

// A command is done when its promise settles: exit then, so that a native client (the Fluvio binary
// keeps a referenced handle after its streams are released) cannot keep a stopped server alive.
// stdout and stderr are synchronous for files, pipes and terminals on Linux and macOS: nothing is cut off.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // A command is over once it returns, but @fluvio/client's native consumer streams cannot be
    // closed and keep the process alive: if it is still running a moment later, end it once what
    // it wrote has been taken (a slow reader of a pipe gets all of it).
    setTimeout(() => process.stdout.write('', () => process.stderr.write('', () => process.exit(code))), 500).unref();
  },
  (error: unknown) => {
    console.error(`bot-assistant: ${describeError(error)}`);
    process.exit(1);
  },
);
