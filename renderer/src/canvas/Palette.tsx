import { KIND_LOOKS } from './nodeKinds.ts';
import { KindIcon } from './KindIcon.tsx';
import type { NewStateKind } from '../commands/newStateBody.ts';

/** Drag-and-drop data type for palette items. */
export const PALETTE_MIME = 'application/x-studio-state-kind';

/** Adds any kind of step: click to add it in the middle of the view, or drag it onto the canvas. */
export function Palette({ onAdd }: { onAdd(kind: NewStateKind): void }) {
  return (
    <div className="palette" role="toolbar" aria-label="Add a step" aria-orientation="vertical">
      <span className="palette__title">Add</span>
      {KIND_LOOKS.map((look) => (
        <button
          key={look.kind}
          type="button"
          className={`palette__item tone-${look.tone}`}
          title={`Add "${look.label}": ${look.hint}`}
          aria-label={`Add "${look.label}"`}
          draggable
          onDragStart={(e) => {
            e.dataTransfer.setData(PALETTE_MIME, look.kind);
            e.dataTransfer.effectAllowed = 'copy';
          }}
          onClick={() => onAdd(look.kind as NewStateKind)}
        >
          <KindIcon tone={look.tone} />
        </button>
      ))}
    </div>
  );
}
