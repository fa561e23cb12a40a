import { create } from 'zustand';

/** Studio-wide view state that is not part of any document (and not undoable). */
interface StudioUi {
  searchOpen: boolean;
  jsonVisible: boolean;
  setSearchOpen(open: boolean): void;
  toggleJson(): void;
}

export const useStudioUi = create<StudioUi>()((set) => ({
  searchOpen: false,
  jsonVisible: true,
  setSearchOpen: (searchOpen) => set({ searchOpen }),
  toggleJson: () => set((s) => ({ jsonVisible: !s.jsonVisible })),
}));
