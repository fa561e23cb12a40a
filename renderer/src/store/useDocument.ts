import { useContext } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { DocumentContext } from './documentContext.ts';
import type { DocumentState, DocumentStore } from './createDocumentStore.ts';

/** The open document's store API (for actions and reads outside render). */
export function useDocumentStore(): DocumentStore {
  const store = useContext(DocumentContext);
  if (!store) throw new Error('useDocument* was called outside <DocumentProvider>: wrap the component in a DocumentProvider.');
  return store;
}

/** Selects a slice of the open document; object and array slices are compared shallowly. */
export function useDocument<T>(selector: (state: DocumentState) => T): T {
  return useStore(useDocumentStore(), useShallow(selector));
}
