import { create } from 'zustand';
import type { DocumentStore } from '../store/createDocumentStore.ts';

/** Whether File › Publish… is open, and for which open flow (the dialog reads its draft from it). */
interface PublishDialogState {
  document: DocumentStore | null;
  show(document: DocumentStore): void;
  close(): void;
}

export const usePublishDialog = create<PublishDialogState>((set) => ({
  document: null,
  show: (document) => set({ document }),
  close: () => set({ document: null }),
}));
