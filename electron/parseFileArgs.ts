/**
 * Finds the flow files in a command line (first launch, or a second launch handed to the first).
 */
import { isAbsolute, resolve } from 'node:path';

/**
 * Returns the `.json` arguments as absolute paths, without duplicates. Skips the executable
 * (argv[0]), every flag (Electron's, Chromium's and ours) and any other file (the main script in
 * development). Relative paths are resolved against `cwd` (the launching shell's folder).
 */
export function parseFileArgs(argv: readonly string[], cwd: string): string[] {
  const files: string[] = [];
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-') || !arg.toLowerCase().endsWith('.json')) continue;
    const path = isAbsolute(arg) ? resolve(arg) : resolve(cwd, arg);
    if (!files.includes(path)) files.push(path);
  }
  return files;
}
