import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileService, layoutPathFor } from './fileService.ts';
import type { FileDialogs, FileServiceOptions } from './fileService.ts';
import { MAX_RECENT_FILES, loadRecentFiles } from './recentFiles.ts';
import { writeFileAtomic } from '../runtime/server/studio/writeFileAtomic.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'studio-files-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function fakeOsRecents() {
  const added: string[] = [];
  return { added, app: { addRecentDocument: (p: string) => void added.push(p), clearRecentDocuments: () => void added.push('(cleared)') } };
}

async function service(dialogs: Partial<FileDialogs> = {}, extra: Partial<FileServiceOptions> = {}) {
  const os = fakeOsRecents();
  const recentFiles = await loadRecentFiles(join(dir, 'recent.json'), os.app);
  const events: string[] = [];
  const trashed: string[] = [];
  const files = createFileService({
    dialogs: {
      showOpenDialog: dialogs.showOpenDialog ?? (async () => ({ canceled: true, filePaths: [] })),
      showSaveDialog: dialogs.showSaveDialog ?? (async () => ({ canceled: true })),
    },
    recentFiles,
    trashItem: async (path) => {
      trashed.push(path);
      await rm(path);
    },
    defaultFolder: join(dir, 'Flows'),
    onDocument: (ref) => void events.push(`document ${ref}`),
    onSaveAborted: () => void events.push('save aborted'),
    ...extra,
  });
  return { files, recentFiles, events, trashed, os };
}

describe('atomic writes', () => {
  it('replaces the file and leaves no temp file behind', async () => {
    const path = join(dir, 'a.json');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, 'two');
    expect(await readFile(path, 'utf8')).toBe('two');
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('creates a file only if the name is free', async () => {
    const path = join(dir, 'b.json');
    await writeFileAtomic(path, 'first', { exclusive: true });
    await expect(writeFileAtomic(path, 'second', { exclusive: true })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(path, 'utf8')).toBe('first');
    expect(await readdir(dir)).toEqual(['b.json']);
  });

  it('fails cleanly when the folder does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'c.json'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('dialogs', () => {
  it('returns null when the open dialog is cancelled, the path when confirmed', async () => {
    const path = join(dir, 'bot.json');
    let answer = { canceled: true, filePaths: [] as string[] };
    const seen: unknown[] = [];
    const { files } = await service({ showOpenDialog: async (options) => (seen.push(options), answer) });
    expect(await files.showOpenDialog()).toBeNull();
    answer = { canceled: false, filePaths: [path] };
    expect(await files.showOpenDialog()).toBe(path);
    expect(seen[0]).toMatchObject({ filters: [{ extensions: ['json'] }], properties: ['openFile'], defaultPath: join(dir, 'Flows') });
  });

  it('suggests a .json name in the save dialog and reports a cancelled save', async () => {
    const seen: Array<{ defaultPath?: string }> = [];
    let answer: { canceled: boolean; filePath?: string } = { canceled: true };
    const { files, events } = await service({ showSaveDialog: async (options) => (seen.push(options), answer) });
    expect(await files.showSaveDialog('welcome')).toBeNull();
    expect(seen[0].defaultPath).toBe(join(dir, 'Flows', 'welcome.json'));
    expect(events).toEqual(['save aborted']);
    answer = { canceled: false, filePath: join(dir, 'chosen') };
    expect(await files.showSaveDialog('welcome.json')).toBe(join(dir, 'chosen.json'));
  });
});

describe('saves that could lose changes (issue 10 item 7)', () => {
  it('refuses a save based on a version that is no longer on disk, and writes nothing', async () => {
    const path = join(dir, 'bot.json');
    await writeFile(path, '{"a": {}}');
    const { files, events } = await service();
    files.grant(path);
    const opened = await files.openFlow(path);
    const first = await files.saveFlow(path, '{"first": {}}', { positions: { first: { x: 1, y: 1 } } }, opened.version);
    expect(first.saved).toBe(true);
    // A second window (or the same one, unaware) still holds the version it opened.
    const second = await files.saveFlow(path, '{"second": {}}', { positions: { second: { x: 2, y: 2 } } }, opened.version);
    expect(second).toEqual({ saved: false, conflict: { version: (first as { version: string }).version, exists: true } });
    expect(await readFile(path, 'utf8')).toBe('{"first": {}}');
    expect(JSON.parse(await readFile(layoutPathFor(path), 'utf8')).positions).toEqual({ first: { x: 1, y: 1 } });
    expect(events.at(-1)).toBe('save aborted');
    // Overwrite names the version the conflict reported.
    const overwrite = await files.saveFlow(path, '{"second": {}}', null, second.saved ? null : second.conflict.version);
    expect(overwrite.saved).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('{"second": {}}');
  });

  it('sees a change made by another program, to the flow or to its layout alone', async () => {
    const path = join(dir, 'bot.json');
    await writeFile(path, '{"a": {}}');
    const { files } = await service();
    files.grant(path);
    const { version } = await files.openFlow(path);
    await writeFile(layoutPathFor(path), '{"positions": {}}');
    expect((await files.saveFlow(path, '{"b": {}}', null, version)).saved).toBe(false);
    await rm(path);
    await rm(layoutPathFor(path));
    expect(await files.saveFlow(path, '{"b": {}}', null, version)).toEqual({ saved: false, conflict: { version: expect.any(String), exists: false } });
  });

  it('writes the flow and its layout as one unit: 40 concurrent saves never leave a mixed pair', async () => {
    const path = join(dir, 'bot.json');
    await writeFile(path, '{"start": {}}');
    const { files } = await service();
    files.grant(path);
    for (let round = 0; round < 5; round++) {
      const { version } = await files.openFlow(path);
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) =>
        files.saveFlow(path, `{"save${i}": {}}`, { positions: { [`save${i}`]: { x: i, y: round } } }, i % 2 === 0 ? null : version)));
      const flow = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
      const layout = JSON.parse(await readFile(layoutPathFor(path), 'utf8')) as { positions: Record<string, unknown> };
      expect(Object.keys(layout.positions)).toEqual(Object.keys(flow));
      // At most one save based on the opened version wins; the others are told, not lost silently.
      const basedWins = results.filter((r, i) => i % 2 === 1 && r.saved).length;
      expect(basedWins).toBeLessThanOrEqual(1);
      expect(results.filter((r, i) => i % 2 === 1 && !r.saved)).toHaveLength(20 - basedWins);
    }
  });
});

