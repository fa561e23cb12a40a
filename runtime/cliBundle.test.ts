/**
 * The `bot-assistant` command runs from a bundle that follows its sources. Each test works on its own
 * copy of runtime/ (node_modules linked), so it can edit sources, tamper with the bundle and make
 * dist/ unwritable without touching the checkout.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url).pathname;
const copies: string[] = [];
afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copyOfPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cli-bundle-'));
  copies.push(dir);
  cpSync(join(root, 'runtime'), join(dir, 'runtime'), { recursive: true, filter: (source) => !source.endsWith('.test.ts') });
  writeFileSync(join(dir, 'package.json'), readFileSync(join(root, 'package.json')));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function run(dir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [join(dir, 'runtime/bot-assistant.mjs'), ...args], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function editHelpLine(dir: string, from: string, to: string) {
  const cli = join(dir, 'runtime/cli.ts');
  const source = readFileSync(cli, 'utf8');
  expect(source).toContain(from);
  writeFileSync(cli, source.replace(from, to));
}

describe('the bot-assistant command bundle', () => {
  it('builds the bundle on first use and runs the CLI from it', () => {
    const dir = copyOfPackage();
    const first = run(dir, '--help');
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('serve <flow.json> [options]');
    const bundle = readFileSync(join(dir, 'dist/runtime/cli.mjs'), 'utf8');
    expect(bundle).toContain('// runtime/cli.ts');
    // Each module keeps its source's URL, so the server finds the files it serves beside its sources.
    expect(bundle).toContain(JSON.stringify(new URL(`file://${join(dir, 'runtime/server/start.ts')}`).href));
    expect(bundle).not.toContain('import.meta.url');
  });

  it('rebuilds after a source changes, and runs the new code', () => {
    const dir = copyOfPackage();
    expect(run(dir, '--help').stdout).toContain('check flow files, print diagnostics');
    editHelpLine(dir, 'check flow files, print diagnostics', 'check flow files (edited)');
    const after = run(dir, '--help');
    expect(after.stdout).toContain('check flow files (edited)');
    expect(readFileSync(join(dir, 'dist/runtime/cli.mjs'), 'utf8')).toContain('check flow files (edited)');
  });

  it('never runs a bundle that does not match its manifest', () => {
    const dir = copyOfPackage();
    run(dir, '--help');
    const bundlePath = join(dir, 'dist/runtime/cli.mjs');
    writeFileSync(bundlePath, 'console.log("tampered");\n');
    const again = run(dir, '--help');
    expect(again.stdout).not.toContain('tampered');
    expect(again.stdout).toContain('serve <flow.json> [options]');
  });

  it('runs the TypeScript through tsx, and says why, when the bundle cannot be written', () => {
    const dir = copyOfPackage();
    writeFileSync(join(dir, 'dist'), 'a file where the dist folder should be\n');
    const result = run(dir, '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('serve <flow.json> [options]');
    expect(result.stderr).toMatch(/^bot-assistant: running from the TypeScript sources \(uses ~40 MiB more\), because the bundle could not be built: .*dist/m);
  });
});
