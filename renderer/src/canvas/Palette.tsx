import { KIND_LOOKS } from './nodeKinds.ts';
import type { NewStateKind } from '../commands/newStateBody.ts';

/** Drag-and-drop data type for palette items. */
export const PALETTE_MIME = 'application/x-studio-state-kind';

/** Adds any kind of step: click to add it in the middle of the view, or drag it onto the canvas. */
export function Palette({ onAdd }: { onAdd(kind: NewStateKind): void }) {
  return (
    <div className="palette" role="toolbar" aria-label="Add a step">
      {KIND_LOOKS.map((look) => (
        <button
          key={look.kind}
          type="button"
          className={`palette__item tone-${look.tone}`}
          title={`${look.label}: ${look.hint}`}
          aria-label={`Add "${look.label}"`}
          draggable
          onDragStart={(e) => {
            e.dataTransfer.setData(PALETTE_MIME, look.kind);
            e.dataTransfer.effectAllowed = 'copy';
          }}
          onClick={() => onAdd(look.kind as NewStateKind)}
        >
          <span className="kind-icon" aria-hidden="true">{look.icon}</span>
          <span className="palette__label">{look.label}</span>
        </button>
      ))}
    </div>
  );
}
