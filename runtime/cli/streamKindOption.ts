import { UsageError } from './UsageError.ts';

/** The value of `--stream`, checked: the commands that read a stream take the same two kinds. */
export function streamKindOption(kind: string): 'embedded' | 'fluvio' {
  if (kind !== 'embedded' && kind !== 'fluvio') throw new UsageError(`--stream must be "embedded" or "fluvio", got "${kind}"`);
  return kind;
}