describe('reading and writing flows', () => {
  it('saves the text exactly and the layout to its sidecar, then opens both back', async () => {
    const path = join(dir, 'bot.json');
    const { files, events } = await service({ showSaveDialog: async () => ({ canceled: false, filePath: path }) });
    const text = '{\n    "start": {}\n}';
    const layout = { positions: { start: { x: 10, y: 20 } }, viewport: { x: 0, y: 0, zoom: 1 } };
    expect(await files.showSaveDialog('bot.json')).toBe(path);
    const saved = await files.saveFlow(path, text, layout, null);
    expect(saved).toEqual({ saved: true, version: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(await readFile(path, 'utf8')).toBe(text);
    expect(layoutPathFor(path)).toBe(join(dir, 'bot.layout.json'));
    expect(JSON.parse(await readFile(join(dir, 'bot.layout.json'), 'utf8'))).toEqual(layout);
    expect(await files.openFlow(path)).toEqual({ ref: path, displayName: 'bot.json', text, layout, version: (saved as { version: string }).version });
    expect(events).toEqual([`document ${path}`, `document ${path}`]);
    expect(files.currentFlow()).toBe(path);
  });

  it('leaves an existing sidecar alone when saving without a layout', async () => {
    const path = join(dir, 'bot.json');
    await writeFile(join(dir, 'bot.layout.json'), '{"positions":{"a":{"x":1,"y":1}}}');
    const { files } = await service();
    files.grant(path);
    await files.saveFlow(path, '{}', null, null);
    expect(await readFile(join(dir, 'bot.layout.json'), 'utf8')).toBe('{"positions":{"a":{"x":1,"y":1}}}');
  });

  it('opens a flow without sidecar (or with a broken one) with layout null', async () => {
    const path = join(dir, 'plain.json');
    await writeFile(path, '{}');
    const { files } = await service();
    files.grant(path);
    expect((await files.openFlow(path)).layout).toBeNull();
    await writeFile(join(dir, 'plain.layout.json'), '{not json');
    expect((await files.openFlow(path)).layout).toBeNull();
  });

  it('refuses files the author did not choose', async () => {
    const path = join(dir, 'secret.json');
    await writeFile(path, '{}');
    const { files } = await service();
    await expect(files.openFlow(path)).rejects.toThrow(`openFlow: ${path} was not chosen by the author`);
    await expect(files.saveFlow(path, 'x', null, null)).rejects.toThrow(/saveFlow: .* was not chosen by the author/);
    await expect(files.deleteFlow(path)).rejects.toThrow(/not chosen/);
    expect(await readFile(path, 'utf8')).toBe('{}');
  });

  it('reads and writes the conversation tests beside a chosen flow only, refusing an invalid tests file', async () => {
    const path = join(dir, 'bot.json');
    await writeFile(path, '{}');
    const { files } = await service();
    await expect(files.readTests(path)).rejects.toThrow(/readTests: .* was not chosen by the author/);
    files.grant(path);
    expect(await files.readTests(path)).toBeNull();
    const text = '{\n    "tests": []\n}\n';
    await files.writeTests(path, text);
    expect(await readFile(join(dir, 'bot.tests.json'), 'utf8')).toBe(text);
    expect(await files.readTests(path)).toBe(text);
    await expect(files.writeTests(path, '{"tests": 1}')).rejects.toThrow('Not saved: bot.tests.json would not be a valid tests file (line 1, column 11): tests must be an array.');
    expect(await readFile(join(dir, 'bot.tests.json'), 'utf8')).toBe(text);
    files.grant(join(dir, 'bot.tests.json'));
    await expect(files.openFlow(join(dir, 'bot.tests.json'))).rejects.toThrow('openFlow: bot.tests.json is a conversation tests file, not a flow; open bot.json instead.');
  });

  it('refuses to open a layout sidecar as a flow, saying which file to open', async () => {
    const path = join(dir, 'bot.layout.json');
    await writeFile(path, '{}');
    const { files } = await service();
    files.grant(path);
    await expect(files.openFlow(path)).rejects.toThrow('openFlow: bot.layout.json is a layout sidecar, not a flow; open bot.json instead.');
  });

  it('says why a file cannot be opened and drops it from the recent files', async () => {
    const path = join(dir, 'gone.json');
    await writeFile(path, '{}');
    const { files, recentFiles } = await service();
    files.grant(path);
    await files.openFlow(path);
    await rm(path);
    await expect(files.openFlow(path)).rejects.toThrow(`Cannot open ${path}: the file does not exist.`);
    expect(recentFiles.list()).toEqual([]);
  });

  it('reports a failed save as aborted, so a pending close is cancelled', async () => {
    const path = join(dir, 'no-such-folder', 'bot.json');
    const { files, events } = await service();
    files.grant(path);
    await expect(files.saveFlow(path, '{}', null, null)).rejects.toThrow(`Cannot save ${path}: the file does not exist.`);
    expect(events).toEqual(['save aborted']);
  });

  it('creates new flows by name in the default folder, and refuses to overwrite', async () => {
    const { files } = await service();
    const ref = await files.createFlow('welcome', '{"a":{}}');
    expect(ref).toBe(join(dir, 'Flows', 'welcome.json'));
    expect(await readFile(ref, 'utf8')).toBe('{"a":{}}');
    await expect(files.createFlow('welcome.json', '{}')).rejects.toThrow(`Cannot create ${ref}: a file with that name already exists.`);
    expect(await readFile(ref, 'utf8')).toBe('{"a":{}}');
  });

  it('creates a flow at a path chosen in the save dialog only', async () => {
    const chosen = join(dir, 'chosen.json');
    const { files } = await service({ showSaveDialog: async () => ({ canceled: false, filePath: chosen }) });
    await expect(files.createFlow(join(dir, 'other.json'), '{}')).rejects.toThrow(/not chosen/);
    await files.showSaveDialog('chosen');
    expect(await files.createFlow(chosen, '{}')).toBe(chosen);
  });

  it('renames a flow with its sidecar and updates the recent files', async () => {
    const { files, recentFiles } = await service();
    const ref = await files.createFlow('old', '{}');
    await files.saveFlow(ref, '{}', { positions: {} }, null);
    const renamed = await files.renameFlow(ref, 'new');
    expect(renamed).toBe(join(dir, 'Flows', 'new.json'));
    expect((await readdir(join(dir, 'Flows'))).sort()).toEqual(['new.json', 'new.layout.json']);
    expect(recentFiles.list()).toEqual([renamed]);
    await files.createFlow('taken', '{}');
    await expect(files.renameFlow(renamed, 'taken.json')).rejects.toThrow('Cannot rename new.json to taken.json: a file with that name already exists.');
  });

  it('renames and trashes a flow\'s tests with it, never replacing another flow\'s tests', async () => {
    const { files, trashed } = await service();
    const ref = await files.createFlow('old', '{}');
    await files.writeTests(ref, '{"tests": []}');
    await writeFile(join(dir, 'Flows', 'other.tests.json'), '{"tests": []}');
    await expect(files.renameFlow(ref, 'other')).rejects.toThrow('Cannot rename old.json to other.json: its tests would replace the existing other.tests.json.');
    const renamed = await files.renameFlow(ref, 'new');
    expect((await readdir(join(dir, 'Flows'))).sort()).toEqual(['new.json', 'new.tests.json', 'other.tests.json']);
    await files.deleteFlow(renamed);
    expect(trashed).toEqual([renamed, join(dir, 'Flows', 'new.tests.json')]);
  });

  it('moves a deleted flow and its sidecar to the trash', async () => {
    const { files, trashed, recentFiles } = await service();
    const ref = await files.createFlow('doomed', '{}');
    await files.saveFlow(ref, '{}', { positions: {} }, null);
    await files.deleteFlow(ref);
    expect(trashed).toEqual([ref, layoutPathFor(ref)]);
    expect(recentFiles.list()).toEqual([]);
    await expect(files.openFlow(ref)).rejects.toThrow(/not chosen/);
  });
});

describe('recent files', () => {
  it('adds newest first, removes duplicates, keeps at most 10, mirrors to the OS and persists', async () => {
    const os = fakeOsRecents();
    const store = join(dir, 'recent.json');
    const paths = Array.from({ length: 12 }, (_, i) => join(dir, `f${i}.json`));
    await Promise.all(paths.map((p) => writeFile(p, '{}')));
    const recent = await loadRecentFiles(store, os.app);
    for (const p of paths) await recent.add(p);
    await recent.add(paths[5]);
    expect(recent.list()).toHaveLength(MAX_RECENT_FILES);
    expect(recent.list().slice(0, 3)).toEqual([paths[5], paths[11], paths[10]]);
    expect(os.added.at(-1)).toBe(paths[5]);
    const reloaded = await loadRecentFiles(store, fakeOsRecents().app);
    expect(reloaded.list()).toEqual(recent.list());
  });

  it('prunes files that no longer exist, when loading and when listing flows', async () => {
    const store = join(dir, 'recent.json');
    const kept = join(dir, 'kept.json');
    const gone = join(dir, 'gone.json');
    await writeFile(kept, '{}');
    await writeFile(store, JSON.stringify([gone, kept, 42, kept]));
    const recent = await loadRecentFiles(store, fakeOsRecents().app);
    expect(recent.list()).toEqual([kept]);
    expect(JSON.parse(await readFile(store, 'utf8'))).toEqual([kept]);

    const { files } = await service();
    const later = join(dir, 'later.json');
    await writeFile(later, '{}');
    files.grant(later);
    await files.openFlow(later);
    const listed = await files.listFlows();
    expect(listed).toEqual([
      { ref: later, displayName: 'later.json', modifiedMs: (await stat(later)).mtimeMs },
      { ref: kept, displayName: 'kept.json', modifiedMs: (await stat(kept)).mtimeMs },
    ]);
    await rm(later);
    expect((await files.listFlows()).map((f) => f.ref)).toEqual([kept]);
  });

  it('starts empty from a corrupt store and can be cleared', async () => {
    const store = join(dir, 'recent.json');
    await writeFile(store, '[oops');
    const os = fakeOsRecents();
    let changes = 0;
    const recent = await loadRecentFiles(store, os.app, () => changes++);
    expect(recent.list()).toEqual([]);
    await writeFile(join(dir, 'x.json'), '{}');
    await recent.add(join(dir, 'x.json'));
    await recent.clear();
    expect(recent.list()).toEqual([]);
    expect(os.added).toEqual([join(dir, 'x.json'), '(cleared)']);
    expect(changes).toBe(2);
  });

  it('grants the files of the recent list to the studio', async () => {
    const path = join(dir, 'remembered.json');
    await writeFile(path, '{"remembered":{}}');
    await writeFile(join(dir, 'recent.json'), JSON.stringify([path]));
    const { files } = await service();
    expect((await files.openFlow(path)).text).toBe('{"remembered":{}}');
  });
});
