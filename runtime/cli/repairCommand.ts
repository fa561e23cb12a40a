/**
 * `bot-assistant repair --data-dir DIR`: rebuilds the damaged segments of an embedded log from every
 * readable record, keeping each damaged original aside (see stream/repairLog.ts), and says what was lost.
 * Exit codes: 0 the log is whole (nothing to repair, or repaired), 1 damage found by --dry-run or the
 * repair failed, 2 a bad command line.
 */
import { resolve } from 'node:path';
import { DEFAULT_DATA_DIR, openEmbeddedLog } from '../stream/EmbeddedLog.ts';
import { repairLog, type SegmentDamage } from '../stream/repairLog.ts';
import { UsageError } from './UsageError.ts';
import { describeError } from '../describeError.ts';

const USAGE = `Usage: bot-assistant repair [--data-dir DIR] [--dry-run]

Checks every segment of the embedded log and rebuilds the damaged ones from every readable record.
Nothing is deleted: each damaged segment is kept in DIR/damaged-<time>/. Stop the server first.
  --data-dir DIR   the embedded log's directory (default ${DEFAULT_DATA_DIR})
  --dry-run        report the damage and what a repair would lose, change nothing (exit 1 if damaged)`;

function parseArgs(args: string[]): { dataDir: string; dryRun: boolean } | 'help' {
  const options = { dataDir: DEFAULT_DATA_DIR, dryRun: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--data-dir') {
      const value = args[++i];
      if (value === undefined) throw new UsageError('--data-dir needs a value');
      options.dataDir = value;
    } else throw new UsageError(`unknown option "${arg}"`);
  }
  return options;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

function lostRecords(lost: SegmentDamage['lost']): string {
  return lost.recordsUncounted ? `at least ${plural(lost.records, 'record')}` : plural(lost.records, 'record');
}

function describeSegment(segment: SegmentDamage, dryRun: boolean): string[] {
  const lines = [`segment ${segment.number} (${segment.path}, ${segment.fileSize} bytes):`];
  for (const range of segment.damage) {
    const what = range.end === segment.fileSize ? 'to the end of the file' : `up to byte ${range.end}, where readable records resume`;
    lines.push(`  damaged at byte ${range.start} (${range.reason}): ${range.end - range.start} bytes ${what}`);
  }
  lines.push(`  ${dryRun ? 'would keep' : 'kept'} ${plural(segment.kept.records, 'readable record')} (${segment.kept.bytes} bytes)`);
  lines.push(`  ${dryRun ? 'would lose' : 'lost'} ${segment.lost.bytes} bytes: ${lostRecords(segment.lost)}`);
  if (segment.keptAt) lines.push(`  the damaged original is kept at ${segment.keptAt}`);
  return lines;
}

/** Runs the command; returns the exit code. */
export async function run(args: string[]): Promise<number> {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`bot-assistant repair: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const dir = resolve(options.dataDir);
  let report;
  try {
    report = await repairLog(dir, { dryRun: options.dryRun });
  } catch (error) {
    console.error(`bot-assistant repair: ${describeError(error)}`);
    return 1;
  }
  if (report.damaged.length === 0) {
    console.log(`bot-assistant repair: ${dir}: ${plural(report.segments, 'segment')}, every record readable; nothing to repair.`);
    return 0;
  }
  for (const segment of report.damaged) console.log(describeSegment(segment, report.dryRun).join('\n'));
  const lostBytes = report.damaged.reduce((sum, segment) => sum + segment.lost.bytes, 0);
  const lost = { bytes: lostBytes, records: report.damaged.reduce((sum, segment) => sum + segment.lost.records, 0), recordsUncounted: report.damaged.some((segment) => segment.lost.recordsUncounted) };
  if (report.dryRun) {
    console.log(`Dry run: ${plural(report.damaged.length, 'damaged segment')}; a repair would lose ${lostBytes} bytes (${lostRecords(lost)}). Nothing was changed.`);
    return 1;
  }
  console.log(`Repaired ${plural(report.damaged.length, 'segment')}: lost ${lostBytes} bytes (${lostRecords(lost)}); nothing was deleted.`);
  console.log('Records after the damage now have lower offsets (by the records lost before them): consumers that remember offsets should re-read.');
  try {
    const log = await openEmbeddedLog({ dir, readOnly: true, logger: { info: () => {}, warn: (message) => console.error(message) } });
    console.log(`The log opens again: ${plural(log.endOffset(), 'record')} in ${plural(log.stats().sessions, 'session')}.`);
    await log.close();
  } catch (error) {
    console.error(`bot-assistant repair: the repaired log still does not open: ${describeError(error)}`);
    return 1;
  }
  return 0;
}
