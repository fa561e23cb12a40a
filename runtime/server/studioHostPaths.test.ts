/**
 * The studio host refuses every path that leaves the workspace: traversal, NUL bytes, sidecars,
 * hidden files and symlinks that lead outside.
 */
import { readdir, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FLOW, startStudioHostFixture, type StudioHostFixture, type StudioRequest } from '../testing/studioHostFixture.ts';

let fixture: StudioHostFixture;
let root: string;
let workspace: string;
let outside: string;
let request: StudioRequest;

beforeEach(async () => {
  fixture = await startStudioHostFixture();
  ({ root, workspace, outside, request } = fixture);
});

afterEach(() => fixture.close());

describe('studio host API: paths outside the workspace are refused', () => {
  const outsideRefs = ['../secret.json', '../outside/secret.json', 'more/../../secret.json', '/etc/passwd.json', `${'/'}tmp/x.json`];
  for (const ref of outsideRefs) {
    it(`refuses to read ${ref}`, async () => {
      const reply = await request('GET', `/studio/api/flow?ref=${encodeURIComponent(ref)}`);
      expect(reply.status).toBe(403);
      expect(reply.json.error).toContain('path is outside the workspace');
    });
  }

  it('refuses percent-encoded traversal in the query', async () => {
    const reply = await request('GET', '/studio/api/flow?ref=%2e%2e%2fsecret.json');
    expect(reply.status).toBe(403);
    expect(reply.json.error).toContain('path is outside the workspace');
  });

  it('refuses traversal when writing, creating, renaming and deleting', async () => {
    const save = await request('PUT', '/studio/api/flow', { body: { ref: '../evil.json', text: 'x', layout: null } });
    const create = await request('POST', '/studio/api/flows', { body: { name: '../evil.json', text: 'x' } });
    const renameFrom = await request('POST', '/studio/api/flow/rename', { body: { ref: '../secret.json', newName: 'stolen.json' } });
    const renameTo = await request('POST', '/studio/api/flow/rename', { body: { ref: 'a.json', newName: '../outside/a.json' } });
    const remove = await request('DELETE', `/studio/api/flow?ref=${encodeURIComponent('../secret.json')}`);
    for (const reply of [save, create, renameFrom, renameTo, remove]) {
      expect(reply.status).toBe(403);
      expect(reply.json.error).toContain('path is outside the workspace');
    }
    expect((await readdir(root)).sort()).toEqual(['outside', 'secret.json', 'static', 'workspace']);
    expect(await readFile(path.join(root, 'secret.json'), 'utf8')).toBe('{"secret": true}');
    expect(await readFile(path.join(workspace, 'a.json'), 'utf8')).toBe(FLOW);
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
      const reply = await request('GET', `/studio/api/flow?ref=${ref.includes('%') ? ref : encodeURIComponent(ref)}`);
      expect({ ref, status: reply.status }).toEqual({ ref, status });
      expect(reply.json.error).toContain(message);
    }
  });

  it('refuses symlinks that lead outside, for files and folders, and dangling ones', async () => {
    await symlink(path.join(outside, 'secret.json'), path.join(workspace, 'link.json'));
    await symlink(outside, path.join(workspace, 'linkdir'));
    await symlink(path.join(outside, 'not-yet.json'), path.join(workspace, 'dangling.json'));
    const read = await request('GET', '/studio/api/flow?ref=link.json');
    const readDir = await request('GET', '/studio/api/flow?ref=linkdir/secret.json');
    const save = await request('PUT', '/studio/api/flow', { body: { ref: 'link.json', text: 'owned', layout: null } });
    const createInDir = await request('POST', '/studio/api/flows', { body: { name: 'linkdir/new.json', text: 'owned' } });
    const saveDangling = await request('PUT', '/studio/api/flow', { body: { ref: 'dangling.json', text: 'owned', layout: null } });
    for (const reply of [read, readDir, save, createInDir, saveDangling]) {
      expect(reply.status).toBe(403);
      expect(reply.json.error).toContain('path is outside the workspace');
    }
    expect((await readdir(outside)).sort()).toEqual(['secret.json']);
    expect(await readFile(path.join(outside, 'secret.json'), 'utf8')).toBe('{"secret": true}');
    const listed = await request('GET', '/studio/api/flows');
    expect(listed.json.flows.map((f: { ref: string }) => f.ref)).toEqual(['a.json', 'more/b.json']);
  });

  it('allows symlinks that stay inside the workspace', async () => {
    await symlink(path.join(workspace, 'more'), path.join(workspace, 'alias'));
    const reply = await request('GET', '/studio/api/flow?ref=alias/b.json');
    expect(reply.status).toBe(200);
    expect(reply.json.text).toBe('{}');
  });
});
