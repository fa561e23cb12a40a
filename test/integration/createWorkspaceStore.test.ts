/**
 * The workspace store (file list, open document, New/Open/Save/Save as/Rename/Delete/Close) against
 * a host over real files: the web host API's own WorkspaceFlows in a temp folder, called in-process.
 * It joins the studio to the runtime's server code, which no renderer file may import, so it lives
 * here with the other cross-layer tests rather than beside the store.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkspaceFlows } from '../../runtime/server/studio/workspaceFlows.ts';
import type { StudioHost } from '../../renderer/src/host/studioHost.ts';
import { createDocumentStore } from '../../renderer/src/store/createDocumentStore.ts';
import { createWorkspaceStore, type WorkspaceStore } from '../../renderer/src/files/createWorkspaceStore.ts';
import type { DialogAnswer, DialogRequest } from '../../renderer/src/files/dialogTypes.ts';
import article from '../../state-machines/bot-assistant.json?raw';

let dir: string;
let dirtyCalls: boolean[];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'workspace-store-'));
  dirtyCalls = [];
  await writeFile(path.join(dir, 'bot.json'), article);
  await writeFile(path.join(dir, 'bot.layout.json'), JSON.stringify({ positions: { greetings: { x: 10, y: 20 } } }));
  await writeFile(path.join(dir, 'other.json'), article.replace('Great, thanks!', 'Other'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The file half of a StudioHost over the workspace folder; what the store never calls throws. */
function fileHost(overrides: Partial<StudioHost> = {}): StudioHost {
  const flows = new WorkspaceFlows(dir);
  const unused = () => {
    throw new Error('not used by the workspace store');
  };
  return {
    kind: 'web',
    listFlows: () => flows.list(),
    openFlow: (ref) => flows.open(ref),
    saveFlow: async (ref, text, layout, baseVersion) => (await flows.save(ref, text, layout, baseVersion)).result,
    createFlow: (name, text) => flows.create(name, text),
    renameFlow: async (ref, newName) => (await flows.rename(ref, newName)).ref,
    deleteFlow: async (ref) => {
      await flows.remove(ref);
    },
    showOpenDialog: async () => null,
    showSaveDialog: async () => null,
    runtimeUrl: unused,
    setDirty: (dirty) => void dirtyCalls.push(dirty),
    onMenuCommand: () => () => {},
    onOpenFile: () => () => {},
    previewFlow: unused,
    onPreviewStep: () => () => {},
    listSessions: unused,
    getTranscript: unused,
    getCoverage: unused,
    readTests: (ref) => flows.readTests(ref),
    writeTests: async (ref, text) => {
      await flows.writeTests(ref, text);
    },
    publishTargets: unused,
    checkPublish: unused,
    publish: unused,
    publishStatus: unused,
    rollback: unused,
    versionText: unused,
    ...overrides,
  };
}

/** Opens `ref` and registers its document store, as the studio's provider does. */
async function openDocument(workspace: WorkspaceStore, ref: string) {
  await workspace.getState().open(ref);
  const current = workspace.getState().current;
  if (!current) throw new Error(`${ref} did not open: ${workspace.getState().notice?.message}`);
  const doc = createDocumentStore(current.document);
  workspace.getState().setDocumentStore(doc);
  return doc;
}

/** Resolves the next dialog the store asks with `answer(request)`, and returns the request. */
function answerNextDialog(workspace: WorkspaceStore, answer: (request: DialogRequest) => DialogAnswer | null): Promise<DialogRequest> {
  return new Promise((resolve) => {
    const unsubscribe = workspace.subscribe((state) => {
      if (!state.dialog) return;
      unsubscribe();
      const request = state.dialog;
      request.resolve(answer(request));
      resolve(request);
    });
  });
}

const read = (name: string) => readFile(path.join(dir, name), 'utf8');
const editedArticle = article.replace('Great, thanks!', 'Edited');

