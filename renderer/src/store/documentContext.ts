import { createContext } from 'react';
import type { DocumentStore } from './createDocumentStore.ts';

/** The open document's store; provided by `DocumentProvider`. */
export const DocumentContext = createContext<DocumentStore | null>(null);
