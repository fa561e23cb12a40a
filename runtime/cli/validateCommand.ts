/**
 * `bot-assistant validate <file...> [--json]`: check flow files and print their diagnostics.
 * Exit code 1 when any file has an error (or cannot be read), 0 otherwise, 2 on a usage error.
 * The studio's side files (tests, layout) are skipped with a note: a glob over a flow folder matches them.
 */
import { readFile } from 'node:fs/promises';
import { checkFlowText } from '../flow/checkFlowText.ts';
import type { Diagnostic } from '../flow/types.ts';
import { describeError } from '../describeError.ts';

const USAGE = `Usage: bot-assistant validate <file...> [--json]

Checks flow files and prints one line per problem: file:line:column severity code message.
The studio's files beside a flow (<flow>.tests.json, <flow>.layout.json) are skipped, with a note,
so a glob such as state-machines/*.json checks just the flows.
  --json   print a JSON array of { file, code, severity, path, message, line, column, ... } instead
Exit code: 1 if any file has an error or cannot be read, 0 otherwise (warnings and infos are fine),
2 on a usage error.`;

/** A diagnostic with the file it was found in (the `--json` output's items). */
export interface FileDiagnostic extends Diagnostic {
  file: string;
}

/** Run the command; returns the exit code. */
export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const json = args.includes('--json');
  const unknown = args.find((arg) => arg.startsWith('-') && arg !== '--json');
  const files = args.filter((arg) => !arg.startsWith('-'));
  if (unknown !== undefined || files.length === 0) {
    console.error(`${unknown !== undefined ? `bot-assistant validate: unknown option "${unknown}".` : 'bot-assistant validate: no file given.'}\n\n${USAGE}`);
    return 2;
  }
  const results: FileDiagnostic[] = [];
  const skipped: string[] = [];
  for (const file of files) {
    const side = sideFileOf(file);
    if (side) {
      skipped.push(`${file}: skipped: ${side}`);
      continue;
    }
    results.push(...(await checkFile(file)));
  }
  if (json) {
    console.log(JSON.stringify(results, null, 2));
  } else {
    for (const note of skipped) console.log(note);
    for (const d of results) console.log(formatLine(d));
    console.log(summary(files.length - skipped.length, results, skipped.length));
  }
  return results.some((d) => d.severity === 'error') ? 1 : 0;
}

async function checkFile(file: string): Promise<FileDiagnostic[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return [{ file, code: 'file-unreadable', severity: 'error', path: '', message: `cannot read file: ${readError(error)}` }];
  }
  return checkFlowText(text).diagnostics.map((d) => ({ file, ...d }));
}

function readError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return describeError(error);
}

/** `file:line:column severity code message` (`file: severity code message` without a position). */
export function formatLine(d: FileDiagnostic): string {
  const where = d.line === undefined ? d.file : `${d.file}:${d.line}:${d.column}`;
  return d.code === 'file-unreadable' ? `${where}: ${d.message}` : `${where} ${d.severity} ${d.code} ${d.message}`;
}

/** What a studio side file is and how to check it; undefined for anything else (a flow). */
function sideFileOf(file: string): string | undefined {
  if (file.endsWith('.tests.json')) return `the conversation tests of ${file.slice(0, -'.tests.json'.length)}.json, not a flow (run them with \`bot-assistant test ${file.slice(0, -'.tests.json'.length)}.json\`)`;
  if (file.endsWith('.layout.json')) return `the studio's step positions for ${file.slice(0, -'.layout.json'.length)}.json, not a flow`;
  return undefined;
}

function summary(fileCount: number, results: FileDiagnostic[], skipped: number): string {
  const count = (severity: string, word: string): string => {
    const n = results.filter((d) => d.severity === severity).length;
    return `${n} ${word}${n === 1 ? '' : 's'}`;
  };
  const also = skipped > 0 ? ` (${skipped} skipped: not ${skipped === 1 ? 'a flow' : 'flows'})` : '';
  return `${fileCount} file${fileCount === 1 ? '' : 's'} checked${also}: ${count('error', 'error')}, ${count('warning', 'warning')}, ${count('info', 'info')}.`;
}
