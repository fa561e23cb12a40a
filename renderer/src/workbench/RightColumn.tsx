import { useRef, type KeyboardEvent, type PointerEvent as ReactPointerEvent } from 'react';
import { PreviewPane } from '../preview/PreviewPane.tsx';
import { usePreview } from '../preview/usePreview.ts';
import { useStudioUi, type RightTab } from '../store/useStudioUi.ts';
import { TestsPanel } from '../tests-panel/TestsPanel.tsx';
import { JsonPane } from './JsonPane.tsx';

const TABS: { id: RightTab; label: string; name: string }[] = [
  { id: 'json', label: 'JSON', name: 'the JSON' },
  { id: 'preview', label: 'Preview', name: 'the preview' },
  { id: 'tests', label: 'Tests', name: 'the tests' },
];

/**
 * The right-hand column: the JSON editor and the live preview as tabs, one shown at a time, so the
 * canvas keeps its room. Both stay mounted when hidden: Monaco keeps its state and the preview's
 * conversation (and the canvas following it) goes on. Resizable by its left edge, foldable to a strip.
 */
export function RightColumn() {
  const open = useStudioUi((s) => s.rightOpen);
  const tab = useStudioUi((s) => s.rightTab);
  const width = useStudioUi((s) => s.rightWidth);
  const live = usePreview((p) => p.trail.sid !== null && p.replay === null);
  const tabRefs = useRef<Partial<Record<RightTab, HTMLButtonElement | null>>>({});
  const ui = useStudioUi.getState;

  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    const index = TABS.findIndex((t) => t.id === tab);
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = TABS[(moves[event.key] + TABS.length) % TABS.length].id;
    ui().showRightTab(next);
    tabRefs.current[next]?.focus();
  };

  const startResize = (event: ReactPointerEvent<HTMLDivElement>) => {
    event.preventDefault();
    const from = event.clientX;
    const initial = width;
    const handle = event.currentTarget;
    handle.setPointerCapture(event.pointerId);
    const move = (e: PointerEvent) => ui().setRightWidth(initial + (from - e.clientX));
    const stop = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', stop);
      handle.removeEventListener('pointercancel', stop);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', stop);
    handle.addEventListener('pointercancel', stop);
  };

  return (
    <aside className={`right-col${open ? '' : ' is-folded'}`} aria-label="JSON and preview" style={open ? { width } : undefined}>
      {open ? (
        <>
          <div
            className="right-col__resize"
            role="separator"
            aria-orientation="vertical"
            aria-label="Resize the JSON and preview column"
            aria-valuenow={width}
            tabIndex={0}
            onPointerDown={startResize}
            onKeyDown={(e) => {
              if (e.key === 'ArrowLeft') ui().setRightWidth(width + 16);
              if (e.key === 'ArrowRight') ui().setRightWidth(width - 16);
            }}
          />
          <header className="right-col__bar">
            <div className="right-col__tabs" role="tablist" aria-label="JSON or preview">
              {TABS.map((t) => (
                <button
                  key={t.id}
                  ref={(el) => {
                    tabRefs.current[t.id] = el;
                  }}
                  type="button"
                  role="tab"
                  id={`right-tab-${t.id}`}
                  aria-controls={`right-panel-${t.id}`}
                  aria-selected={tab === t.id}
                  tabIndex={tab === t.id ? 0 : -1}
                  className={`right-col__tab${tab === t.id ? ' is-selected' : ''}`}
                  title={t.id === 'preview' && live ? 'A preview conversation is running' : undefined}
                  onClick={() => ui().showRightTab(t.id)}
                  onKeyDown={onTabKey}
                >
                  {t.label}
                  {t.id === 'preview' && live && <span className="right-col__live" data-testid="preview-live-dot" aria-hidden="true" />}
                </button>
              ))}
            </div>
            <button type="button" className="right-col__fold" title="Fold this column" aria-label={`Hide ${TABS.find((t) => t.id === tab)?.name ?? 'this column'}`} onClick={() => ui().setRightOpen(false)}>
              ›
            </button>
          </header>
        </>
      ) : (
        <div className="right-col__strip">
          {TABS.map((t) => (
            <button key={t.id} type="button" className="right-col__unfold" aria-label={`Show ${t.name}`} onClick={() => ui().showRightTab(t.id)}>
              <span aria-hidden="true">‹</span> {t.label}
            </button>
          ))}
        </div>
      )}
      {TABS.map((t) => (
        <div key={t.id} className="right-col__panel" role="tabpanel" id={`right-panel-${t.id}`} aria-labelledby={`right-tab-${t.id}`} hidden={!open || tab !== t.id}>
          {t.id === 'json' ? <JsonPane /> : t.id === 'preview' ? <PreviewPane /> : <TestsPanel />}
        </div>
      ))}
    </aside>
  );
}
