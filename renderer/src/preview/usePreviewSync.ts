import { useEffect } from 'react';
import { useWorkspaceStore } from '../files/workspaceContext.ts';
import { useDocument, useDocumentStore } from '../store/useDocument.ts';
import { usePreview } from './usePreview.ts';
import { describeError } from '../../../runtime/describeError.ts';

/** Pause after an edit before the draft goes to the runtime (typing sends one update, not one per key). */
const PUSH_DELAY_MS = 200;

/**
 * Hot reload: each valid version of the open document goes to the runtime's preview sessions, with
 * the document's file name (its sessions are listed under it);
 * while the draft has errors, the preview keeps the last valid one and says so. The first version
 * of a newly opened document starts a fresh conversation (the pane never shows another flow's).
 * Also feeds the runtime's preview steps to the canvas trail.
 */
export function usePreviewSync(): void {
  const workspace = useWorkspaceStore();
  const document = useDocumentStore();
  const { text, name, parseOk, errors } = useDocument((s) => ({
    text: s.text,
    name: s.displayName,
    parseOk: s.parseOk,
    errors: s.diagnostics.filter((d) => d.severity === 'error').length,
  }));

  useEffect(() => workspace.getState().host.onPreviewStep((step) => usePreview.getState().step(step)), [workspace]);

  useEffect(() => {
    const { setSync, setUpdating } = usePreview.getState();
    if (!parseOk || errors > 0) {
      setUpdating(false);
      setSync({ kind: 'stale', errors: Math.max(1, errors) });
      return;
    }
    let cancelled = false;
    setUpdating(true);
    const timer = setTimeout(() => {
      workspace
        .getState()
        .host.previewFlow(text, name)
        .then(
          () => {
            if (cancelled) return;
            // The first draft of a newly opened flow: its own fresh conversation, never the last flow's.
            usePreview.getState().switchTo(document);
            setSync({ kind: 'live' });
          },
          (error: unknown) => !cancelled && setSync({ kind: 'failed', message: describeError(error) }),
        )
        .finally(() => !cancelled && setUpdating(false));
    }, PUSH_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      setUpdating(false);
    };
  }, [workspace, document, text, name, parseOk, errors]);
}
