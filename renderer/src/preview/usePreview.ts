import { create } from 'zustand';
import type { PreviewStep } from '../host/StudioHost.ts';
import { applyPreviewStep, EMPTY_TRAIL, type PreviewTrail } from './previewTrail.ts';

/** What the preview runs compared with the open draft. */
export type PreviewSync =
  | { kind: 'idle' }
  | { kind: 'live' }
  /** the draft has errors: the preview runs the last valid version */
  | { kind: 'stale'; errors: number }
  | { kind: 'failed'; message: string };

export const MIN_PREVIEW_WIDTH = 300;
export const MAX_PREVIEW_WIDTH = 720;

/** Studio-wide preview state (not part of any document, not undoable). */
interface PreviewState {
  open: boolean;
  width: number;
  /** the iframe's page query: where a new session starts and the nonce that asks for one */
  startAt: string | null;
  fresh: string | null;
  sync: PreviewSync;
  trail: PreviewTrail;
  setOpen(open: boolean): void;
  setWidth(width: number): void;
  /** a fresh conversation, at `startAt` (null: the flow's start) */
  restart(startAt?: string | null): void;
  setSync(sync: PreviewSync): void;
  step(step: PreviewStep): void;
}

let nonce = 0;

export const usePreview = create<PreviewState>()((set) => ({
  open: true,
  width: 340,
  startAt: null,
  fresh: null,
  sync: { kind: 'idle' },
  trail: EMPTY_TRAIL,
  setOpen: (open) => set({ open }),
  setWidth: (width) => set({ width: Math.round(Math.min(MAX_PREVIEW_WIDTH, Math.max(MIN_PREVIEW_WIDTH, width))) }),
  restart: (startAt) =>
    set((s) => ({ startAt: startAt === undefined ? s.startAt : startAt, fresh: `${Date.now().toString(36)}-${++nonce}`, trail: EMPTY_TRAIL, open: true })),
  setSync: (sync) => set({ sync }),
  step: (step) => set((s) => ({ trail: applyPreviewStep(s.trail, step) })),
}));

/** The preview page's address on the runtime, for the iframe and the pop-out window. */
export function previewPageUrl(runtimeUrl: string, startAt: string | null, fresh: string | null): string {
  const url = new URL('preview/', runtimeUrl);
  if (startAt) url.searchParams.set('start', startAt);
  if (fresh) url.searchParams.set('fresh', fresh);
  return url.href;
}
