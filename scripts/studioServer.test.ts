import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../runtime/server/logger.ts';
import { WsTestClient } from '../runtime/testing/wsTestClient.ts';
import { startStudio, type RunningStudio } from './studioServer.ts';

const flowSaying = (content: string) => `{\n    "hello": {\n        "sendRequest": {\n            "kind": "BotText",\n            "content": "${content}"\n        }\n    }\n}\n`;
const BROKEN = '{\n    "hello": {\n        "next": "nowhere"\n    }\n}\n';

let root: string;
let workspace: string;
let studio: RunningStudio | undefined;
let warnings: string[];
const logger: Logger = { info: () => {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };

async function launch(files: Record<string, string>): Promise<RunningStudio> {
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(workspace, name), text);
  studio = await startStudio({ workspace, port: 0, dataDir: path.join(root, 'data'), build: false, logger });
  return studio;
}

async function api(s: RunningStudio, method: string, apiPath: string, body?: unknown): Promise<Response> {
  return fetch(`http://127.0.0.1:${s.runtime.port}/studio/api/${apiPath}`, {
    method,
    headers: { 'X-Studio-Token': s.token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** What a brand-new visitor's bot says first. */
async function greeting(s: RunningStudio): Promise<unknown> {
  const client = await WsTestClient.connect(s.runtime.url);
  try {
    return (await client.next()).content;
  } finally {
    await client.close();
  }
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'studio-server-'));
  workspace = path.join(root, 'workspace');
  await mkdir(workspace);
  warnings = [];
});

afterEach(async () => {
  await studio?.close();
  studio = undefined;
  await rm(root, { recursive: true, force: true });
});

describe('startStudio', () => {
  it('runs the first flow of the workspace and hot-reloads it when the studio saves it', async () => {
    const s = await launch({ 'a.json': flowSaying('v1'), 'b.json': flowSaying('other') });
    expect(s.url).toBe(`http://127.0.0.1:${s.runtime.port}/studio/?token=${s.token}`);
    expect(s.runningFlow()).toBe('a.json');
    expect(await greeting(s)).toBe('v1');

    expect((await api(s, 'PUT', 'flow', { ref: 'a.json', text: flowSaying('v2'), layout: null, baseVersion: null })).status).toBe(200);
    expect(await greeting(s)).toBe('v2');

    // Another file saved: the bot keeps running a.json.
    await api(s, 'PUT', 'flow', { ref: 'b.json', text: flowSaying('b2'), layout: null, baseVersion: null });
    expect(await greeting(s)).toBe('v2');
  });

  it('saves a broken version but keeps running the last valid one, and says why', async () => {
    const s = await launch({ 'a.json': flowSaying('v1') });
    expect((await api(s, 'PUT', 'flow', { ref: 'a.json', text: BROKEN, layout: null, baseVersion: null })).status).toBe(200);
    expect(await greeting(s)).toBe('v1');
    expect(warnings.join('\n')).toMatch(/Saved a\.json, but the bot keeps running the previous version:.*nowhere/s);
  });

  it('follows a rename of the running flow', async () => {
    const s = await launch({ 'a.json': flowSaying('v1') });
    await api(s, 'POST', 'flow/rename', { ref: 'a.json', newName: 'c.json' });
    expect(s.runningFlow()).toBe('c.json');
    await api(s, 'PUT', 'flow', { ref: 'c.json', text: flowSaying('v3'), layout: null, baseVersion: null });
    expect(await greeting(s)).toBe('v3');
  });

  it('starts without a flow when the first one is invalid, and runs the first valid save', async () => {
    const s = await launch({ 'a.json': BROKEN });
    expect(s.runningFlow()).toBeNull();
    expect(warnings.join('\n')).toContain('Not running a.json');
    await api(s, 'POST', 'flows', { name: 'fixed.json', text: flowSaying('fixed') });
    expect(s.runningFlow()).toBe('fixed.json');
    expect(await greeting(s)).toBe('fixed');
  });

  it('says clearly when the workspace does not exist', async () => {
    await expect(startStudio({ workspace: path.join(root, 'missing'), port: 0, build: false })).rejects.toThrow(
      /The studio workspace .*missing does not exist/,
    );
  });
});
