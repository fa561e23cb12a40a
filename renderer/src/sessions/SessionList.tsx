import type { SessionInfo } from '../host/studioHost.ts';
import { plural } from '../words/plural.ts';
import { requestWords } from '../words/stepWords.ts';

const when = (timestamp: string) => timestamp.replace('T', ' ').slice(0, 16);

interface SessionListProps {
  sessions: SessionInfo[];
  draftHash: string;
  /** the open flow's file name: its sessions' steps are named in the author's words */
  openFlow: string;
  words(state: string): string;
  onOpen(sid: string): void;
}

/** One page of sessions: preview/real, its flow, started and last activity, messages, where it ended or waits, flow version. */
export function SessionList({ sessions, draftHash, openFlow, words, onOpen }: SessionListProps) {
  if (sessions.length === 0) return <p className="sessions__empty">No recorded session matches.</p>;
  return (
    <ul className="sessions__list" aria-label="Recorded sessions">
      {sessions.map((s) => {
        const other = s.flowHash !== null && s.flowHash !== draftHash;
        // What the bot said there as recorded: the draft may say something else by now.
        const where = requestWords(s.request) || (s.state === null ? 'unknown step' : s.flow === openFlow ? words(s.state) : s.state);
        return (
          <li key={s.sid}>
            <button type="button" className="session-row" data-testid="session-row" data-sid={s.sid} onClick={() => onOpen(s.sid)}>
              <span className="session-row__top">
                <span className={`session-badge is-${s.kind}`} title={s.kind === 'preview' ? "From the studio's preview pane" : 'A visitor on a site'}>{s.kind === 'preview' ? 'Preview' : 'Real'}</span>
                <span className="session-row__flow" data-testid="session-flow" title={s.flow ?? 'Recorded before sessions named their flow'}>{s.flow ?? 'unknown flow'}</span>
                <span className="session-row__count">{plural(s.messages, 'message')}</span>
              </span>
              <span className="session-row__times">
                {when(s.started)} → {when(s.lastActivity).slice(11)} · <span className="session-row__sid" title={s.sid}>{s.sid.slice(0, 8)}</span>
              </span>
              <span className="session-row__state">
                {s.endedAtFinal ? 'Ended at ' : s.waiting ? 'Waits at ' : s.reset ? 'Restarted at ' : 'Stopped at '}
                <b title={s.state ?? undefined}>{where}</b>
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
