/**
 * The workspace store: the host's file list, which flow is open (and the version on disk it is
 * based on), and the file commands, New, Open, Save, Save as, Rename, Delete and Close, with
 * their questions (unsaved changes, a file changed on disk) asked through dialog requests.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { checkFlowText } from '../../../runtime/flow/checkFlowText.ts';
import type { FlowFileInfo, FlowLayout, FlowRef, FlowVersion, StudioHost } from '../host/studioHost.ts';
import { askSaveConflict } from './askSaveConflict.ts';
import type { DocumentStore, OpenDocument } from '../store/createDocumentStore.ts';
import type { DialogAnswer, DialogRequest } from './dialogTypes.ts';
import { TEMPLATES, templateText } from './templates.ts';
import { describeError } from '../../../runtime/describeError.ts';

export interface Workspace {
  host: StudioHost;
  files: FlowFileInfo[];
  /** the open document; `key` changes on every open so the document store is recreated */
  current: { key: number; document: OpenDocument } | null;
  /** the version on disk the open document is based on (what its next save names); null when never saved */
  baseVersion: FlowVersion | null;
  /** the open document's store, registered by its provider */
  documentStore: DocumentStore | null;
  dialog: DialogRequest | null;
  notice: { message: string; tone: 'info' | 'error'; nonce: number } | null;
  busy: boolean;

  setDocumentStore(store: DocumentStore | null): void;
  refresh(): Promise<void>;
  /** Opens a file, asking first when the open one has unsaved changes. */
  open(ref: FlowRef): Promise<void>;
  newFromTemplate(): Promise<void>;
  save(): Promise<boolean>;
  saveAs(): Promise<boolean>;
  rename(): Promise<void>;
  remove(ref?: FlowRef): Promise<void>;
  importFile(file: File): Promise<void>;
  exportCurrent(): void;
  close(): Promise<void>;
  ask(request: Omit<DialogRequest, 'resolve'>): Promise<DialogAnswer | null>;
  notify(message: string, tone?: 'info' | 'error'): void;
}

export type WorkspaceStore = StoreApi<Workspace>;

