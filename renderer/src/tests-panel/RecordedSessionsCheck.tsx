import { useState } from 'react';
import type { Coverage } from '../host/studioHost.ts';
import { useWorkspace } from '../files/workspaceContext.ts';
import { useDocument } from '../store/useDocument.ts';
import { describeError } from '../../../runtime/describeError.ts';

/**
 * The draft against real visitors' history: replays the recorded sessions through it (the
 * runtime's coverage replay, the same one the Sessions panel and `bot-assistant test
 * --replay-sessions` use) and says how many would now go another way, with the first few.
 */
export function RecordedSessionsCheck() {
  const host = useWorkspace((w) => w.host);
  const flowText = useDocument((d) => d.lastGoodText);
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; coverage: Coverage; text: string } | { kind: 'error'; message: string }>({ kind: 'idle' });

  const check = async () => {
    setState({ kind: 'busy' });
    try {
      const coverage = await host.getCoverage(flowText, { filter: { kind: 'real' } });
      setState({ kind: 'done', coverage, text: flowText });
    } catch (error) {
      setState({ kind: 'error', message: describeError(error) });
    }
  };

  return (
    <section className="tests__replay" aria-label="Recorded sessions">
      <button type="button" onClick={() => void check()} disabled={state.kind === 'busy'} title="Replay the real visitors' recorded sessions through this draft">
        {state.kind === 'busy' ? 'Replaying…' : 'Check against visitor history'}
      </button>
      {state.kind === 'error' && <p className="tests__error" role="alert">{state.message}</p>}
      {state.kind === 'done' && (
        <div role="status" data-testid="replay-check">
          <p>
            {state.coverage.sessions} recorded session{state.coverage.sessions === 1 ? '' : 's'} replayed{state.text !== flowText ? ' (on an earlier draft: check again)' : ''}:{' '}
            {state.coverage.differingCount === 0 ? 'every one goes the same way.' : <b>{state.coverage.differingCount} would now go another way.</b>}
          </p>
          {state.coverage.differing.length > 0 && (
            <ul>
              {state.coverage.differing.slice(0, 5).map((d) => (
                <li key={d.sid}>
                  <code>{d.sid.slice(0, 12)}</code> at {d.step === 0 ? 'the start' : `answer ${d.step}`}: {d.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
