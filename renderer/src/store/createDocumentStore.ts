/**
 * The store of one open document: the flow (the truth), its JSON text, positions, selection,
 * undo/redo and diagnostics. Commands and the JSON pane change it only through its actions.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { checkFlowText } from '../../../runtime/flow/checkFlowText.ts';
import { serializeFlow } from '../../../runtime/flow/serializeFlow.ts';
import type { Diagnostic, Flow } from '../../../runtime/flow/types.ts';
import type { FlowLayout, FlowRef } from '../host/studioHost.ts';
import type { DocumentData, DocumentSnapshot, HistoryEntry, Positions } from './documentTypes.ts';

/** What a command hands back: the new flow, and optionally new positions and selection. */
export interface EditResult {
  flow: Flow;
  positions?: Positions;
  selection?: string[];
  /** told to the author after the edit (e.g. what happened to links) */
  message?: string;
}

export interface DocumentActions {
  /** Records one undo step (merged with the previous one when `coalesceKey` matches within a second). */
  applyEdit(result: EditResult, label: string, coalesceKey?: string): void;
  /** The JSON pane's text changed; parsing happens shortly after (off the keystroke path). */
  setText(text: string): void;
  /** Parses pending JSON text now (tests and save call this). */
  flushText(): void;
  undo(): void;
  redo(): void;
  /** Selects states, and links (edge ids; none unless given). */
  setSelection(names: string[], links?: string[]): void;
  /** Positions after a drag or a layout: one undo step. */
  commitPositions(positions: Positions, label: string): void;
  /** Positions that are not an author's edit (the first auto-layout of a flow without sidecar). */
  setInitialPositions(positions: Positions): void;
  setLayingOut(running: boolean): void;
  setViewport(viewport: FlowLayout['viewport']): void;
  markSaved(ref: FlowRef, displayName: string, text: string, positions: Positions): void;
  markExported(text: string): void;
  /** Runs a validation still waiting for its delay now, and returns the diagnostics of the text as it is. */
  validateNow(): Diagnostic[];
  revealDiagnostic(diagnostic: Diagnostic): void;
  notify(message: string, tone?: 'info' | 'error'): void;
  isDirty(): boolean;
}

export type DocumentState = DocumentData & DocumentActions;
export type DocumentStore = StoreApi<DocumentState>;

export interface OpenDocument {
  ref: FlowRef | null;
  displayName: string;
  text: string;
  positions: Positions;
  viewport?: FlowLayout['viewport'];
  /** steps selected when it opens (a flow just created selects its first step) */
  selection?: string[];
}

const HISTORY_LIMIT = 200;
const COALESCE_MS = 1000;
const PARSE_DELAY_MS = 150;
const VALIDATE_DELAY_MS = 60;

/**
 * Creates the store of one open document. The ordered flow is the source of truth: the JSON text
 * is `serializeFlow(flow)` after every canvas or inspector edit, and the graph is derived from the
 * flow by the canvas. While typed JSON does not parse, `flow` stays the last good one.
 */
