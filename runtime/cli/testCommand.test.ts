import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFlow } from '../flow/compileFlow.ts';
import { checkFlowText } from '../flow/checkFlowText.ts';
import { flowHash } from '../flow/flowHash.ts';
import { emptyPending } from '../flow/pendingState.ts';
import { stepSession } from '../flow/stepSession.ts';
import { sendersOf } from '../history/replaySession.ts';
import { openEmbeddedLog } from '../stream/EmbeddedLog.ts';
import type { StreamRecord } from '../stream/messageStream.ts';
import { report } from './testReporters.ts';

const bin = fileURLToPath(new URL('../bot-assistant.mjs', import.meta.url));
const samples = fileURLToPath(new URL('../../state-machines/', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'test-command-'));
const flowFile = join(root, 'bot.json');
const articleText = readFileSync(join(samples, 'bot-assistant.json'), 'utf8');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'test', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The article flow with the final thanks reworded: the sample's first test fails on it. */
const reworded = articleText.replace('"Great, thanks!"', '"Bye & <see you>"');

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses with saxes, a strict well-formedness checker: any error fails the test. */
function parseXml(text: string): XmlElement {
  const parser = new SaxesParser();
  const stack: XmlElement[] = [{ name: '#document', attributes: {}, children: [], text: '' }];
  const errors: string[] = [];
  parser.on('error', (error) => errors.push(error.message));
  parser.on('opentag', (tag) => {
    const element = { name: tag.name, attributes: tag.attributes as Record<string, string>, children: [], text: '' };
    stack[stack.length - 1].children.push(element);
    stack.push(element);
  });
  parser.on('closetag', () => void stack.pop());
  parser.on('text', (chunk) => (stack[stack.length - 1].text += chunk));
  parser.write(text).close();
  if (errors.length > 0) throw new Error(`not well-formed XML: ${errors.join('; ')}`);
  return stack[0];
}

function elements(root: XmlElement, name: string): XmlElement[] {
  return root.children.flatMap((child) => [...(child.name === name ? [child] : []), ...elements(child, name)]);
}

beforeAll(() => {
  writeFileSync(flowFile, articleText);
  copyFileSync(join(samples, 'bot-assistant.tests.json'), join(root, 'bot.tests.json'));
});

