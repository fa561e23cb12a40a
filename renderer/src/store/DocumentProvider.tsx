import { useEffect, useState, type ReactNode } from 'react';
import { createDocumentStore, type DocumentStore, type OpenDocument } from './createDocumentStore.ts';
import { DocumentContext } from './documentContext.ts';

interface Props {
  document: OpenDocument;
  /** told about the store once it exists (the workspace asks it whether there are unsaved changes) */
  onStore?: (store: DocumentStore | null) => void;
  children: ReactNode;
}

/** Creates one store for one open document. Remount (change `key`) to open another document. */
export function DocumentProvider({ document, onStore, children }: Props) {
  const [store] = useState(() => createDocumentStore(document));
  useEffect(() => {
    onStore?.(store);
    return () => onStore?.(null);
  }, [store, onStore]);
  return <DocumentContext.Provider value={store}>{children}</DocumentContext.Provider>;
}
