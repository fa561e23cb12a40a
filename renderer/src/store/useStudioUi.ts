import { create } from 'zustand';

/** What the right-hand column shows: the flow's JSON, the live preview or the conversation tests, one at a time. */
export type RightTab = 'json' | 'preview' | 'tests';

export const MIN_RIGHT_WIDTH = 300;
export const MAX_RIGHT_WIDTH = 720;
/** The right column's first width: narrower on small screens, so the canvas keeps at least half the window. */
const DEFAULT_RIGHT_WIDTH = (globalThis.innerWidth ?? 1280) < 1200 ? MIN_RIGHT_WIDTH : 400;
/** Where the author's last tab choice is kept between launches. */
const TAB_KEY = 'studio.rightTab';

function savedTab(): RightTab {
  try {
    const saved = globalThis.localStorage?.getItem(TAB_KEY);
    // Canvas first: the column starts on the preview (the JSON is one click away) until the author picks a tab.
    return saved === 'json' || saved === 'tests' ? saved : 'preview';
  } catch {
    return 'preview'; // storage refused (privacy mode): the default
  }
}

function saveTab(tab: RightTab) {
  try {
    globalThis.localStorage?.setItem(TAB_KEY, tab);
  } catch {
    // not remembered; the choice still holds for this session
  }
}

/** Studio-wide view state that is not part of any document (and not undoable). */
interface StudioUi {
  searchOpen: boolean;
  /** the keyboard shortcuts table (Help › Keyboard shortcuts) */
  shortcutsOpen: boolean;
  /** the flows list beside an open flow (it folds away to give the canvas room) */
  filesOpen: boolean;
  /** the right-hand column (JSON | Preview tabs): shown or folded to a strip, its tab and its width */
  rightOpen: boolean;
  rightTab: RightTab;
  rightWidth: number;
  setFilesOpen(open: boolean): void;
  setSearchOpen(open: boolean): void;
  setShortcutsOpen(open: boolean): void;
  /** Shows the right column on a tab (the choice is remembered). */
  showRightTab(tab: RightTab): void;
  /** Folds the right column, or shows it again on its last tab. */
  setRightOpen(open: boolean): void;
  /** The View menu's toggles: hides the column when it already shows `tab`, else shows `tab`. */
  toggleRightTab(tab: RightTab): void;
  setRightWidth(width: number): void;
}

export const useStudioUi = create<StudioUi>()((set, get) => ({
  searchOpen: false,
  shortcutsOpen: false,
  filesOpen: false,
  rightOpen: true,
  rightTab: savedTab(),
  rightWidth: DEFAULT_RIGHT_WIDTH,
  setFilesOpen: (filesOpen) => set({ filesOpen }),
  setSearchOpen: (searchOpen) => set({ searchOpen }),
  setShortcutsOpen: (shortcutsOpen) => set({ shortcutsOpen }),
  showRightTab: (rightTab) => {
    if (rightTab !== get().rightTab) saveTab(rightTab);
    set({ rightTab, rightOpen: true });
  },
  setRightOpen: (rightOpen) => set({ rightOpen }),
  toggleRightTab: (tab) => {
    const { rightOpen, rightTab, showRightTab } = get();
    if (rightOpen && rightTab === tab) set({ rightOpen: false });
    else showRightTab(tab);
  },
  setRightWidth: (width) => set({ rightWidth: Math.round(Math.min(MAX_RIGHT_WIDTH, Math.max(MIN_RIGHT_WIDTH, width))) }),
}));
