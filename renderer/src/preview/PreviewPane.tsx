import './previewPane.css';
import { useEffect, useState } from 'react';
import { useWorkspaceStore } from '../files/workspaceContext.ts';
import { SaveAsTestButton } from '../tests-panel/SaveAsTestButton.tsx';
import { useDocument, useDocumentStore } from '../store/useDocument.ts';
import { PreviewFrame } from './PreviewFrame.tsx';
import { previewPageUrl, replayPageUrl, usePreview, type PreviewSync } from './usePreview.ts';

function syncNotice(sync: PreviewSync, unsaved: boolean): { text: string; tone: 'ok' | 'warn' | 'error' } | null {
  switch (sync.kind) {
    case 'live':
      return { text: unsaved ? 'Live: runs your unsaved draft' : 'Live: runs the flow as saved', tone: 'ok' };
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
 * frame beside the canvas, shown under the right column's Preview tab (which resizes and folds it),
 * and (in a browser) poppable into its own tab.
 */
export function PreviewPane() {
  const host = useWorkspaceStore().getState().host;
  const { startAt, key, sync, updating, replay, restart, showReplay, runsDocument } = usePreview();
  // Live only once this document's draft is in: until then the frame would show the last flow's conversation.
  const ours = runsDocument === useDocumentStore();
  const liveSid = usePreview((p) => p.trail.sid);
  const [runtimeUrl, setRuntimeUrl] = useState<string | null>(null);
  useEffect(() => {
    void host.runtimeUrl().then(setRuntimeUrl);
  }, [host]);

  const liveSrc = runtimeUrl && ours ? previewPageUrl(runtimeUrl, startAt, key) : null;
  const src = runtimeUrl && replay ? replayPageUrl(runtimeUrl, replay) : liveSrc;
  const unsaved = useDocument((s) => s.isDirty());
  const notice = replay || !ours ? null : syncNotice(sync, unsaved);

  return (
    // Busy while an edit is on its way to the runtime: what the pane shows may change in a moment.
    <section className="preview" aria-label="Preview" aria-busy={updating && !replay}>
      <header className="preview__bar">
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
          {!replay && <SaveAsTestButton sid={liveSid} name={() => `Preview conversation ${new Date().toLocaleTimeString()}`} />}
          {host.kind === 'web' && liveSrc && (
            <button type="button" title="Open the preview in its own tab" aria-label="Pop out the preview" onClick={() => window.open(liveSrc, '_blank', 'noopener')}>
              ↗
            </button>
          )}
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
        {src ? <PreviewFrame src={src} /> : <p className="preview__loading">{runtimeUrl ? 'Loading this flow…' : 'Connecting to the runtime…'}</p>}
      </div>
    </section>
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
