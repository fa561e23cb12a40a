import type { KindLook } from './nodeKinds.ts';

const PATHS: Record<KindLook['tone'], string> = {
  // speech bubble
  say: 'M2 3.5A1.5 1.5 0 0 1 3.5 2h9A1.5 1.5 0 0 1 14 3.5v6a1.5 1.5 0 0 1-1.5 1.5H7l-3 3v-3h-.5A1.5 1.5 0 0 1 2 9.5z',
  // question mark in a circle
  ask: 'M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13zM6 6.2a2 2 0 1 1 2.8 1.8c-.5.3-.8.6-.8 1.2v.6M8 11.6v.2',
  // keyboard
  open: 'M1.5 4h13v8h-13zM4 6.5h.01M6.5 6.5h.01M9 6.5h.01M11.5 6.5h.01M5 9.5h6',
  // stop square in a circle
  close: 'M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13zM5.8 5.8h4.4v4.4H5.8z',
  // pointer
  pick: 'M4 2l8 6-3.6.6 2.1 4.3-1.6.8-2.1-4.3L4 12z',
  // pencil
  type: 'M11 2.5l2.5 2.5L6 12.5 3 13l.5-3zM9.5 4l2.5 2.5',
  // a person: head and shoulders ("Talk to a person")
  person: 'M8 2.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5zM3 13.5c0-2.8 2.2-4.5 5-4.5s5 1.7 5 4.5',
  // diamond
  other: 'M8 2l6 6-6 6-6-6z',
};

/** A small line icon for a kind of step (drawn, so it does not depend on emoji fonts). */
export function KindIcon({ tone }: { tone: KindLook['tone'] }) {
  return (
    <svg className="kind-icon" width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round">
      <path d={PATHS[tone]} />
    </svg>
  );
}
