import { create } from 'zustand';

/** The Live drawer (the operator console of the studio's runtime): shown or not, and what the console last counted. */
interface LiveState {
  open: boolean;
  /** conversations waiting for a person */
  waiting: number;
  /** conversations the author has */
  mine: number;
  setOpen(open: boolean): void;
  toggle(): void;
  setCounts(waiting: number, mine: number): void;
}

export const useLive = create<LiveState>()((set) => ({
  open: false,
  waiting: 0,
  mine: 0,
  setOpen: (open) => set({ open }),
  toggle: () => set((s) => ({ open: !s.open })),
  setCounts: (waiting, mine) => set({ waiting, mine }),
}));
