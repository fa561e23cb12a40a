import { lazy, Suspense } from 'react';
import type { JsonEditorProps } from './JsonEditor.tsx';

const JsonEditor = lazy(() => import('./JsonEditor.tsx'));

/** The JSON editor, loaded on demand: the canvas is usable while Monaco (a few MB) loads. */
export function LazyJsonEditor(props: JsonEditorProps) {
  return (
    <Suspense fallback={<div className="json-editor-loading" role="status">Loading JSON editor…</div>}>
      <JsonEditor {...props} />
    </Suspense>
  );
}
