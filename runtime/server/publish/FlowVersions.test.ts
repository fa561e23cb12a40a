import { mkdtemp, readdir, readFile, rm, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flowHash } from '../../flow/flowHash.ts';
import { parseFlow } from '../../flow/parseFlow.ts';
import { FlowVersions } from './FlowVersions.ts';

const V1 = '{\n    "hello": { "sendRequest": { "kind": "BotText", "content": "Hi" } }\n}\n';
const V2 = '{\n    "hello": { "sendRequest": { "kind": "BotText", "content": "Hello there" } }\n}\n';
const hashOf = (text: string) => flowHash(parseFlow(text).flow!);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flow-versions-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FlowVersions', () => {
  it('keeps each version by its hash, byte for byte, and loads it compiled', async () => {
    const versions = await FlowVersions.open(dir);
    await versions.save(V1, hashOf(V1));
    await versions.save(V1, hashOf(V1)); // idempotent
    expect(await readFile(path.join(dir, `${hashOf(V1)}.json`), 'utf8')).toBe(V1);
    const compiled = await versions.load(hashOf(V1));
    expect(compiled?.initial).toBe('hello');
    expect(await versions.load('0000000000000000')).toBeUndefined();
    expect(await versions.read('../../etc/passwd')).toBeUndefined();
  });

  it('refuses to load a kept file whose content no longer matches its hash', async () => {
    const versions = await FlowVersions.open(dir);
    await versions.save(V2, hashOf(V1)); // a damaged store: wrong content under a name
    expect(await versions.load(hashOf(V1))).toBeUndefined();
  });

  it('keeps the publish log across reopening, skipping a line torn by a crash', async () => {
    const versions = await FlowVersions.open(dir);
    await versions.record({ hash: hashOf(V1), publishedAt: '2026-11-30T10:00:00.000Z', by: 'ana' });
    await versions.record({ hash: hashOf(V2), publishedAt: '2026-11-30T11:00:00.000Z', by: 'ci', rollback: true });
    await appendFile(path.join(dir, 'publishes.jsonl'), '{"hash":"12');
    const reopened = await FlowVersions.open(dir);
    expect(reopened.history()).toEqual([
      { hash: hashOf(V1), publishedAt: '2026-11-30T10:00:00.000Z', by: 'ana' },
      { hash: hashOf(V2), publishedAt: '2026-11-30T11:00:00.000Z', by: 'ci', rollback: true },
    ]);
  });

  it('drops versions no live session uses once their retention has passed, never the kept ones', async () => {
    const versions = await FlowVersions.open(dir);
    await versions.save(V1, hashOf(V1));
    await versions.save(V2, hashOf(V2));
    await versions.record({ hash: hashOf(V1), publishedAt: '2026-11-30T10:00:00.000Z', by: 'ana' });
    await versions.record({ hash: hashOf(V2), publishedAt: '2026-11-30T11:00:00.000Z', by: 'ana' });
    // retention boundary between the two publishes, V2 in use: nothing old enough and unused but V1
    expect(await versions.prune(new Set([hashOf(V2)]), Date.parse('2026-11-30T10:30:00.000Z'))).toEqual([hashOf(V1)]);
    expect(await versions.prune(new Set([hashOf(V2)]), Date.parse('2026-12-30T00:00:00.000Z'))).toEqual([]);
    expect((await readdir(dir)).filter((name) => name.endsWith('.json')).sort()).toEqual([`${hashOf(V2)}.json`]);
  });
});
