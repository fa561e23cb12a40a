import { create } from 'zustand';
import { PREVIEW_ACCESS_PARAM, PREVIEW_KEY_PARAM } from '../../../runtime/contract/previewPage.ts';
import type { PreviewStep } from '../host/studioHost.ts';
import { useStudioUi } from '../store/useStudioUi.ts';
import { applyPreviewStep, EMPTY_TRAIL, type PreviewTrail } from './previewTrail.ts';

/** What the preview runs compared with the open draft. */
export type PreviewSync =
  | { kind: 'idle' }
  | { kind: 'live' }
  /** the draft has errors: the preview runs the last valid version */
  | { kind: 'stale'; errors: number }
  | { kind: 'failed'; message: string };

/** A recorded session the pane shows read-only, up to one replay step (the Sessions panel drives it). */
export interface PreviewReplay {
  sid: string;
  /** offset of the step's last record: the widget is sent the session's frames up to it */
  upto: number;
  /** the replay step shown, 1-based, and how many there are */
  step: number;
  steps: number;
}

/** Studio-wide preview state (not part of any document, not undoable). */
interface PreviewState {
  /**
   * The iframe's page query: where a new session starts, and the conversation's key (random, drawn
   * anew for each fresh conversation): the runtime resumes the session it started for this key, so a
   * reload of the frame replays the conversation. The sandboxed page has no cookie to do that.
   */
  startAt: string | null;
  key: string | null;
  sync: PreviewSync;
  /** an edit is on its way to the runtime (it goes a moment after the last change): the pane is busy */
  updating: boolean;
  trail: PreviewTrail;
  /** a recorded session shown instead of the live preview, or null */
  replay: PreviewReplay | null;
  /** the open document whose draft the live conversation runs (null until its first draft is in) */
  runsDocument: object | null;
  /**
   * The draft of a newly opened document is in: a fresh conversation from its start, without
   * bringing the Preview tab forward (switching, creating or deleting flows switches the preview).
   */
  switchTo(document: object): void;
  /** a fresh conversation, at `startAt` (null: the flow's start); the Preview tab comes forward */
  restart(startAt?: string | null): void;
  setSync(sync: PreviewSync): void;
  setUpdating(updating: boolean): void;
  step(step: PreviewStep): void;
  /** Shows a recorded session up to a step (the Preview tab comes forward), or the live preview again (null). */
  showReplay(replay: PreviewReplay | null): void;
}

/** A conversation key: 128 bits from the browser's CSPRNG, in hex (the form the runtime accepts). */
export function newConversationKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export const usePreview = create<PreviewState>()((set, get) => ({
  startAt: null,
  key: null,
  sync: { kind: 'idle' },
  updating: false,
  trail: EMPTY_TRAIL,
  replay: null,
  runsDocument: null,
  switchTo: (document) => {
    if (get().runsDocument === document) return;
    set({ runsDocument: document, startAt: null, key: newConversationKey(), trail: EMPTY_TRAIL });
  },
  restart: (startAt) => {
    set((s) => ({ startAt: startAt === undefined ? s.startAt : startAt, key: newConversationKey(), trail: EMPTY_TRAIL }));
    useStudioUi.getState().showRightTab('preview');
  },
  setSync: (sync) => set({ sync }),
  setUpdating: (updating) => set({ updating }),
  step: (step) => set((s) => ({ trail: applyPreviewStep(s.trail, step) })),
  showReplay: (replay) => {
    const starting = replay !== null && get().replay === null;
    set({ replay });
    // Only when a replay starts: stepping through it leaves the author's tab choice alone.
    if (starting) useStudioUi.getState().showRightTab('preview');
  },
}));

/**
 * The preview token the runtime put in the studio page (`<meta name="preview-access">`, both hosts
 * serve the page): the sandboxed preview page sends no cookies, so its address carries this token,
 * which opens previews and nothing else. Null when the page has none (then previews are refused).
 */
function previewAccess(): string | null {
  return document.querySelector<HTMLMetaElement>('meta[name="preview-access"]')?.content || null;
}

/** The preview page's address on the runtime, for the iframe and the pop-out window. */
export function previewPageUrl(runtimeUrl: string, startAt: string | null, key: string | null): string {
  const url = previewPage(runtimeUrl);
  if (key) url.searchParams.set(PREVIEW_KEY_PARAM, key);
  if (startAt) url.searchParams.set('start', startAt);
  return url.href;
}

/** The preview page replaying a recorded session read-only, up to a record offset. */
export function replayPageUrl(runtimeUrl: string, replay: PreviewReplay): string {
  const url = previewPage(runtimeUrl);
  url.searchParams.set('replay', replay.sid);
  url.searchParams.set('upto', String(replay.upto));
  return url.href;
}

function previewPage(runtimeUrl: string): URL {
  const url = new URL('preview/', runtimeUrl);
  const access = previewAccess();
  if (access) url.searchParams.set(PREVIEW_ACCESS_PARAM, access);
  return url;
}