describe('saving over changes made elsewhere (issue 10 item 7)', () => {
  /** Opens bot.json, edits it, then changes the file on disk behind the studio's back. */
  async function conflicted() {
    const workspace = createWorkspaceStore(fileHost());
    const doc = await openDocument(workspace, 'bot.json');
    doc.getState().setText(editedArticle);
    await writeFile(path.join(dir, 'bot.json'), article.replace('Great, thanks!', 'Theirs'));
    return { workspace, doc };
  }

  it('asks instead of overwriting; Cancel keeps both the file and the edits', async () => {
    const { workspace, doc } = await conflicted();
    const asked = answerNextDialog(workspace, () => ({ button: 'cancel', value: '' }));
    expect(await workspace.getState().save()).toBe(false);
    const request = await asked;
    expect(request.title).toBe('This flow changed on disk');
    expect(request.buttons.map((b) => b.label)).toEqual(['Cancel', 'Reload', 'Save as…', 'Overwrite']);
    expect(await read('bot.json')).toContain('Theirs');
    expect(doc.getState().text).toBe(editedArticle);
    expect(doc.getState().isDirty()).toBe(true);
    expect(doc.getState().notice?.message).toBe('Not saved: bot.json changed on disk. Your edits are kept.');
  });

  it('Overwrite writes the edits, and later saves go on from that version', async () => {
    const { workspace, doc } = await conflicted();
    const asked = answerNextDialog(workspace, () => ({ button: 'overwrite', value: '' }));
    expect(await workspace.getState().save()).toBe(true);
    await asked;
    expect(await read('bot.json')).toBe(editedArticle);
    doc.getState().setText(editedArticle.replace('Edited', 'Again'));
    expect(await workspace.getState().save()).toBe(true);
    expect(workspace.getState().dialog).toBeNull();
    expect(await read('bot.json')).toContain('Again');
  });

  it('Reload replaces the document with the file on disk', async () => {
    const { workspace } = await conflicted();
    const key = workspace.getState().current!.key;
    const asked = answerNextDialog(workspace, () => ({ button: 'reload', value: '' }));
    expect(await workspace.getState().save()).toBe(false);
    await asked;
    expect(workspace.getState().current!.key).not.toBe(key);
    expect(workspace.getState().current!.document.text).toContain('Theirs');
    expect(await read('bot.json')).toContain('Theirs');
    expect(dirtyCalls.at(-1)).toBe(false);
  });

  it('Save as keeps the other change and writes the edits to a new file', async () => {
    const { workspace } = await conflicted();
    answerNextDialog(workspace, () => ({ button: 'saveAs', value: '' })).then(() => answerNextDialog(workspace, () => ({ button: 'ok', value: 'mine' })));
    expect(await workspace.getState().save()).toBe(true);
    expect(await read('mine.json')).toBe(editedArticle);
    expect(await read('bot.json')).toContain('Theirs');
    expect(workspace.getState().current?.document.ref).toBe('mine.json');
  });

  it('a deleted file offers to save it again', async () => {
    const workspace = createWorkspaceStore(fileHost());
    const doc = await openDocument(workspace, 'bot.json');
    doc.getState().setText(editedArticle);
    await rm(path.join(dir, 'bot.json'));
    const asked = answerNextDialog(workspace, () => ({ button: 'overwrite', value: '' }));
    expect(await workspace.getState().save()).toBe(true);
    expect((await asked).title).toBe('This flow was deleted on disk');
    expect(await read('bot.json')).toBe(editedArticle);
  });
});

