import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run the real command, as a user would. */
function validate(...args: string[]) {
  const result = spawnSync(process.execPath, [join(root, 'runtime/bot-assistant.mjs'), 'validate', ...args], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function write(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

const sample = join(root, 'state-machines/bot-assistant.json');

describe('bot-assistant validate', () => {
  it('exits 0 for a valid flow and prints infos and a summary', () => {
    const { code, stdout } = validate(sample);
    expect(code).toBe(0);
    expect(stdout).toContain(`${sample}:109:5 info conversation-end `);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('1 file checked: 0 errors, 0 warnings, 1 info.');
  });

  it('prints file:line:column severity code message for each problem and exits 1 on an error', () => {
    const file = write('broken.json', '{\n    "hi": {\n        "sendRequest": {\n            "kind": "BotText",\n            "content": "Hi"\n        },\n        "next": "doneX"\n    },\n    "done": {\n        "sendRequest": {\n            "kind": "BotText",\n            "content": "Bye"\n        }\n    }\n}\n');
    const { code, stdout } = validate(file);
    expect(code).toBe(1);
    expect(stdout).toContain('broken.json:7:17 error next-missing next points to "doneX", which is not a state. Did you mean "done"? Pick an existing state or create "doneX".');
    expect(stdout).toContain('broken.json:9:5 warning state-unreachable ');
    expect(stdout).toContain('1 file checked: 1 error, 1 warning, 1 info.');
  });

  it('exits 0 when there are only warnings', () => {
    const file = write('warn.json', JSON.stringify({ hi: { sendRequest: { kind: 'BotText', content: 'Hi' } }, lost: { sendRequest: { kind: 'BotText', content: 'x' } } }, null, 4));
    const { code, stdout } = validate(file);
    expect(code).toBe(0);
    expect(stdout).toContain('warning state-unreachable');
  });

  it('gives one clear line for a missing file and for a file that is not JSON', () => {
    const notJson = write('notes.json', 'hello: world\n');
    const { code, stdout, stderr } = validate('missing.json', notJson);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      'missing.json: cannot read file: no such file',
      "notes.json:1:1 error json-syntax Unexpected 'h' at line 1, column 1: expected a value",
      '2 files checked: 2 errors, 0 warnings, 0 infos.',
    ]);
  });

  it('skips the studio\'s tests and layout files a glob picks up, saying what they are', () => {
    const tests = write('shop.tests.json', '{ "tests": [] }');
    const layout = write('shop.layout.json', '{ "positions": {} }');
    const { code, stdout } = validate(sample, tests, layout);
    expect(code).toBe(0);
    expect(stdout).toContain('shop.tests.json: skipped: the conversation tests of shop.json, not a flow (run them with `bot-assistant test shop.json`)');
    expect(stdout).toContain("shop.layout.json: skipped: the studio's step positions for shop.json, not a flow");
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('1 file checked (2 skipped: not flows): 0 errors, 0 warnings, 1 info.');
  });

  it('prints a JSON array of diagnostics with --json', () => {
    const file = write('dup.json', '{"a": {"next": "b"}, "b": {"sendRequest": {"kind": "BotText", "content": "x"}}, "a": {"next": "b"}}');
    const { code, stdout } = validate('--json', file, 'missing.json');
    expect(code).toBe(1);
    const items = JSON.parse(stdout) as { file: string; code: string; severity: string; line?: number }[];
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'dup.json', code: 'state-duplicate', severity: 'error', path: 'a', line: 1, column: 81 }),
        expect.objectContaining({ file: 'missing.json', code: 'file-unreadable', severity: 'error', message: 'cannot read file: no such file' }),
      ]),
    );
  });

  it('exits 2 on a usage error', () => {
    expect(validate().code).toBe(2);
    const unknown = validate('--strict', sample);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option "--strict"');
  });
});
