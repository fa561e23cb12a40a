/**
 * `bot-assistant <command>`: dispatches to one module per command, each exporting
 * `run(args): Promise<number>` (the exit code). Errors are printed as one clear line.
 */
import packageJson from '../package.json' with { type: 'json' };
import { describeError } from './describeError.ts';
import { closestName } from './flow/closestName.ts';

const commands: Record<string, { synopsis: string; summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> }> = {
  validate: { synopsis: 'validate <file...> [--json]', summary: 'check flow files, print diagnostics', load: () => import('./cli/validateCommand.ts') },
  serve: { synopsis: 'serve <flow.json> [options]', summary: 'run a flow for real users', load: () => import('./cli/serveCommand.ts') },
  publish: { synopsis: 'publish <flow.json> --server URL', summary: 'publish a flow to a running server', load: () => import('./cli/publishCommand.ts') },
  operator: { synopsis: 'operator --flow F --accounts A', summary: 'the operator console (hand conversations to people)', load: () => import('./cli/operatorCommand.ts') },
  test: { synopsis: 'test <flow.json> [tests.json...]', summary: 'run conversation tests (or --replay-sessions)', load: () => import('./cli/testCommand.ts') },
  consume: { synopsis: 'consume [options]', summary: 'print stream records, one per line', load: () => import('./cli/consumeCommand.ts') },
  repair: { synopsis: 'repair [--data-dir DIR] [--dry-run]', summary: 'rebuild a damaged embedded log, keeping the damaged files', load: () => import('./cli/repairCommand.ts') },
};

function usage(): string {
  const width = Math.max(...Object.values(commands).map((c) => c.synopsis.length)) + 3;
  return [
    'Usage: bot-assistant <command> [options]',
    '',
    'Commands:',
    ...Object.values(commands).map((c) => `  ${c.synopsis.padEnd(width)}${c.summary}`),
    '',
    'Run `bot-assistant <command> --help` for the options of one command, `bot-assistant --version` for the version.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    console.log(`bot-assistant ${packageJson.version}`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    const meant = closestName(name, Object.keys(commands));
    console.error(`bot-assistant: unknown command "${name}".${meant ? ` Did you mean "${meant}"?` : ''}\n\n${usage()}`);
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