/** The workspace: its file list, the open document and the file commands (New, Open, Save, …). */
export function createWorkspaceStore(host: StudioHost): WorkspaceStore {
  let key = 0;
  let nonce = 0;
  return createStore<Workspace>()((set, get) => {
    const openText = (ref: FlowRef | null, displayName: string, text: string, layout: FlowLayout | null, version: FlowVersion | null, selection?: string[]) => {
      set({
        current: { key: ++key, document: { ref, displayName, text, positions: layout?.positions ?? {}, viewport: layout?.viewport, selection } },
        baseVersion: version,
      });
    };

    /** true when it is fine to leave the open document (saved, discarded, or nothing to lose). */
    const confirmLeave = async (): Promise<boolean> => {
      const doc = get().documentStore;
      if (!doc || !doc.getState().isDirty()) return true;
      const answer = await get().ask({
        title: 'Save your changes?',
        message: `"${doc.getState().displayName}" has changes that are not saved.`,
        buttons: [
          { id: 'cancel', label: 'Cancel' },
          { id: 'discard', label: "Don't save", tone: 'danger' },
          { id: 'save', label: 'Save', tone: 'primary' },
        ],
      });
      if (!answer || answer.button === 'cancel') return false;
      if (answer.button === 'save') return get().save();
      return true;
    };

    const askName = async (title: string, value: string, button: string) => {
      const answer = await get().ask({ title, input: { label: 'File name', value }, buttons: [{ id: 'cancel', label: 'Cancel' }, { id: 'ok', label: button, tone: 'primary' }] });
      if (!answer || answer.button !== 'ok' || answer.value.trim() === '') return null;
      const name = answer.value.trim();
      return name.toLowerCase().endsWith('.json') ? name : `${name}.json`;
    };

    /** Replaces the open document with the file as it is on disk now (the author chose Reload). */
    const reload = async (ref: FlowRef) => {
      const opened = await host.openFlow(ref);
      openText(opened.ref, opened.displayName, opened.text, opened.layout, opened.version);
      host.setDirty(false);
    };

    const layoutOf = (doc: DocumentStore): FlowLayout => {
      const s = doc.getState();
      return s.viewport ? { positions: s.positions, viewport: s.viewport } : { positions: s.positions };
    };

    return {
      host,
      files: [],
      current: null,
      baseVersion: null,
      documentStore: null,
      dialog: null,
      notice: null,
      busy: false,

      setDocumentStore(store) {
        set({ documentStore: store });
      },

      async refresh() {
        try {
          set({ files: await host.listFlows() });
        } catch (error) {
          get().notify(`Could not list the flows: ${describeError(error)}`, 'error');
        }
      },

      async open(ref) {
        if (get().current?.document.ref === ref) return;
        if (!(await confirmLeave())) return;
        try {
          const opened = await host.openFlow(ref);
          openText(opened.ref, opened.displayName, opened.text, opened.layout, opened.version);
          host.setDirty(false);
        } catch (error) {
          get().notify(`Could not open ${ref}: ${describeError(error)}`, 'error');
        }
      },

      async newFromTemplate() {
        if (!(await confirmLeave())) return;
        const answer = await get().ask({
          title: 'New flow',
          input: { label: 'File name', value: 'new-flow.json' },
          options: TEMPLATES.map((t) => ({ id: t.id, label: t.label, description: t.description })),
          buttons: [{ id: 'cancel', label: 'Cancel' }, { id: 'ok', label: 'Create', tone: 'primary' }],
        });
        if (!answer || answer.button === 'cancel' || answer.value.trim() === '') return;
        const template = TEMPLATES.find((t) => t.id === answer.option) ?? TEMPLATES[0];
        const typed = answer.value.trim();
        const name = typed.toLowerCase().endsWith('.json') ? typed : `${typed}.json`;
        try {
          const ref = await host.createFlow(name, templateText(template));
          await get().refresh();
          const opened = await host.openFlow(ref);
          // The author starts by writing the first step's words: it is selected, its text field focused.
          openText(opened.ref, opened.displayName, opened.text, opened.layout, opened.version, template.flow.states.slice(0, 1).map((s) => s.name));
        } catch (error) {
          get().notify(`Could not create ${name}: ${describeError(error)}`, 'error');
        }
      },

      async save() {
        const doc = get().documentStore;
        if (!doc) return false;
        doc.getState().flushText();
        const s = doc.getState();
        if (!s.parseOk) {
          get().notify('Not saved: the JSON has a syntax error. Fix it (see Problems) and save again.', 'error');
          return false;
        }
        if (s.ref === null) return get().saveAs();
        const text = s.text;
        const layout = layoutOf(doc);
        let baseVersion = get().baseVersion;
        try {
          for (;;) {
            const result = await host.saveFlow(s.ref, text, layout, baseVersion);
            if (result.saved) {
              set({ baseVersion: result.version });
              break;
            }
            // Someone else changed the file since it was opened: ask, never overwrite silently.
            const choice = await askSaveConflict(get().ask, s.displayName, result.conflict.exists);
            if (choice === 'overwrite') {
              baseVersion = result.conflict.version; // overwrite what the author was warned about, nothing newer
              continue;
            }
            if (choice === 'saveAs') return get().saveAs();
            if (choice === 'reload') await reload(s.ref);
            else get().notify(`Not saved: ${s.displayName} changed on disk. Your edits are kept.`, 'error');
            return false;
          }
          doc.getState().markSaved(s.ref, s.displayName, text, layout.positions);
          host.setDirty(doc.getState().isDirty());
          get().notify(`Saved ${s.displayName}.`);
          void get().refresh();
          return true;
        } catch (error) {
          get().notify(`Not saved: ${describeError(error).replace(/\.$/, '')}. Your edits are kept.`, 'error');
          return false;
        }
      },

      async saveAs() {
        const doc = get().documentStore;
        if (!doc) return false;
        doc.getState().flushText();
        const s = doc.getState();
        if (!s.parseOk) {
          get().notify('Not saved: the JSON has a syntax error. Fix it first.', 'error');
          return false;
        }
        const name = (await host.showSaveDialog(s.displayName)) ?? (await askName('Save as', s.displayName.replace(/\.json$/i, '-copy.json'), 'Save'));
        if (!name) return false;
        try {
          const ref = await host.createFlow(name, s.text);
          const layout = layoutOf(doc);
          // The file was just created with this text: the save adds its layout, whatever version that made.
          const saved = await host.saveFlow(ref, s.text, layout, null);
          if (saved.saved) set({ baseVersion: saved.version });
          const info = (await host.listFlows()).find((f) => f.ref === ref);
          doc.getState().markSaved(ref, info?.displayName ?? name, s.text, layout.positions);
          set((w) => (w.current ? { current: { ...w.current, document: { ...w.current.document, ref } } } : {}));
          host.setDirty(false);
          get().notify(`Saved as ${info?.displayName ?? name}.`);
          await get().refresh();
          return true;
        } catch (error) {
          get().notify(`Not saved: ${describeError(error).replace(/\.$/, '')}. Your edits are kept.`, 'error');
          return false;
        }
      },

      async rename() {
        const doc = get().documentStore;
        const ref = doc?.getState().ref;
        if (!doc || !ref) return;
        const name = await askName('Rename', doc.getState().displayName, 'Rename');
        if (!name) return;
        try {
          const newRef = await host.renameFlow(ref, name);
          const s = doc.getState();
          doc.getState().markSaved(newRef, name, s.savedText, s.savedPositions);
          set((w) => (w.current ? { current: { ...w.current, document: { ...w.current.document, ref: newRef, displayName: name } } } : {}));
          await get().refresh();
        } catch (error) {
          get().notify(`Could not rename: ${describeError(error)}`, 'error');
        }
      },

      async remove(ref = get().documentStore?.getState().ref ?? undefined) {
        if (!ref) return;
        const info = get().files.find((f) => f.ref === ref);
        const answer = await get().ask({
          title: 'Delete this flow?',
          message: `"${info?.displayName ?? ref}" and its layout will be deleted from the workspace. This cannot be undone.`,
          buttons: [{ id: 'cancel', label: 'Cancel' }, { id: 'delete', label: 'Delete', tone: 'danger' }],
        });
        if (answer?.button !== 'delete') return;
        try {
          await host.deleteFlow(ref);
          if (get().current?.document.ref === ref) set({ current: null });
          await get().refresh();
        } catch (error) {
          get().notify(`Could not delete: ${describeError(error)}`, 'error');
        }
      },

      async importFile(file) {
        const text = await file.text();
        const checked = checkFlowText(text);
        if (!checked.flow) {
          const first = checked.diagnostics[0];
          get().notify(`Cannot import ${file.name}: ${first ? `${first.message}${first.line ? ` (line ${first.line})` : ''}` : 'not a flow'}.`, 'error');
          return;
        }
        if (!(await confirmLeave())) return;
        let name = file.name.toLowerCase().endsWith('.json') ? file.name : `${file.name}.json`;
        if (get().files.some((f) => f.displayName === name)) {
          const chosen = await askName(`"${name}" already exists: import as`, name.replace(/\.json$/i, '-imported.json'), 'Import');
          if (!chosen) return;
          name = chosen;
        }
        try {
          const ref = await host.createFlow(name, text);
          await get().refresh();
          const opened = await host.openFlow(ref);
          openText(opened.ref, opened.displayName, opened.text, opened.layout, opened.version);
          get().notify(`Imported ${name}.`);
        } catch (error) {
          get().notify(`Could not import ${name}: ${describeError(error)}`, 'error');
        }
      },

      exportCurrent() {
        const doc = get().documentStore;
        if (!doc) return;
        const s = doc.getState();
        const blob = new Blob([s.lastGoodText], { type: 'application/json' });
        const link = document.createElement('a');
        link.href = URL.createObjectURL(blob);
        link.download = s.displayName;
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
        s.markExported(s.lastGoodText);
      },

      async close() {
        if (!(await confirmLeave())) return;
        set({ current: null });
        host.setDirty(false);
      },

      ask(request) {
        return new Promise((resolve) => {
          set({
            dialog: {
              ...request,
              resolve: (answer) => {
                set({ dialog: null });
                resolve(answer);
              },
            },
          });
        });
      },

      notify(text, tone = 'info') {
        const doc = get().documentStore;
        if (doc) doc.getState().notify(text, tone);
        else set({ notice: { message: text, tone, nonce: ++nonce } });
      },
    };
  });
}
