import './live.css';
import { useEffect, useRef, useState } from 'react';
import { useWorkspace } from '../files/workspaceContext.ts';
import { useSessions } from '../sessions/useSessions.ts';
import { useStudioUi } from '../store/useStudioUi.ts';
import { useLive } from './useLive.ts';

/** What the operator console page (its console.js, served by the runtime) posts to the studio. */
interface ConsoleCounts {
  source: 'bot-operator-console';
  waiting: number;
  mine: number;
}

function isConsoleCounts(data: unknown): data is ConsoleCounts {
  const d = data as Partial<ConsoleCounts> | null;
  return typeof d === 'object' && d !== null && d.source === 'bot-operator-console' && typeof d.waiting === 'number' && typeof d.mine === 'number';
}

/**
 * The Live drawer: the runtime's own operator console (`/operator/`) in a frame, the studio's
 * author signed in by the studio's access cookie. It stays loaded while the drawer is closed, so
 * the Live button counts waiting visitors and the author keeps the conversations they hold.
 */
export function LivePanel() {
  const host = useWorkspace((w) => w.host);
  const open = useLive((l) => l.open);
  const sessionsOpen = useSessions((s) => s.open);
  const rightWidth = useStudioUi((u) => (u.rightOpen ? u.rightWidth : 0));
  const [src, setSrc] = useState<string | null>(null);
  const frame = useRef<HTMLIFrameElement>(null);

  useEffect(() => {
    let live = true;
    void host.runtimeUrl().then((url) => live && setSrc(new URL('operator/', url).href));
    return () => {
      live = false;
    };
  }, [host]);

  useEffect(() => {
    if (!src) return;
    const origin = new URL(src).origin;
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== origin || event.source !== frame.current?.contentWindow || !isConsoleCounts(event.data)) return;
      useLive.getState().setCounts(event.data.waiting, event.data.mine);
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [src]);

  // One drawer at a time: opening Sessions puts Live away.
  useEffect(() => {
    if (sessionsOpen) useLive.getState().setOpen(false);
  }, [sessionsOpen]);

  if (!src) return null;
  return (
    <aside className="live" aria-label="Live conversations" hidden={!open} style={{ right: rightWidth }}>
      <header className="live__head">
        <h2>Live</h2>
        <span className="live__hint">Visitors and previews that asked for a person, and every conversation running now.</span>
        <button type="button" aria-label="Close live conversations" title="Close" onClick={() => useLive.getState().setOpen(false)}>✕</button>
      </header>
      <iframe ref={frame} className="live__console" title="Operator console" src={src} data-testid="live-console" />
    </aside>
  );
}