describe('workspace store', () => {
  it('lists the workspace and opens a flow with its layout', async () => {
    const workspace = createWorkspaceStore(fileHost());
    await workspace.getState().refresh();
    expect(workspace.getState().files.map((f) => f.ref)).toEqual(['bot.json', 'other.json']);
    await workspace.getState().open('bot.json');
    const document = workspace.getState().current?.document;
    expect(document).toMatchObject({ ref: 'bot.json', displayName: 'bot.json', text: article, positions: { greetings: { x: 10, y: 20 } } });
    expect(dirtyCalls).toEqual([false]);
  });

  it('reports a file that cannot be opened and keeps what was open', async () => {
    const workspace = createWorkspaceStore(fileHost());
    await openDocument(workspace, 'bot.json');
    const doc = workspace.getState().documentStore!;
    await workspace.getState().open('missing.json');
    expect(workspace.getState().current?.document.ref).toBe('bot.json');
    expect(doc.getState().notice).toMatchObject({ tone: 'error', message: 'Could not open missing.json: "missing.json" does not exist in the workspace.' });
  });

  it('saves the text byte for byte and the positions to the sidecar', async () => {
    const workspace = createWorkspaceStore(fileHost());
    const doc = await openDocument(workspace, 'bot.json');
    doc.getState().setText(editedArticle);
    expect(doc.getState().isDirty()).toBe(true);
    expect(await workspace.getState().save()).toBe(true);
    expect(await read('bot.json')).toBe(editedArticle);
    expect(JSON.parse(await read('bot.layout.json'))).toEqual({ positions: { greetings: { x: 10, y: 20 } } });
    expect(doc.getState().isDirty()).toBe(false);
    expect(doc.getState().notice?.message).toBe('Saved bot.json.');
    expect(dirtyCalls.at(-1)).toBe(false);
  });

  it('refuses to save JSON that does not parse, and writes nothing', async () => {
    const workspace = createWorkspaceStore(fileHost());
    const doc = await openDocument(workspace, 'bot.json');
    doc.getState().setText(`${article},,`);
    expect(await workspace.getState().save()).toBe(false);
    expect(await read('bot.json')).toBe(article);
    expect(doc.getState().notice).toMatchObject({ tone: 'error' });
    expect(doc.getState().notice?.message).toContain('syntax error');
  });

  it('keeps the edits when the host refuses the save, and says why', async () => {
    const workspace = createWorkspaceStore(fileHost());
    const doc = await openDocument(workspace, 'bot.json');
    doc.getState().setText(editedArticle);
    await rm(dir, { recursive: true, force: true });
    expect(await workspace.getState().save()).toBe(false);
    expect(doc.getState().isDirty()).toBe(true);
    expect(doc.getState().text).toBe(editedArticle);
    expect(doc.getState().notice?.message).toMatch(/^Not saved: .*Your edits are kept\.$/);
  });

  it('asks before leaving unsaved changes: Cancel stays, Don\u2019t save opens the other file', async () => {
    const workspace = createWorkspaceStore(fileHost());
    const doc = await openDocument(workspace, 'bot.json');
    doc.getState().setText(editedArticle);

    const cancelled = answerNextDialog(workspace, () => ({ button: 'cancel', value: '' }));
    await workspace.getState().open('other.json');
    expect((await cancelled).title).toBe('Save your changes?');
    expect(workspace.getState().current?.document.ref).toBe('bot.json');

    const discarded = answerNextDialog(workspace, () => ({ button: 'discard', value: '' }));
    await workspace.getState().open('other.json');
    await discarded;
    expect(workspace.getState().current?.document.ref).toBe('other.json');
    expect(await read('bot.json')).toBe(article);
  });

  it('answering Save in the leave prompt saves before opening the other file', async () => {
    const workspace = createWorkspaceStore(fileHost());
    const doc = await openDocument(workspace, 'bot.json');
    doc.getState().setText(editedArticle);
    const saved = answerNextDialog(workspace, () => ({ button: 'save', value: '' }));
    await workspace.getState().open('other.json');
    await saved;
    expect(await read('bot.json')).toBe(editedArticle);
    expect(workspace.getState().current?.document.ref).toBe('other.json');
  });

  it('creates a flow from a template under the typed name and opens it', async () => {
    const workspace = createWorkspaceStore(fileHost());
    const asked = answerNextDialog(workspace, (request) => ({ button: 'ok', value: 'greeter', option: request.options?.[0].id }));
    await workspace.getState().newFromTemplate();
    expect((await asked).title).toBe('New flow');
    expect(workspace.getState().current?.document.ref).toBe('greeter.json');
    expect(JSON.parse(await read('greeter.json'))).toHaveProperty('greetings');
    expect(workspace.getState().files.map((f) => f.ref)).toContain('greeter.json');
  });

  it('Save as writes a copy under a new name (the web host has no native dialog) and follows it', async () => {
    const workspace = createWorkspaceStore(fileHost());
    const doc = await openDocument(workspace, 'bot.json');
    doc.getState().setText(editedArticle);
    const asked = answerNextDialog(workspace, (request) => ({ button: 'ok', value: request.input!.value }));
    expect(await workspace.getState().saveAs()).toBe(true);
    expect((await asked).input?.value).toBe('bot-copy.json');
    expect(await read('bot-copy.json')).toBe(editedArticle);
    expect(JSON.parse(await read('bot-copy.layout.json')).positions.greetings).toEqual({ x: 10, y: 20 });
    expect(await read('bot.json')).toBe(article);
    expect(doc.getState().ref).toBe('bot-copy.json');
    expect(workspace.getState().current?.document.ref).toBe('bot-copy.json');
  });

  it('renames the open flow with its sidecar', async () => {
    const workspace = createWorkspaceStore(fileHost());
    await openDocument(workspace, 'bot.json');
    const asked = answerNextDialog(workspace, () => ({ button: 'ok', value: 'renamed' }));
    await workspace.getState().rename();
    await asked;
    expect(workspace.getState().current?.document).toMatchObject({ ref: 'renamed.json', displayName: 'renamed.json' });
    expect(await read('renamed.json')).toBe(article);
    expect(await read('renamed.layout.json')).toContain('greetings');
    expect(workspace.getState().files.map((f) => f.ref)).toEqual(['other.json', 'renamed.json']);
  });

  it('deletes only after Delete is confirmed, and closes the deleted document', async () => {
    const workspace = createWorkspaceStore(fileHost());
    await openDocument(workspace, 'bot.json');
    await workspace.getState().refresh();
    const kept = answerNextDialog(workspace, () => null);
    await workspace.getState().remove();
    expect((await kept).message).toContain('"bot.json" and its layout will be deleted');
    expect(await read('bot.json')).toBe(article);

    const deleted = answerNextDialog(workspace, () => ({ button: 'delete', value: '' }));
    await workspace.getState().remove();
    await deleted;
    await expect(read('bot.json')).rejects.toThrow(/ENOENT/);
    await expect(read('bot.layout.json')).rejects.toThrow(/ENOENT/);
    expect(workspace.getState().current).toBeNull();
    expect(workspace.getState().files.map((f) => f.ref)).toEqual(['other.json']);
  });

  it('notices without a document go to the workspace; close clears the document and the dirty flag', async () => {
    const workspace = createWorkspaceStore(fileHost());
    workspace.getState().notify('hello', 'error');
    expect(workspace.getState().notice).toMatchObject({ message: 'hello', tone: 'error' });
    await openDocument(workspace, 'bot.json');
    await workspace.getState().close();
    expect(workspace.getState().current).toBeNull();
    expect(dirtyCalls.at(-1)).toBe(false);
  });
});
