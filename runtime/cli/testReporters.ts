/**
 * How `bot-assistant test` prints its results: plain text for people, TAP, JUnit XML for CI
 * dashboards, or JSON. Each reporter turns the whole run into one string.
 */
import type { TestFileError } from '../flow/conversationTestTypes.ts';
import type { TestResult } from '../flow/runConversationTest.ts';

export type ReporterName = 'text' | 'tap' | 'junit' | 'json';
export const REPORTERS: readonly ReporterName[] = ['text', 'tap', 'junit', 'json'];

/** The outcome of one tests file. */
export interface FileRun {
  file: string;
  /** problems that kept the file from running (unreadable, bad JSON, schema); then no results */
  errors: TestFileError[];
  results: TestResult[];
}

export interface TestRun {
  flow: string;
  files: FileRun[];
  /** states of the flow no test reached, in file order */
  unreached: string[];
  durationMs: number;
}

/** How many tests passed and failed; a file that cannot run counts as one failure. */
export function countRun(run: TestRun): { passed: number; failed: number } {
  let passed = 0;
  let failed = 0;
  for (const file of run.files) {
    if (file.errors.length > 0) failed += 1;
    for (const result of file.results) result.passed ? (passed += 1) : (failed += 1);
  }
  return { passed, failed };
}

export function report(run: TestRun, reporter: ReporterName): string {
  switch (reporter) {
    case 'text':
      return textReport(run);
    case 'tap':
      return tapReport(run);
    case 'junit':
      return junitReport(run);
    case 'json':
      return `${JSON.stringify({ ...run, files: run.files.map((file) => ({ ...file, results: file.results.map(({ answers: _answers, ...result }) => result) })), ...countRun(run) }, null, 2)}\n`;
  }
}

function fileErrorLines(file: FileRun): string[] {
  return file.errors.map((e) => `${file.file}${e.line === undefined ? '' : `:${e.line}:${e.column}`}: ${e.message}`);
}

function textReport(run: TestRun): string {
  const lines: string[] = [];
  for (const file of run.files) {
    lines.push(file.file);
    for (const line of fileErrorLines(file)) lines.push(`  ✗ ${line}`);
    for (const result of file.results) {
      lines.push(`  ${result.passed ? '✓' : '✗'} ${result.name}`);
      const failure = result.failure;
      if (failure) {
        lines.push(`      ${failure.reason}`);
        lines.push(`      expected: ${failure.expected}`);
        lines.push(`      said:     ${failure.said}`);
      }
    }
  }
  if (run.unreached.length > 0 && run.files.some((file) => file.results.length > 0)) lines.push('', `States no test reaches: ${run.unreached.join(', ')}`);
  // Tests that ran, and apart from them the files that could not run (no "1 test" when there is none).
  const results = run.files.flatMap((file) => file.results);
  const passed = results.filter((result) => result.passed).length;
  const broken = run.files.filter((file) => file.errors.length > 0).length;
  const unrun = broken > 0 ? `; ${broken} tests file${broken === 1 ? '' : 's'} could not run` : '';
  lines.push('', `${results.length} test${results.length === 1 ? '' : 's'}: ${passed} passed, ${results.length - passed} failed${unrun} (${run.durationMs.toFixed(0)} ms)`);
  return `${lines.join('\n')}\n`;
}

function tapReport(run: TestRun): string {
  const lines = ['TAP version 13'];
  let n = 0;
  for (const file of run.files) {
    if (file.errors.length > 0) {
      lines.push(`not ok ${++n} - ${tapText(file.file)} cannot run`, '  ---', ...yamlBlock('errors', fileErrorLines(file)), '  ...');
    }
    for (const result of file.results) {
      lines.push(`${result.passed ? 'ok' : 'not ok'} ${++n} - ${tapText(`${file.file}: ${result.name}`)}`);
      const failure = result.failure;
      if (failure) {
        lines.push('  ---', `  message: ${JSON.stringify(failure.reason)}`, `  turn: ${failure.turn + 1}`);
        if (failure.state !== undefined) lines.push(`  state: ${JSON.stringify(failure.state)}`);
        lines.push(`  expected: ${JSON.stringify(failure.expected)}`, `  said: ${JSON.stringify(failure.said)}`, '  ...');
      }
    }
  }
  lines.push(`1..${n}`);
  return `${lines.join('\n')}\n`;
}

/** TAP descriptions end at a line break and treat `#` as a directive. */
function tapText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/#/g, '\\#');
}

function yamlBlock(key: string, lines: string[]): string[] {
  return [`  ${key}:`, ...lines.map((line) => `    - ${JSON.stringify(line)}`)];
}

function junitReport(run: TestRun): string {
  const { passed, failed } = countRun(run);
  const seconds = (run.durationMs / 1000).toFixed(3);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="${xml(`bot-assistant test ${run.flow}`)}" tests="${passed + failed}" failures="${failed}" errors="0" time="${seconds}">`];
  for (const file of run.files) {
    const fileFailures = file.results.filter((r) => !r.passed).length + (file.errors.length > 0 ? 1 : 0);
    const count = file.results.length + (file.errors.length > 0 ? 1 : 0);
    out.push(`  <testsuite name="${xml(file.file)}" tests="${count}" failures="${fileFailures}" errors="0">`);
    if (file.errors.length > 0) {
      const text = fileErrorLines(file).join('\n');
      out.push(`    <testcase classname="${xml(file.file)}" name="the tests file is valid">`, `      <failure message="${xml(file.errors[0].message)}">${xml(text)}</failure>`, '    </testcase>');
    }
    for (const result of file.results) {
      const open = `    <testcase classname="${xml(file.file)}" name="${xml(result.name)}"`;
      if (result.passed) {
        out.push(`${open}/>`);
        continue;
      }
      const f = result.failure!;
      const body = [f.reason, `expected: ${f.expected}`, `said:     ${f.said}`, ...(f.state === undefined ? [] : [`state:    ${f.state}`])].join('\n');
      out.push(`${open}>`, `      <failure message="${xml(f.reason)}" type="turn ${f.turn + 1}">${xml(body)}</failure>`, '    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

/**
 * Text as XML character data or an attribute value: the five specials escaped, line breaks kept
 * as references inside attributes, and characters XML 1.0 cannot hold at all dropped.
 */
export function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
