import './previewPane.css';
import { useEffect, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { useWorkspaceStore } from '../files/WorkspaceContext.ts';
import { PreviewFrame } from './PreviewFrame.tsx';
import { previewPageUrl, replayPageUrl, usePreview, type PreviewSync } from './usePreview.ts';

function syncNotice(sync: PreviewSync): { text: string; tone: 'ok' | 'warn' | 'error' } | null {
  switch (sync.kind) {
    case 'live':
      return { text: 'Live: runs your unsaved draft', tone: 'ok' };
    case 'stale':
      return { text: `Preview runs the last valid version: fix ${sync.errors} error${sync.errors === 1 ? '' : 's'}`, tone: 'warn' };
    case 'failed':
      return { text: `The runtime refused the draft: ${sync.message}`, tone: 'error' };
    default:
      return null;
  }
}

/**
 * The live preview: the runtime's `/preview/` page (the real widget, as production serves it) in a
 * frame beside the canvas. Resizable by its left edge, foldable, and (in a browser) poppable into
 * its own tab.
 */
export function PreviewPane() {
  const host = useWorkspaceStore().getState().host;
  const { open, width, startAt, fresh, sync, replay, setOpen, setWidth, restart, showReplay } = usePreview();
  const [runtimeUrl, setRuntimeUrl] = useState<string | null>(null);
  useEffect(() => {
    void host.runtimeUrl().then(setRuntimeUrl);
  }, [host]);

  if (!open) {
    return (
      <aside className="preview preview--folded" aria-label="Preview">
        <button type="button" className="preview__unfold" title="Show the preview" aria-label="Show the preview" onClick={() => setOpen(true)}>
          <span aria-hidden="true">‹</span> Preview
        </button>
      </aside>
    );
  }

  const liveSrc = runtimeUrl ? previewPageUrl(runtimeUrl, startAt, fresh) : null;
  const src = runtimeUrl && replay ? replayPageUrl(runtimeUrl, replay) : liveSrc;
  const notice = replay ? null : syncNotice(sync);
  const startResize = (event: ReactPointerEvent<HTMLDivElement>) => {
    event.preventDefault();
    const from = event.clientX;
    const initial = width;
    const handle = event.currentTarget;
    handle.setPointerCapture(event.pointerId);
    const move = (e: PointerEvent) => setWidth(initial + (from - e.clientX));
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
    <aside className="preview" aria-label="Preview" style={{ width }}>
      <div
        className="preview__resize"
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize the preview"
        aria-valuenow={width}
        tabIndex={0}
        onPointerDown={startResize}
        onKeyDown={(e) => {
          if (e.key === 'ArrowLeft') setWidth(width + 16);
          if (e.key === 'ArrowRight') setWidth(width - 16);
        }}
      />
      <header className="preview__bar">
        <h2 className="panel-title">Preview</h2>
        {startAt && (
          <span className="preview__from" title="New conversations start at this step">
            from <code>{startAt}</code>
          </span>
        )}
        <div className="preview__actions">
          {!replay && (
            <button type="button" title="Restart the conversation (a fresh session)" aria-label="Restart conversation" onClick={() => restart()}>
              ↻ Restart
            </button>
          )}
          {startAt && !replay && (
            <button type="button" title="Start from the flow's first step again" onClick={() => restart(null)}>
              From start
            </button>
          )}
          {host.kind === 'web' && liveSrc && (
            <button type="button" title="Open the preview in its own tab" aria-label="Pop out the preview" onClick={() => window.open(liveSrc, '_blank', 'noopener')}>
              ↗
            </button>
          )}
          <button type="button" title="Hide the preview" aria-label="Hide the preview" onClick={() => setOpen(false)}>
            ›
          </button>
        </div>
      </header>
      {replay && (
        <div className="preview__replay" role="status" data-testid="preview-replay-bar">
          <span>
            Replaying session <code title={replay.sid}>{replay.sid.slice(0, 6)}…</code> step {replay.step} of {replay.steps} — read-only
          </span>
          <button type="button" onClick={() => showReplay(null)}>
            Back to live preview
          </button>
        </div>
      )}
      {notice && (
        <p className={`preview__notice tone-${notice.tone}`} role="status" data-testid="preview-notice">
          {notice.text}
        </p>
      )}
      <div className="preview__frame">
        {src ? <PreviewFrame src={src} /> : <p className="preview__loading">Connecting to the runtime…</p>}
      </div>
    </aside>
  );
}

/** "Start preview here": a fresh preview conversation that begins at this step. */
export function StartPreviewHere({ name }: { name: string }) {
  return (
    <button type="button" title="Start a fresh preview conversation at this step" onClick={() => usePreview.getState().restart(name)}>
      ▶ Start preview here
    </button>
  );
}
