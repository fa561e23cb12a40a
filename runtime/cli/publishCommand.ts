/**
 * `bot-assistant publish <flow.json> --server URL --token-file FILE`: publish a flow to a running
 * `serve` (its sessions stay on the version they started with; new ones start on this one).
 * `--check` only says what publishing would do; `--rollback HASH` publishes a kept version again;
 * `--list` prints the server's versions. Exit codes: 0 published (or nothing to do), 1 refused or
 * failed (the reason is printed), 2 usage error.
 */
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { formatDiagnostic } from '../server/loadFlow.ts';
import { describeError } from '../describeError.ts';
import { callPublishApi, PublishClientError, type PublishServer } from '../server/publish/publishClient.ts';
import type { PublishCheck } from '../server/publish/Publisher.ts';
import type { PublishRoutingResult } from '../contract/publishTypes.ts';
import { describeRoutingCheck, describeRoutingGroups } from '../contract/describeRoutingCheck.ts';
import type { Diagnostic } from '../flow/types.ts';
import { readTokenFile } from '../server/publish/readTokenFile.ts';
import { UsageError } from './UsageError.ts';

const USAGE = `Usage: bot-assistant publish <flow.json> --server URL --token-file FILE [options]
       bot-assistant publish --rollback HASH --server URL --token-file FILE
       bot-assistant publish --list --server URL --token-file FILE

Publishes a flow to a running \`bot-assistant serve --publish-token-file FILE\`. The flow is checked
there first: with errors it is refused and the running version stays. Conversations already running
finish on the version they started with; new ones start on the published one.
  --server URL        the server (https://…; plain http only to 127.0.0.1/localhost)
  --token-file FILE   a file holding the server's publish token
  --as NAME           who is publishing, for the server's log (default: your user name)
  --check             say what publishing would change, publish nothing: the changes,
                      the live conversations left on older versions, and how many of the
                      server's recorded conversations on its running version would now go
                      another way (it replays the most recent ones through the flow)
  --rollback HASH     publish an earlier kept version again
  --list              list the server's versions
Exit code: 0 done, 1 refused or failed, 2 usage error.`;

interface PublishArgs {
  flowPath?: string;
  server: string;
  tokenFile: string;
  as: string;
  mode: 'publish' | 'check' | 'rollback' | 'list';
  rollbackHash?: string;
}

export function parsePublishArgs(args: string[]): PublishArgs | 'help' {
  const parsed: Partial<PublishArgs> = { mode: 'publish' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') return 'help';
    const value = (): string => {
      const next = args[++i];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--server') parsed.server = value();
    else if (arg === '--token-file') parsed.tokenFile = value();
    else if (arg === '--as') parsed.as = value();
    else if (arg === '--check') parsed.mode = 'check';
    else if (arg === '--list') parsed.mode = 'list';
    else if (arg === '--rollback') {
      parsed.mode = 'rollback';
      parsed.rollbackHash = value();
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option "${arg}"`);
    else if (parsed.flowPath !== undefined) throw new UsageError(`unexpected argument "${arg}": publish takes one flow file`);
    else parsed.flowPath = arg;
  }
  if (!parsed.server) throw new UsageError('--server URL is required');
  if (!parsed.tokenFile) throw new UsageError('--token-file FILE is required');
  if ((parsed.mode === 'publish' || parsed.mode === 'check') && parsed.flowPath === undefined) throw new UsageError('no flow file given');
  if ((parsed.mode === 'rollback' || parsed.mode === 'list') && parsed.flowPath !== undefined) throw new UsageError(`--${parsed.mode} takes no flow file`);
  return { as: parsed.as ?? safeUserName(), ...parsed } as PublishArgs;
}

export async function run(args: string[]): Promise<number> {
  let parsed: PublishArgs | 'help';
  try {
    parsed = parsePublishArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`bot-assistant publish: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  try {
    const server: PublishServer = { url: parsed.server, token: await readTokenFile(parsed.tokenFile), publisher: parsed.as };
    switch (parsed.mode) {
      case 'list':
        return printVersions(await callPublishApi(server, 'GET', 'publish/status'));
      case 'rollback':
        return printPublished(await callPublishApi(server, 'POST', 'publish/rollback', JSON.stringify({ hash: parsed.rollbackHash })));
      case 'check': {
        const text = await readFlow(parsed.flowPath!);
        const code = printCheck(parsed.flowPath!, (await callPublishApi(server, 'POST', 'publish/check', text)) as PublishCheck);
        if (code !== 0) return code;
        // The server replays its own recorded conversations through the draft.
        const routing = (await callPublishApi(server, 'POST', 'publish/routing', text)) as PublishRoutingResult;
        console.log(describeRoutingCheck(routing));
        for (const line of describeRoutingGroups(routing)) console.log(`  - ${line}`);
        return 0;
      }
      case 'publish':
        return printPublished(await callPublishApi(server, 'POST', 'publish', await readFlow(parsed.flowPath!)), parsed.flowPath);
    }
  } catch (error) {
    if (error instanceof PublishClientError) {
      console.error(`bot-assistant publish: ${error.message}`);
      const diagnostics = (error.body as { diagnostics?: Diagnostic[] } | undefined)?.diagnostics ?? [];
      for (const d of diagnostics) console.error(formatDiagnostic(parsed.flowPath ?? '(flow)', d));
      return 1;
    }
    console.error(`bot-assistant publish: ${describeError(error)}`);
    return 1;
  }
}

async function readFlow(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read flow file ${file}: ${describeError(error)}`);
  }
}

function printPublished(answer: unknown, source?: string): number {
  const { hash, changed, warnings } = answer as { hash: string; changed: boolean; warnings: Diagnostic[] };
  for (const d of warnings ?? []) console.log(formatDiagnostic(source ?? '(flow)', d));
  console.log(changed ? `published version ${hash}: new conversations start on it; running ones finish on theirs` : `version ${hash} is already the published one: nothing to do`);
  return 0;
}

function printCheck(source: string, check: PublishCheck): number {
  for (const d of check.diagnostics) console.log(formatDiagnostic(source, d));
  if (!check.ok) {
    console.log('this flow has errors: the server would refuse it');
    return 1;
  }
  console.log(check.changes.length === 0 ? 'no changes from the published version' : `${check.changes.length} change${check.changes.length === 1 ? '' : 's'} from the published version:`);
  for (const change of check.changes) console.log(`  - ${change.text}`);
  console.log(`${check.liveOnOlder} live conversation${check.liveOnOlder === 1 ? '' : 's'} would finish on an older version`);
  return 0;
}

function printVersions(answer: unknown): number {
  const { current, versions } = answer as { current: string | null; versions: { hash: string; publishedAt: string; by: string; rollback?: boolean; liveSessions: number }[] };
  for (const v of versions) {
    console.log(`${v.hash === current ? '*' : ' '} ${v.hash}  ${v.publishedAt}  by ${v.by}${v.rollback ? ' (rollback)' : ''}  ${v.liveSessions} live`);
  }
  return 0;
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
