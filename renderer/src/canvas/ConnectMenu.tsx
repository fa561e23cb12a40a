import { useEffect, useRef } from 'react';
import { KindIcon } from './KindIcon.tsx';
import { KIND_LOOKS } from './nodeKinds.ts';
import type { NewStateKind } from '../commands/newStateBody.ts';

interface Props {
  /** where to show the menu, relative to the canvas */
  at: { left: number; top: number };
  onPick(kind: NewStateKind): void;
  onClose(): void;
}

/** "What comes next?": shown when a link is dropped on empty canvas; creates the picked step there. */
export function ConnectMenu({ at, onPick, onClose }: Props) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div
      className="connect-menu"
      role="menu"
      aria-label="What comes next?"
      style={{ left: at.left, top: at.top }}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <div className="connect-menu__title">What comes next?</div>
      {KIND_LOOKS.map((look, i) => (
        <button
          key={look.kind}
          ref={i === 0 ? first : undefined}
          type="button"
          role="menuitem"
          className={`connect-menu__item tone-${look.tone}`}
          onClick={() => onPick(look.kind as NewStateKind)}
        >
          <KindIcon tone={look.tone} />
          <span>{look.label}</span>
        </button>
      ))}
      <button type="button" role="menuitem" className="connect-menu__cancel" onClick={onClose}>Cancel</button>
    </div>
  );
}
