/** The `bot-assistant` command itself: its list of commands, its version, an unknown command. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const CLI = new URL('./bot-assistant.mjs', import.meta.url).pathname;
const bot = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('bot-assistant', () => {
  it('lists its commands in two aligned columns', () => {
    const { status, stdout } = bot('--help');
    expect(status).toBe(0);
    const rows = stdout.split('\n').filter((line) => /^ {2}[a-z]/.test(line));
    expect(rows.map((row) => row.trim().split(' ')[0])).toEqual(['validate', 'serve', 'publish', 'operator', 'test', 'consume', 'repair']);
    // Each summary starts in the same column, after a gap of at least three spaces.
    expect(new Set(rows.map((row) => /^( {2}\S.*?\s{3,})\S/.exec(row)?.[1].length)).size).toBe(1);
  });

  it('prints its version', () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(bot('--version').stdout).toBe(`bot-assistant ${version}\n`);
  });

  it('exits 2 on an unknown command, naming it', () => {
    const { status, stderr } = bot('serv');
    expect(status).toBe(2);
    expect(stderr).toContain('bot-assistant: unknown command "serv". Did you mean "serve"?');
  });
});
