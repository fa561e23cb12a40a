/**
 * Studio-wide state of the Tests panel: the open flow's tests file, the results of running it on
 * the draft, the panel's selection and editor, and the tests file's own undo history (the tests
 * file is a document beside the flow: its edits are undone here, not in the flow's history).
 * Every change is written through the host at once when the flow has a file.
 */
import { create } from 'zustand';
import type { ConversationTest, ConversationTestsFile, TestFileError } from '../../../runtime/flow/conversationTestTypes.ts';
import { addTest, emptyTestsFile, replaceTest, serializeConversationTests } from '../../../runtime/flow/editConversationTests.ts';
import { parseConversationTests } from '../../../runtime/flow/parseConversationTests.ts';
import type { TestRunSummary } from '../../../runtime/flow/runConversationTest.ts';
import type { FlowRef, StudioHost } from '../host/studioHost.ts';
import { useStudioUi } from '../store/useStudioUi.ts';
import { describeError } from '../../../runtime/describeError.ts';

/** The Tests tab of the right column is showing (the canvas shows the tests' badges only then). */
export function useTestsShown(): boolean {
  return useStudioUi((u) => u.rightOpen && u.rightTab === 'tests');
}

const HISTORY_LIMIT = 100;

interface TestsState {
  /** the flow the tests belong to (null: a flow never saved; its tests are kept in memory) */
  ref: FlowRef | null;
  /** null while the tests file on disk does not parse (then `loadErrors` says why, and nothing is written over it) */
  file: ConversationTestsFile | null;
  loadErrors: TestFileError[];
  /** the last write failed: why */
  saveError: string | null;
  summary: TestRunSummary | null;
  /** the summary's states no test reaches, for the canvas badges */
  unreached: ReadonlySet<string>;
  /** how long the last run took, in ms */
  runMs: number;
  /** the test whose details are shown (index into file.tests), or null */
  selected: number | null;
  /** the test open in the editor, or null */
  editing: number | null;
  past: { file: ConversationTestsFile; label: string }[];
  /** Loads the tests of the flow at `ref` (or writes the in-memory tests there when a new flow got its first file). */
  attach(host: StudioHost, ref: FlowRef | null): Promise<void>;
  setSummary(summary: TestRunSummary, runMs: number): void;
  select(index: number | null): void;
  edit(index: number | null): void;
  /** One undoable change of the tests file, written through the host. */
  change(host: StudioHost, file: ConversationTestsFile, label: string): void;
  add(host: StudioHost, test: ConversationTest): void;
  replace(host: StudioHost, index: number, test: ConversationTest | null, label: string): void;
  undo(host: StudioHost): void;
}

export const useConversationTests = create<TestsState>()((set, get) => {
  /** Writes the file; the latest write wins (each carries the whole file). */
  let writes = Promise.resolve();
  /** the tests file's text as read or last written, so a write keeps its formatting (see serializeConversationTests) */
  let lastText: string | undefined;
  const write = (host: StudioHost, ref: FlowRef | null, file: ConversationTestsFile) => {
    if (ref === null) return;
    const text = serializeConversationTests(file, lastText);
    lastText = text;
    writes = writes.then(
      () => host.writeTests(ref, text).then(() => set({ saveError: null }), (error: unknown) => set({ saveError: `The tests were not saved: ${describeError(error)}` })),
    );
  };

  return {
    ref: null,
    file: emptyTestsFile(),
    loadErrors: [],
    saveError: null,
    summary: null,
    unreached: new Set(),
    runMs: 0,
    selected: null,
    editing: null,
    past: [],

    async attach(host, ref) {
      const { ref: before, file } = get();
      if (ref === before) return;
      if (before === null && ref !== null && file && file.tests.length > 0) {
        // A new flow was saved for the first time: its tests go beside it.
        set({ ref });
        write(host, ref, file);
        return;
      }
      set({ ref, file: ref === null ? emptyTestsFile() : null, loadErrors: [], saveError: null, summary: null, selected: null, editing: null, past: [] });
      lastText = undefined;
      if (ref === null) return;
      let text: string | null;
      try {
        text = await host.readTests(ref);
      } catch (error) {
        if (get().ref === ref) set({ loadErrors: [{ path: '', message: `Cannot read the tests: ${describeError(error)}` }] });
        return;
      }
      if (get().ref !== ref) return;
      if (text === null) {
        set({ file: emptyTestsFile() });
        return;
      }
      const parsed = parseConversationTests(text);
      if (parsed.ok) lastText = text;
      set(parsed.ok ? { file: parsed.file } : { loadErrors: parsed.errors });
    },

    setSummary: (summary, runMs) => set({ summary, runMs, unreached: new Set(summary.unreached) }),
    select: (selected) => set({ selected }),
    edit: (editing) => set({ editing }),

    change(host, file, label) {
      const { file: before, ref, past } = get();
      if (!before) return;
      set({ file, past: [...past.slice(-(HISTORY_LIMIT - 1)), { file: before, label }] });
      write(host, ref, file);
    },

    add(host, test) {
      const file = get().file;
      if (!file) return;
      const next = addTest(file, test);
      get().change(host, next, `Save as test "${next.tests[next.tests.length - 1].name}"`);
      set({ selected: next.tests.length - 1 });
    },

    replace(host, index, test, label) {
      const file = get().file;
      if (!file) return;
      get().change(host, replaceTest(file, index, test), label);
      if (test === null) set({ selected: null, editing: null });
    },

    undo(host) {
      const { past, ref, file } = get();
      const last = past[past.length - 1];
      if (!last || !file) return;
      const selected = get().selected;
      set({ file: last.file, past: past.slice(0, -1), editing: null, selected: selected !== null && selected < last.file.tests.length ? selected : null });
      write(host, ref, last.file);
    },
  };
});
