import { useEffect, useRef } from 'react';
import type { Diagnostic } from '../../../runtime/flow/types.ts';
import { newFlowModelUri, setupMonaco, type Monaco } from './monacoSetup.ts';
import { diagnosticsToMarkers } from './diagnosticsToMarkers.ts';
import { minimalEdit } from './minimalEdit.ts';

/** A range of the text to scroll to and select; a new `nonce` asks again for the same range. */
export interface RevealRequest {
  offset: number;
  length: number;
  nonce: number;
}

export interface JsonEditorProps {
  /** the flow file's text; external changes are applied as a minimal edit (cursor and undo survive) */
  text: string;
  /** called with the whole text after the author edits it (debounced), never for `text` prop changes */
  onChange(text: string): void;
  /** the validator's diagnostics for `text`, shown as markers */
  diagnostics: Diagnostic[];
  reveal?: RevealRequest;
  theme: 'light' | 'dark';
  readOnly?: boolean;
}

const CHANGE_DEBOUNCE_MS = 150;
const MARKER_OWNER = 'flow-validator';

type Editor = ReturnType<Monaco['editor']['create']>;

/**
 * The synced JSON view of a flow: Monaco with the flow schema (completion, hover), the
 * validator's markers, and two-way text sync. Load it through `LazyJsonEditor` so Monaco
 * stays out of the first paint.
 */
export default function JsonEditor({ text, onChange, diagnostics, reveal, theme, readOnly = false }: JsonEditorProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<Editor | null>(null);
  const monacoRef = useRef<Monaco | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  /** the last text this component reported or was given: an echo of it is not an external change */
  const syncedTextRef = useRef(text);
  const applyingExternalRef = useRef(false);
  const flushRef = useRef<() => void>(() => {});

  useEffect(() => {
    const monaco = setupMonaco();
    monacoRef.current = monaco;
    const model = monaco.editor.createModel(syncedTextRef.current, 'json', newFlowModelUri());
    model.updateOptions({ tabSize: 4, insertSpaces: true });
    const editor = monaco.editor.create(containerRef.current!, {
      model,
      theme: theme === 'dark' ? 'vs-dark' : 'vs',
      readOnly,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      // the default dims the last line's number below 2:1 contrast (WCAG 1.4.3)
      renderFinalNewline: 'on',
      fixedOverflowWidgets: true,
      detectIndentation: false,
      tabSize: 4,
      ariaLabel: 'Flow JSON. Escape leaves the editor.',
    });
    editorRef.current = editor;
    // Tab indents in here, so Escape is the way out for the keyboard (unless a widget it would close is open).
    editor.addCommand(
      monaco.KeyCode.Escape,
      () => document.getElementById('right-tab-json')?.focus(),
      '!suggestWidgetVisible && !findWidgetVisible && !parameterHintsVisible && !renameInputVisible && !inSnippetMode && !markersNavigationVisible && !editorHasMultipleSelections',
    );

    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      const value = model.getValue();
      if (value === syncedTextRef.current) return;
      syncedTextRef.current = value;
      onChangeRef.current(value);
    };
    flushRef.current = flush;
    const contentListener = model.onDidChangeContent(() => {
      if (applyingExternalRef.current) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(flush, CHANGE_DEBOUNCE_MS);
    });
    const blurListener = editor.onDidBlurEditorText(flush);

    return () => {
      if (timer !== undefined) flush();
      flushRef.current = () => {};
      contentListener.dispose();
      blurListener.dispose();
      editor.dispose();
      model.dispose();
      editorRef.current = null;
    };
    // Created once; the effects below keep options and content in step with the props.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model || text === syncedTextRef.current) return;
    syncedTextRef.current = text;
    const current = model.getValue();
    if (current === text) return;
    const edit = minimalEdit(current, text);
    const start = model.getPositionAt(edit.offset);
    const end = model.getPositionAt(edit.offset + edit.deleteLength);
    applyingExternalRef.current = true;
    try {
      editor.pushUndoStop();
      editor.executeEdits('external', [
        { range: { startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: end.lineNumber, endColumn: end.column }, text: edit.insert },
      ]);
      editor.pushUndoStop();
    } finally {
      applyingExternalRef.current = false;
    }
  }, [text]);

  useEffect(() => {
    const monaco = monacoRef.current;
    const model = editorRef.current?.getModel();
    if (!monaco || !model) return;
    monaco.editor.setModelMarkers(model, MARKER_OWNER, diagnosticsToMarkers(diagnostics, model, monaco));
  }, [diagnostics, text]);

  useEffect(() => {
    monacoRef.current?.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [theme]);

  useEffect(() => {
    editorRef.current?.updateOptions({ readOnly });
  }, [readOnly]);

  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model || !reveal) return;
    const start = model.getPositionAt(reveal.offset);
    const end = model.getPositionAt(reveal.offset + reveal.length);
    const range = { startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: end.lineNumber, endColumn: end.column };
    editor.setSelection(range);
    editor.revealRangeInCenterIfOutsideViewport(range);
    // Only a new nonce asks again; offset/length changes alone are not a request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reveal?.nonce]);

  return (
    <div className="json-editor nokey nowheel nodrag" data-testid="json-editor" style={{ width: '100%', height: '100%' }}>
      <div ref={containerRef} style={{ width: '100%', height: '100%' }} />
    </div>
  );
}
