/**
 * `bot-assistant operator --port N --flow FLOW --accounts FILE [--stream …] [--data-dir …]`: the
 * operator console for support staff, at `/operator/`. With the embedded log (one process owns
 * it) this runs the bot too (`serve --role all --operators …`); with `--stream fluvio` it runs the
 * operator service alone (`serve --role operator`) beside separate proxy and workflow processes.
 * `bot-assistant operator hash-password` reads a password on stdin and prints its hash for the
 * accounts file.
 */
import { hashPassword } from '../server/operator/operatorAccounts.ts';
import { run as runServe } from './serveCommand.ts';

const USAGE = `Usage: bot-assistant operator --flow <flow.json> --accounts <accounts.json> [options]
       bot-assistant operator hash-password < password.txt

Options: --port N, --host HOST, --stream embedded|fluvio, --data-dir DIR, --operator-host HOST,
and the other options of \`bot-assistant serve\`. With --stream fluvio only the operator service
runs (--role operator); with the embedded log the bot runs in the same process.`;

export async function run(args: string[]): Promise<number> {
  if (args[0] === 'hash-password') return printHash();
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const serveArgs: string[] = [];
  let fluvio = false;
  let role = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--flow' || arg.startsWith('--flow=')) {
      serveArgs.push(arg.includes('=') ? arg.slice('--flow='.length) : (args[++i] ?? ''));
      continue;
    }
    if (arg === '--accounts' || arg.startsWith('--accounts=')) {
      serveArgs.push('--operators', arg.includes('=') ? arg.slice('--accounts='.length) : (args[++i] ?? ''));
      continue;
    }
    if (arg === '--stream=fluvio' || (arg === '--stream' && args[i + 1] === 'fluvio')) fluvio = true;
    if (arg === '--role' || arg.startsWith('--role=')) role = true;
    serveArgs.push(arg);
  }
  if (!args.some((arg) => arg === '--flow' || arg.startsWith('--flow='))) {
    console.error('bot-assistant operator: missing --flow flow.json (see --help)');
    return 2;
  }
  if (!serveArgs.includes('--operators')) {
    console.error('bot-assistant operator: missing --accounts accounts.json (see --help)');
    return 2;
  }
  if (fluvio && !role) serveArgs.push('--role', 'operator');
  return runServe(serveArgs, 'operator');
}

async function printHash(): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (password.length < 8) {
    console.error('bot-assistant operator hash-password: give a password of at least 8 characters on stdin');
    return 2;
  }
  console.log(await hashPassword(password));
  return 0;
}