export function createDocumentStore(open: OpenDocument): DocumentStore {
  const checked = checkFlowText(open.text);
  const flow: Flow = checked.flow ?? { states: [] };
  let lastCoalesce: { key: string; at: number } | null = null;
  let parseTimer: ReturnType<typeof setTimeout> | null = null;
  let validateTimer: ReturnType<typeof setTimeout> | null = null;
  let pendingText: string | null = null;
  let nonce = 0;

  const store = createStore<DocumentState>()((set, get) => {
    const snapshot = (): DocumentSnapshot => {
      const s = get();
      return { flow: s.flow, text: s.lastGoodText, positions: s.positions, selection: s.selection };
    };

    /** The undo stack with `before` pushed, unless this step merges with the previous one. */
    const pushHistory = (before: DocumentSnapshot, label: string, coalesceKey?: string): HistoryEntry[] => {
      const now = Date.now();
      const merge = coalesceKey !== undefined && lastCoalesce?.key === coalesceKey && now - lastCoalesce.at < COALESCE_MS;
      lastCoalesce = coalesceKey === undefined ? null : { key: coalesceKey, at: now };
      const past = get().past;
      if (merge && past.length > 0) return past;
      return [...past, { snapshot: before, label }].slice(-HISTORY_LIMIT);
    };
    const remember = (label: string, coalesceKey?: string) => pushHistory(snapshot(), label, coalesceKey);

    /** The diagnostics of `text`, with the flow they were found in (the last good flow while the text does not parse). */
    const validated = (text: string): Pick<DocumentData, 'diagnostics' | 'checkedFlow'> => {
      const result = checkFlowText(text);
      return { diagnostics: result.diagnostics, checkedFlow: result.flow ?? get().flow };
    };

    const scheduleValidation = () => {
      if (validateTimer) clearTimeout(validateTimer);
      validateTimer = setTimeout(() => {
        validateTimer = null;
        set(validated(get().text));
      }, VALIDATE_DELAY_MS);
    };

    const parseNow = () => {
      if (parseTimer) clearTimeout(parseTimer);
      parseTimer = null;
      if (pendingText === null) return;
      const text = pendingText;
      pendingText = null;
      const result = checkFlowText(text);
      if (!result.flow) {
        set({ parseOk: false, diagnostics: result.diagnostics, checkedFlow: get().flow });
        return;
      }
      const s = get();
      const names = new Set(result.flow.states.map((n) => n.name));
      set({
        past: remember('Edit JSON', 'json'),
        future: [],
        flow: result.flow,
        lastGoodText: text,
        format: result.format,
        parseOk: true,
        diagnostics: result.diagnostics,
        checkedFlow: result.flow,
        selection: s.selection.filter((n) => names.has(n)),
        selectedLinks: [],
      });
    };

    const restore = (target: DocumentSnapshot) => {
      pendingText = null;
      if (parseTimer) clearTimeout(parseTimer);
      lastCoalesce = null;
      set({ ...target, lastGoodText: target.text, parseOk: true, selectedLinks: [] });
      scheduleValidation();
    };

    return {
      ref: open.ref,
      displayName: open.displayName,
      flow,
      text: open.text,
      lastGoodText: open.text,
      format: checked.format,
      parseOk: checked.flow !== null,
      diagnostics: checked.diagnostics,
      checkedFlow: flow,
      positions: open.positions,
      viewport: open.viewport,
      selection: open.selection ?? [],
      past: [],
      future: [],
      savedText: open.text,
      savedPositions: open.positions,
      exportedText: null,
      reveal: null,
      notice: null,
      layingOut: false,
      selectedLinks: [],

      applyEdit(result, label, coalesceKey) {
        const s = get();
        const text = serializeFlow(result.flow, s.format);
        set({
          past: remember(label, coalesceKey),
          future: [],
          flow: result.flow,
          text,
          lastGoodText: text,
          parseOk: true,
          positions: result.positions ?? s.positions,
          selection: result.selection ?? s.selection,
          selectedLinks: [],
        });
        if (result.message) get().notify(result.message);
        scheduleValidation();
      },

      setText(text) {
        if (text === get().text) return;
        pendingText = text;
        set({ text });
        if (parseTimer) clearTimeout(parseTimer);
        parseTimer = setTimeout(parseNow, PARSE_DELAY_MS);
      },

      flushText: parseNow,

      undo() {
        parseNow();
        const { past, future } = get();
        const entry = past[past.length - 1];
        if (!entry) return;
        set({ past: past.slice(0, -1), future: [...future, { snapshot: snapshot(), label: entry.label }] });
        restore(entry.snapshot);
        get().notify(`Undid: ${entry.label}`);
      },

      redo() {
        const { past, future } = get();
        const entry = future[future.length - 1];
        if (!entry) return;
        set({ future: future.slice(0, -1), past: [...past, { snapshot: snapshot(), label: entry.label }] });
        restore(entry.snapshot);
        get().notify(`Redid: ${entry.label}`);
      },

      setSelection(names, links = []) {
        const s = get();
        if (sameList(s.selection, names) && sameList(s.selectedLinks, links)) return;
        set({ selection: sameList(s.selection, names) ? s.selection : names, selectedLinks: sameList(s.selectedLinks, links) ? s.selectedLinks : links });
      },

      commitPositions(positions, label) {
        set({ past: remember(label), future: [], positions });
      },

      setInitialPositions(positions) {
        const s = get();
        const untouched = s.savedPositions === s.positions;
        set({ positions, ...(untouched ? { savedPositions: positions } : {}) });
      },

      setLayingOut(running) {
        set({ layingOut: running });
      },

      setViewport(viewport) {
        set({ viewport });
      },

      markSaved(ref, displayName, text, positions) {
        set({ ref, displayName, savedText: text, savedPositions: positions });
      },

      markExported(text) {
        set({ exportedText: text });
      },

      validateNow() {
        if (validateTimer) {
          clearTimeout(validateTimer);
          validateTimer = null;
          set(validated(get().text));
        }
        return get().diagnostics;
      },

      revealDiagnostic(d) {
        if (d.offset === undefined) return;
        set({ reveal: { offset: d.offset, length: d.length ?? 0, nonce: ++nonce } });
      },

      notify(message, tone = 'info') {
        set({ notice: { message, tone, nonce: ++nonce } });
      },

      isDirty() {
        const s = get();
        return s.text !== s.savedText || s.positions !== s.savedPositions;
      },
    };
  });
  return store;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
