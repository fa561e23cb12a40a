import { rescueFocus } from './rescueFocus.ts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useDocument, useDocumentStore } from '../store/useDocument.ts';
import { useStudioUi } from '../store/useStudioUi.ts';

interface Props {
  /** states matching the query (highlighted on the canvas) */
  onMatches(names: ReadonlySet<string>): void;
  onJump(name: string): void;
}

const NONE: ReadonlySet<string> = new Set();

/** Find a state by name or by any of its text (Ctrl/Cmd+F); Enter jumps to the next match. */
export function SearchBar({ onMatches, onJump }: Props) {
  const open = useStudioUi((s) => s.searchOpen);
  const setOpen = useStudioUi((s) => s.setSearchOpen);
  const flow = useDocument((s) => s.flow);
  const store = useDocumentStore();
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!open || q === '') return [];
    return flow.states.filter(({ name, state }) => name.toLowerCase().includes(q) || JSON.stringify(state).toLowerCase().includes(q)).map((s) => s.name);
  }, [flow, query, open]);

  useEffect(() => {
    onMatches(matches.length ? new Set(matches) : NONE);
  }, [matches, onMatches]);

  useEffect(() => {
    if (open) input.current?.select();
  }, [open]);

  if (!open) return null;

  /** Closes the bar; the keyboard goes to the step it found (the selected one), not to the page. */
  const close = () => {
    const found = store.getState().selection[0];
    const step = found === undefined ? null : document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(found)}"]`);
    step?.focus({ preventScroll: true });
    setOpen(false);
    rescueFocus();
  };

  const jump = (step: number) => {
    if (matches.length === 0) return;
    const at = (((index + step) % matches.length) + matches.length) % matches.length;
    setIndex(at);
    store.getState().setSelection([matches[at]]);
    onJump(matches[at]);
  };

  return (
    <div className="search-bar nokey" role="search">
      <input
        ref={input}
        type="search"
        aria-label="Find a state by name or text"
        placeholder="Find a state by name or text"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setIndex(-1);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            jump(e.shiftKey ? -1 : 1);
          } else if (e.key === 'Escape') {
            close();
          }
        }}
      />
      <span className="search-bar__count" aria-live="polite">
        {query.trim() === '' ? '' : matches.length === 0 ? 'No match' : `${Math.max(index, 0) + 1} of ${matches.length}`}
      </span>
      <button type="button" aria-label="Previous match" onClick={() => jump(-1)} disabled={matches.length === 0}>↑</button>
      <button type="button" aria-label="Next match" onClick={() => jump(1)} disabled={matches.length === 0}>↓</button>
      <button type="button" aria-label="Close search" onClick={close}>✕</button>
    </div>
  );
}
