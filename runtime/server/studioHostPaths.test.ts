/**
 * The studio host refuses every path that leaves the workspace: traversal, NUL bytes, sidecars,
 * hidden files and symlinks that lead outside.
 */
import { readdir, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLOW, studioHostPerTest } from '../testing/studioHostFixture.ts';

const studio = studioHostPerTest();

describe('studio host API: paths outside the workspace are refused', () => {
  const outsideRefs = ['../secret.json', '../outside/secret.json', 'more/../../secret.json', '/etc/passwd.json', `${'/'}tmp/x.json`];
  for (const ref of outsideRefs) {
    it(`refuses to read ${ref}`, async () => {
      const reply = await studio.request('GET', `/studio/api/flow?ref=${encodeURIComponent(ref)}`);
      expect(reply.status).toBe(403);
      expect(reply.json.error).toContain('path is outside the workspace');
    });
  }

  it('refuses percent-encoded traversal in the query', async () => {
    const reply = await studio.request('GET', '/studio/api/flow?ref=%2e%2e%2fsecret.json');
    expect(reply.status).toBe(403);
    expect(reply.json.error).toContain('path is outside the workspace');
  });

  it('refuses traversal when writing, creating, renaming and deleting', async () => {
    const save = await studio.request('PUT', '/studio/api/flow', { body: { ref: '../evil.json', text: 'x', layout: null } });
    const create = await studio.request('POST', '/studio/api/flows', { body: { name: '../evil.json', text: 'x' } });
    const renameFrom = await studio.request('POST', '/studio/api/flow/rename', { body: { ref: '../secret.json', newName: 'stolen.json' } });
    const renameTo = await studio.request('POST', '/studio/api/flow/rename', { body: { ref: 'a.json', newName: '../outside/a.json' } });
    const remove = await studio.request('DELETE', `/studio/api/flow?ref=${encodeURIComponent('../secret.json')}`);
    for (const reply of [save, create, renameFrom, renameTo, remove]) {
      expect(reply.status).toBe(403);
      expect(reply.json.error).toContain('path is outside the workspace');
    }
    expect((await readdir(studio.root)).sort()).toEqual(['outside', 'secret.json', 'static', 'workspace']);
    expect(await readFile(path.join(studio.root, 'secret.json'), 'utf8')).toBe('{"secret": true}');
    expect(await readFile(path.join(studio.workspace, 'a.json'), 'utf8')).toBe(FLOW);
  });

  it('refuses NUL bytes, names not ending in .json, sidecars and hidden files', async () => {
    const cases: Array<[string, number, string]> = [
      ['a.json%00.txt', 400, 'NUL byte'],
      ['notes.txt', 400, 'must end in .json'],
      ['a.layout.json', 400, 'layout sidecar'],
      ['.hidden.json', 400, 'hidden'],
      ['more//b.json', 400, 'not a plain relative path'],
      ['more\\..\\..\\secret.json', 403, 'outside the workspace'],
    ];
    for (const [ref, status, message] of cases) {
      const reply = await studio.request('GET', `/studio/api/flow?ref=${ref.includes('%') ? ref : encodeURIComponent(ref)}`);
      expect({ ref, status: reply.status }).toEqual({ ref, status });
      expect(reply.json.error).toContain(message);
    }
  });

  it('refuses symlinks that lead outside, for files and folders, and dangling ones', async () => {
    await symlink(path.join(studio.outside, 'secret.json'), path.join(studio.workspace, 'link.json'));
    await symlink(studio.outside, path.join(studio.workspace, 'linkdir'));
    await symlink(path.join(studio.outside, 'not-yet.json'), path.join(studio.workspace, 'dangling.json'));
    const read = await studio.request('GET', '/studio/api/flow?ref=link.json');
    const readDir = await studio.request('GET', '/studio/api/flow?ref=linkdir/secret.json');
    const save = await studio.request('PUT', '/studio/api/flow', { body: { ref: 'link.json', text: 'owned', layout: null } });
    const createInDir = await studio.request('POST', '/studio/api/flows', { body: { name: 'linkdir/new.json', text: 'owned' } });
    const saveDangling = await studio.request('PUT', '/studio/api/flow', { body: { ref: 'dangling.json', text: 'owned', layout: null } });
    for (const reply of [read, readDir, save, createInDir, saveDangling]) {
      expect(reply.status).toBe(403);
      expect(reply.json.error).toContain('path is outside the workspace');
    }
    expect((await readdir(studio.outside)).sort()).toEqual(['secret.json']);
    expect(await readFile(path.join(studio.outside, 'secret.json'), 'utf8')).toBe('{"secret": true}');
    const listed = await studio.request('GET', '/studio/api/flows');
    expect(listed.json.flows.map((f: { ref: string }) => f.ref)).toEqual(['a.json', 'more/b.json']);
  });

  it('allows symlinks that stay inside the workspace', async () => {
    await symlink(path.join(studio.workspace, 'more'), path.join(studio.workspace, 'alias'));
    const reply = await studio.request('GET', '/studio/api/flow?ref=alias/b.json');
    expect(reply.status).toBe(200);
    expect(reply.json.text).toBe('{}');
  });
});
