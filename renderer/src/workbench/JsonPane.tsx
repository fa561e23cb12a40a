import { useCallback } from 'react';
import { LazyJsonEditor } from '../json-editor/LazyJsonEditor.tsx';
import { useDocument, useDocumentStore } from '../store/useDocument.ts';
import { useColorScheme } from '../theme/useColorScheme.ts';
import { syntaxErrorAt } from '../problems/plainProblems.ts';

/** The flow's JSON, always in sync with the canvas: edits that parse update the canvas (one undo step). */
export function JsonPane() {
  const store = useDocumentStore();
  const { text, diagnostics, reveal, parseOk } = useDocument((s) => ({ text: s.text, diagnostics: s.diagnostics, reveal: s.reveal, parseOk: s.parseOk }));
  const theme = useColorScheme();
  const onChange = useCallback((next: string) => store.getState().setText(next), [store]);
  return (
    <section className="json-pane nokey" aria-label="JSON">
      <p className="panel-title json-pane__bar">
        <span className={`json-pane__state ${parseOk ? 'is-ok' : 'is-broken'}`}>{parseOk ? 'in sync' : `syntax error${syntaxErrorAt(diagnostics)}: canvas paused`}</span>
      </p>
      <div className="json-pane__editor">
        <LazyJsonEditor text={text} onChange={onChange} diagnostics={diagnostics} reveal={reveal ?? undefined} theme={theme} />
      </div>
    </section>
  );
}