describe('bot-assistant test', () => {
  it('runs <flow>.tests.json beside the flow and exits 0 when every test passes', async () => {
    const result = await cli([flowFile]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✓ Rust fans are asked for more, then thanked');
    expect(result.stdout).toContain('2 tests: 2 passed, 0 failed');
    expect(result.stdout).toContain('States no test reaches: langChoiceGo');
  });

  it('exits 1 and prints the failing step, what was expected and what the bot said', async () => {
    const draft = join(root, 'draft.json');
    writeFileSync(draft, reworded);
    const result = await cli([draft, join(root, 'bot.tests.json')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ Rust fans are asked for more, then thanked');
    expect(result.stdout).toContain('Turn 3 (pick "No"), bot message 1 (state "done")');
    expect(result.stdout).toContain('expected: text containing "thanks"');
    expect(result.stdout).toContain('said:     text "Bye & <see you>"');
    expect(result.stdout).toContain('2 tests: 1 passed, 1 failed');
  });

  it('writes JUnit XML that a real XML parser reads, with one failure element per failing test', async () => {
    const draft = join(root, 'draft-junit.json');
    writeFileSync(draft, reworded);
    const result = await cli([draft, join(root, 'bot.tests.json'), '--reporter', 'junit']);
    expect(result.code).toBe(1);
    const document = parseXml(result.stdout);
    const [suites] = elements(document, 'testsuites');
    expect([suites.attributes.tests, suites.attributes.failures]).toEqual(['2', '1']);
    const cases = elements(document, 'testcase');
    expect(cases.map((c) => c.attributes.name)).toEqual(['Rust fans are asked for more, then thanked', 'Other languages are typed into a chat box']);
    const [failure] = elements(cases[0], 'failure');
    expect(failure.attributes.message).toBe('Turn 3 (pick "No"), bot message 1 (state "done"): expected text containing "thanks", the bot said text "Bye & <see you>".');
    expect(failure.text).toContain('said:     text "Bye & <see you>"');
    expect(elements(cases[1], 'failure')).toEqual([]);
  });

  it('keeps the JUnit XML well-formed whatever the names and texts hold', () => {
    const name = 'a "quoted" <name> & ]]> \u0001\u0008 control, tab\t, line\nbreak, emoji 😀';
    const failure = { turn: 0, expected: '<x>', said: "it's & \u001f", reason: name };
    const xml = report({ flow: 'f&.json', files: [{ file: '<t>.json', errors: [], results: [{ name, passed: false, failure, visited: [], answers: [] }] }], unreached: [], durationMs: 1 }, 'junit');
    const [testcase] = elements(parseXml(xml), 'testcase');
    expect(testcase.attributes.name).toBe('a "quoted" <name> & ]]>  control, tab\t, line\nbreak, emoji 😀');
    expect(elements(testcase, 'failure')[0].text).toContain("said:     it's & ");
  });

  it('reports a tests file that does not parse, with its line, as a failure in every reporter', async () => {
    const bad = join(root, 'bad.tests.json');
    writeFileSync(bad, '{\n    "tests": [\n        { "name": "x", "turns": [ { "pick": 1, "bot": [] } ] }\n    ]\n}\n');
    const text = await cli([flowFile, bad]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`${bad}:3:45: tests[0].turns[0].pick must be a string.`);
    const junit = await cli([flowFile, bad, '--reporter', 'junit']);
    expect(junit.code).toBe(1);
    expect(elements(parseXml(junit.stdout), 'failure')[0].attributes.message).toBe('tests[0].turns[0].pick must be a string.');
    const tap = await cli([flowFile, bad, join(root, 'bot.tests.json'), '--reporter', 'tap']);
    expect(tap.stdout.split('\n').filter((line) => /^(not )?ok /.test(line))).toEqual([
      `not ok 1 - ${bad} cannot run`,
      `ok 2 - ${join(root, 'bot.tests.json')}: Rust fans are asked for more, then thanked`,
      `ok 3 - ${join(root, 'bot.tests.json')}: Other languages are typed into a chat box`,
    ]);
    expect(tap.stdout).toContain('1..3');
  });

  it('prints JSON with each result and the counts', async () => {
    const result = await cli([flowFile, '--reporter', 'json']);
    const parsed = JSON.parse(result.stdout);
    expect(parsed).toMatchObject({ passed: 2, failed: 0, unreached: ['langChoiceGo'] });
    expect(parsed.files[0].results[0]).toMatchObject({ name: 'Rust fans are asked for more, then thanked', passed: true });
  });

  it('exits 1 with a clear line for a missing tests file or a flow that does not parse, and 2 on usage errors', async () => {
    const lonely = join(root, 'lonely.json');
    writeFileSync(lonely, articleText);
    const missing = await cli([lonely]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('no tests file beside the flow (looked for');
    expect(missing.stdout).toMatch(/^0 tests: 0 passed, 0 failed; 1 tests file could not run \(\d+ ms\)$/m);
    const testsGiven = await cli([join(root, 'lonely.tests.json')]);
    expect(testsGiven.code).toBe(2);
    expect(testsGiven.stderr).toContain(`lonely.tests.json is a tests file: give its flow (bot-assistant test ${join(root, 'lonely.json')}), and the tests beside it run`);
    const broken = join(root, 'broken.json');
    writeFileSync(broken, '{ "a": ');
    const unparsable = await cli([broken]);
    expect(unparsable.code).toBe(1);
    expect(unparsable.stderr).toMatch(/^bot-assistant test: the flow .*broken\.json does not parse \(line 1, column 8\)/);
    for (const args of [[], [flowFile, '--reporter', 'xml'], [flowFile, '--since', '2024-01-01'], [flowFile, '--bogus']]) {
      const usage = await cli(args);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('Usage: bot-assistant test');
    }
  });
});

describe('bot-assistant test --replay-sessions', () => {
  const dataDir = join(root, 'data');
  const compiled = compileFlow(checkFlowText(articleText).flow!);
  const hash = flowHash(checkFlowText(articleText).flow!);

  /** A visitor's session recorded as the runtime records it: the start marker, tagged requests, answers. */
  function session(sid: string, day: string, answers: object[], preview = false): StreamRecord[] {
    const records: StreamRecord[] = [];
    let pending = emptyPending();
    let second = 10;
    const events = [null, ...answers];
    for (const answer of events) {
      const timestamp = `${day}T10:00:${second++}.000`;
      const step = stepSession(compiled, pending, answer === null ? { kind: 'start' } : { kind: 'response', response: answer as { kind: string } });
      if (!step.ok) throw new Error(step.message);
      records.push(answer === null ? { sid, timestamp, flowHash: hash, ...(preview ? { preview: true } : {}) } : { sid, payload: { kind: 'Response', message: answer as { kind: string } }, timestamp });
      const senders = sendersOf(compiled, step.visited);
      step.requests.forEach((message, i) => records.push({ sid, payload: { kind: 'Request', message }, timestamp, state: senders[i] }));
      pending = step.pending;
    }
    return records;
  }
  const pick = (groupId: string, itemId: string) => ({ kind: 'ChoiceResponse', groupId, itemId });

  beforeAll(async () => {
    const log = await openEmbeddedLog({ dir: dataDir, logger: { info: () => {}, warn: () => {} } });
    await log.append([
      ...session('go-1', '2024-05-01', [pick('lang', 'go'), pick('others', 'no')]),
      ...session('go-2', '2024-05-03', [pick('lang', 'go')]),
      ...session('rust-1', '2024-05-02', [pick('lang', 'rust'), pick('others', 'no')]),
      ...session('other-1', '2024-05-04', [pick('lang', 'other'), { kind: 'UserText', sessionId: 'langPreference', content: 'Zig' }]),
      ...session('preview-go', '2024-05-04', [pick('lang', 'go')], true),
    ]);
    await log.close();
  });

  it('says every session goes the same way under the flow they were recorded on', async () => {
    const result = await cli([flowFile, '--replay-sessions', '--data-dir', dataDir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Replayed 4 recorded sessions');
    expect(result.stdout).toContain('Every one goes the same way');
  });

  it('counts the sessions a draft would route another way, grouped by where they split, and honours --since', async () => {
    const draft = join(root, 'rerouted.json');
    const flow = JSON.parse(articleText);
    flow.langChoiceGo.next = 'done';
    writeFileSync(draft, JSON.stringify(flow, null, 4));
    const result = await cli([draft, '--replay-sessions', '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('2 would now go another way:');
    expect(result.stdout).toMatch(/2 × at answer 1: The draft sends from done, not from the states the recording names \(renamed or rerouted\)\.\n\s+e\.g\. go-1, go-2/);
    const json = JSON.parse((await cli([draft, '--replay-sessions', '--data-dir', dataDir, '--since', '2024-05-02', '--json'])).stdout);
    expect(json).toMatchObject({ sessions: 3, changed: 1, groups: [{ step: 1, count: 1, sids: ['go-2'] }] });
  });

  it('fails clearly without a log, and on a malformed --since', async () => {
    const none = await cli([flowFile, '--replay-sessions', '--data-dir', join(root, 'nowhere')]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('bot-assistant test: cannot open the recorded sessions');
    const since = await cli([flowFile, '--replay-sessions', '--data-dir', dataDir, '--since', 'May']);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('bot-assistant test: --since must be a date like 2024-05-01');
  });
});
