#!/usr/bin/env node
// The `bot-assistant` command. Runs the CLI from its bundle (runtime/cliBundle.mjs: built on first use
// and whenever a source changed); where the bundle can't be built, runs the TypeScript through tsx.
import { currentCliBundle } from './cliBundle.mjs';

let cli;
try {
  cli = await currentCliBundle();
} catch (error) {
  process.stderr.write(`bot-assistant: running from the TypeScript sources (uses ~40 MiB more), because the bundle could not be built: ${error.message}\n`);
  const { register } = await import('tsx/esm/api');
  register();
  cli = new URL('./cli.ts', import.meta.url).href;
}
await import(cli);
