/**
 * The studio host's file API over a real workspace: list, open, save (byte for byte, with the
 * layout sidecar, refusing stale versions), create, rename and delete flows with their sidecars and tests.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLOW, studioHostPerTest } from '../testing/studioHostFixture.ts';

const studio = studioHostPerTest();

describe('studio host API: files', () => {
  it('lists the workspace flows, not sidecars, hidden or other files', async () => {
    const reply = await studio.request('GET', '/studio/api/flows');
    expect(reply.status).toBe(200);
    expect(reply.json.flows.map((f: { ref: string }) => f.ref)).toEqual(['a.json', 'more/b.json']);
    expect(reply.json.flows[0].displayName).toBe('a.json');
    expect(reply.json.flows[0].modifiedMs).toBeGreaterThan(0);
  });

  it('opens a flow with its sidecar, or a null layout without one', async () => {
    const a = await studio.request('GET', '/studio/api/flow?ref=a.json');
    expect(a.status).toBe(200);
    expect(a.json).toEqual({ ref: 'a.json', displayName: 'a.json', text: FLOW, layout: { positions: { start: { x: 1, y: 2 } } }, version: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const b = await studio.request('GET', `/studio/api/flow?ref=${encodeURIComponent('more/b.json')}`);
    expect(b.json.layout).toBeNull();
    const missing = await studio.request('GET', '/studio/api/flow?ref=nope.json');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toContain('"nope.json" does not exist');
  });

  it('reads and writes the conversation tests beside a flow, refusing an invalid tests file, and never lists it as a flow', async () => {
    expect((await studio.request('GET', '/studio/api/flow/tests?ref=a.json')).json).toEqual({ text: null });
    const text = '{\n    "tests": [\n        { "name": "hi", "turns": [ { "bot": [ { "kind": "BotText", "content": "Hi" } ] } ] }\n    ]\n}\n';
    expect((await studio.request('PUT', '/studio/api/flow/tests', { body: { ref: 'a.json', text } })).status).toBe(200);
    expect(await readFile(path.join(studio.workspace, 'a.tests.json'), 'utf8')).toBe(text);
    expect((await studio.request('GET', '/studio/api/flow/tests?ref=a.json')).json).toEqual({ text });
    const bad = await studio.request('PUT', '/studio/api/flow/tests', { body: { ref: 'a.json', text: '{ "tests": [ { "name": 1 } ] }' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/^Not saved: a\.tests\.json would not be a valid tests file \(line 1, column 14\): tests\[0\] has no "turns": add it\./);
    expect(await readFile(path.join(studio.workspace, 'a.tests.json'), 'utf8')).toBe(text);
    const outsideRef = await studio.request('PUT', '/studio/api/flow/tests', { body: { ref: '../secret.json', text } });
    expect(outsideRef.status).toBe(403);
    expect((await studio.request('GET', '/studio/api/flow?ref=a.tests.json')).json.error).toContain('is a conversation tests file, not a flow');
    expect((await studio.request('GET', '/studio/api/flows')).json.flows.map((f: { ref: string }) => f.ref)).toEqual(['a.json', 'more/b.json']);
  });

  it('reports a broken sidecar with its name and how to fix it', async () => {
    await writeFile(path.join(studio.workspace, 'a.layout.json'), '{"positions": ');
    const reply = await studio.request('GET', '/studio/api/flow?ref=a.json');
    expect(reply.status).toBe(422);
    expect(reply.json.error).toMatch(/a\.layout\.json is not valid JSON.*delete it/);
  });

  it('saves the text byte for byte and the layout to the sidecar, leaving no temp files', async () => {
    const text = '{\r\n\t"héllo 👋": {"next": "x"}}';
    const layout = { positions: { 'héllo 👋': { x: 10.5, y: -3 } }, viewport: { x: 0, y: 0, zoom: 1.25 } };
    const reply = await studio.request('PUT', '/studio/api/flow', { body: { ref: 'a.json', text, layout } });
    expect(reply.status).toBe(200);
    expect(await readFile(path.join(studio.workspace, 'a.json'), 'utf8')).toBe(text);
    const sidecar = await readFile(path.join(studio.workspace, 'a.layout.json'), 'utf8');
    expect(JSON.parse(sidecar)).toEqual(layout);
    expect(sidecar).toContain('\n    "positions"');
    expect((await readdir(studio.workspace)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a save based on a version that changed, writes nothing, and says so (issue 10 item 7)', async () => {
    const opened = await studio.request('GET', '/studio/api/flow?ref=a.json');
    expect(opened.json.version).toMatch(/^[0-9a-f]{32}$/);
    const first = await studio.request('PUT', '/studio/api/flow', { body: { ref: 'a.json', text: '{"first": {}}', layout: { positions: {} }, baseVersion: opened.json.version } });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ ok: true, version: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(first.json.version).not.toBe(opened.json.version);
    const second = await studio.request('PUT', '/studio/api/flow', { body: { ref: 'a.json', text: '{"second": {}}', layout: null, baseVersion: opened.json.version } });
    expect(second.status).toBe(409);
    expect(second.json).toEqual({ error: 'a.json changed on disk since it was opened; nothing was saved.', conflict: { version: first.json.version, exists: true } });
    expect(await readFile(path.join(studio.workspace, 'a.json'), 'utf8')).toBe('{"first": {}}');
    expect(await readFile(path.join(studio.workspace, 'a.layout.json'), 'utf8')).toBe('{\n    "positions": {}\n}\n');
    // What open reports is what a save checks: the version after the first save opens the same.
    expect((await studio.request('GET', '/studio/api/flow?ref=a.json')).json.version).toBe(first.json.version);
    const missing = await studio.request('PUT', '/studio/api/flow', { rawBody: JSON.stringify({ ref: 'a.json', text: 'x', layout: null }) });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toContain('"baseVersion" is missing');
    const junk = await studio.request('PUT', '/studio/api/flow', { body: { ref: 'a.json', text: 'x', layout: null, baseVersion: 7 } });
    expect(junk.status).toBe(400);
    await rm(path.join(studio.workspace, 'a.json'));
    const deleted = await studio.request('PUT', '/studio/api/flow', { body: { ref: 'a.json', text: 'x', layout: null, baseVersion: first.json.version } });
    expect(deleted.status).toBe(409);
    expect(deleted.json.conflict.exists).toBe(false);
  });

  it('writes the flow and its layout as one unit: 40 concurrent saves never leave a mixed pair (issue 10 item 7)', async () => {
    for (let round = 0; round < 5; round++) {
      const { version } = (await studio.request('GET', '/studio/api/flow?ref=a.json')).json;
      const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => studio.request('PUT', '/studio/api/flow', {
        body: { ref: 'a.json', text: `{"save${i}": {}}`, layout: { positions: { [`save${i}`]: { x: i, y: round } } }, baseVersion: i % 2 === 0 ? null : version },
      })));
      const flow = JSON.parse(await readFile(path.join(studio.workspace, 'a.json'), 'utf8'));
      const layout = JSON.parse(await readFile(path.join(studio.workspace, 'a.layout.json'), 'utf8'));
      expect(Object.keys(layout.positions)).toEqual(Object.keys(flow));
      const basedOnOpened = replies.filter((_, i) => i % 2 === 1);
      expect(basedOnOpened.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
      expect(basedOnOpened.every((r) => r.status === 200 || r.status === 409)).toBe(true);
      expect(replies.filter((_, i) => i % 2 === 0).every((r) => r.status === 200)).toBe(true);
    }
  });

  it('removes the sidecar when saving with a null layout', async () => {
    await studio.request('PUT', '/studio/api/flow', { body: { ref: 'a.json', text: '{}', layout: null } });
    expect((await readdir(studio.workspace)).includes('a.layout.json')).toBe(false);
  });

  it('rejects a malformed layout without touching the files', async () => {
    const reply = await studio.request('PUT', '/studio/api/flow', {
      body: { ref: 'a.json', text: '{}', layout: { positions: { start: { x: 'left', y: 0 } } } },
    });
    expect(reply.status).toBe(422);
    expect(reply.json.error).toContain('positions.start');
    expect(await readFile(path.join(studio.workspace, 'a.json'), 'utf8')).toBe(FLOW);
  });

  it('creates a flow and refuses to overwrite an existing one', async () => {
    const created = await studio.request('POST', '/studio/api/flows', { body: { name: 'new.json', text: '{"s": {}}' } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ ref: 'new.json' });
    expect(await readFile(path.join(studio.workspace, 'new.json'), 'utf8')).toBe('{"s": {}}');
    const again = await studio.request('POST', '/studio/api/flows', { body: { name: 'a.json', text: 'x' } });
    expect(again.status).toBe(409);
    expect(again.json.error).toContain('already exists');
    expect(await readFile(path.join(studio.workspace, 'a.json'), 'utf8')).toBe(FLOW);
  });

  it('renames a flow with its sidecar and never replaces an existing file', async () => {
    const renamed = await studio.request('POST', '/studio/api/flow/rename', { body: { ref: 'a.json', newName: 'more/c.json' } });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toEqual({ ref: 'more/c.json' });
    expect((await readdir(studio.workspace)).filter((n) => n.startsWith('a.'))).toEqual([]);
    expect(await readFile(path.join(studio.workspace, 'more', 'c.json'), 'utf8')).toBe(FLOW);
    expect(JSON.parse(await readFile(path.join(studio.workspace, 'more', 'c.layout.json'), 'utf8')).positions.start).toEqual({ x: 1, y: 2 });

    const clash = await studio.request('POST', '/studio/api/flow/rename', { body: { ref: 'more/c.json', newName: 'more/b.json' } });
    expect(clash.status).toBe(409);
    expect(await readFile(path.join(studio.workspace, 'more', 'b.json'), 'utf8')).toBe('{}');
    expect(await readFile(path.join(studio.workspace, 'more', 'c.json'), 'utf8')).toBe(FLOW);
  });

  it('renames and deletes a flow with its tests, and refuses a rename that would replace another flow\'s tests', async () => {
    const tests = '{\n    "tests": []\n}\n';
    await writeFile(path.join(studio.workspace, 'a.tests.json'), tests);
    await writeFile(path.join(studio.workspace, 'more', 'd.tests.json'), tests);
    const clash = await studio.request('POST', '/studio/api/flow/rename', { body: { ref: 'a.json', newName: 'more/d.json' } });
    expect(clash.status).toBe(409);
    expect(clash.json.error).toBe('Cannot rename to "more/d.json": its tests file d.tests.json already exists.');
    expect((await readdir(studio.workspace)).filter((n) => n.startsWith('a.')).sort()).toEqual(['a.json', 'a.layout.json', 'a.tests.json']);
    expect((await studio.request('POST', '/studio/api/flow/rename', { body: { ref: 'a.json', newName: 'e.json' } })).status).toBe(200);
    expect((await readdir(studio.workspace)).filter((n) => /^[ae]\./.test(n)).sort()).toEqual(['e.json', 'e.layout.json', 'e.tests.json']);
    expect((await studio.request('GET', '/studio/api/flow/tests?ref=e.json')).json).toEqual({ text: tests });
    expect((await studio.request('DELETE', '/studio/api/flow?ref=e.json')).status).toBe(200);
    expect((await readdir(studio.workspace)).filter((n) => n.startsWith('e.'))).toEqual([]);
  });

  it('deletes a flow with its sidecar', async () => {
    const reply = await studio.request('DELETE', '/studio/api/flow?ref=a.json');
    expect(reply.status).toBe(200);
    expect((await readdir(studio.workspace)).filter((n) => n.startsWith('a.'))).toEqual([]);
    expect((await studio.request('DELETE', '/studio/api/flow?ref=a.json')).status).toBe(404);
  });
});
