import { create } from 'zustand';

/** Studio-wide view state that is not part of any document (and not undoable). */
interface StudioUi {
  searchOpen: boolean;
  jsonVisible: boolean;
  /** the flows list beside an open flow (it folds away to give the canvas room) */
  filesOpen: boolean;
  setFilesOpen(open: boolean): void;
  setSearchOpen(open: boolean): void;
  toggleJson(): void;
}

export const useStudioUi = create<StudioUi>()((set) => ({
  searchOpen: false,
  jsonVisible: true,
  filesOpen: false,
  setFilesOpen: (filesOpen) => set({ filesOpen }),
  setSearchOpen: (searchOpen) => set({ searchOpen }),
  toggleJson: () => set((s) => ({ jsonVisible: !s.jsonVisible })),
}));
