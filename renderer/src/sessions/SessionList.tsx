import type { SessionInfo } from '../host/studioHost.ts';

const when = (timestamp: string) => timestamp.replace('T', ' ').slice(0, 16);

/** One page of sessions: started, last activity, messages, where it ended or waits, preview/real, flow hash. */
export function SessionList({ sessions, draftHash, onOpen }: { sessions: SessionInfo[]; draftHash: string; onOpen(sid: string): void }) {
  if (sessions.length === 0) return <p className="sessions__empty">No recorded session matches.</p>;
  return (
    <ul className="sessions__list" aria-label="Recorded sessions">
      {sessions.map((s) => {
        const other = s.flowHash !== null && s.flowHash !== draftHash;
        return (
          <li key={s.sid}>
            <button type="button" className="session-row" data-testid="session-row" data-sid={s.sid} onClick={() => onOpen(s.sid)}>
              <span className="session-row__top">
                <span className={`session-badge is-${s.kind}`}>{s.kind === 'preview' ? 'Preview' : 'Real'}</span>
                <span className="session-row__sid" title={s.sid}>{s.sid.slice(0, 10)}</span>
                <span className="session-row__count">{s.messages} msg</span>
              </span>
              <span className="session-row__times">
                {when(s.started)} → {when(s.lastActivity).slice(11)}
              </span>
              <span className="session-row__state">
                {s.endedAtFinal ? 'Ended at ' : s.waiting ? 'Waits at ' : s.reset ? 'Restarted at ' : 'Stopped at '}
                <b>{s.state ?? 'unknown state'}</b>
                {s.flowHash !== null && (
                  <span className={`session-row__hash${other ? ' is-other' : ''}`} title={other ? `Recorded on flow ${s.flowHash}, not the current draft` : `Recorded on the current draft (${s.flowHash})`}>
                    #{s.flowHash.slice(0, 7)}{other ? ' ≠ draft' : ''}
                  </span>
                )}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
