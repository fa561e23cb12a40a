/** Explains the two kinds of links. */
export function Legend() {
  return (
    <div className="legend" aria-label="Legend">
      <span className="legend__item"><svg width="28" height="8" aria-hidden="true"><line x1="0" y1="4" x2="28" y2="4" className="legend__next" /></svg>then</span>
      <span className="legend__item"><svg width="28" height="8" aria-hidden="true"><line x1="0" y1="4" x2="28" y2="4" className="legend__answer" /></svg>answer</span>
      <span className="legend__hint">Shift+drag: select · Drag a dot: link</span>
    </div>
  );
}
