import './sessions.css';
import { useEffect, useMemo, type FormEvent } from 'react';
import { flowHash } from '../../../runtime/flow/flowHash.ts';
import { useWorkspace } from '../files/workspaceContext.ts';
import { usePreview } from '../preview/usePreview.ts';
import { useDocument } from '../store/useDocument.ts';
import { useStudioUi } from '../store/useStudioUi.ts';
import { SaveAsTestButton } from '../tests-panel/SaveAsTestButton.tsx';
import { SessionList } from './SessionList.tsx';
import { TranscriptView } from './TranscriptView.tsx';
import { useReplay, type Replay } from './useReplay.ts';
import { coverageScope, useSessions, type ReplayHighlight } from './useSessions.ts';
import { plural } from '../words/plural.ts';
import { stepWords } from '../words/stepWords.ts';

/**
 * Recorded conversations of the runtime: a filtered, paged list; a session's transcript with a
 * replay on the canvas (play, pause, step back and forth); and the coverage overlay of the draft.
 */
export function SessionsPanel() {
  const host = useWorkspace((w) => w.host);
  const s = useSessions();
  const flow = useDocument((d) => d.flow);
  const flowText = useDocument((d) => d.lastGoodText);
  const flowName = useDocument((d) => d.displayName);
  const draftHash = useMemo(() => flowHash(flow), [flow]);
  const replay = useReplay();
  // The drawer opens beside the right column, not over it: its Preview tab shows the replay.
  const rightWidth = useStudioUi((u) => (u.rightOpen ? u.rightWidth : 0));

  // The open flow's sessions by default: opening another flow lists its own.
  useEffect(() => {
    useSessions.getState().setCurrentFlow(flowName);
    void useSessions.getState().load(host);
  }, [host, flowName]);

  // Coverage follows the listing's filter when it counts the filtered sessions.
  const coverageFilter = JSON.stringify(coverageScope(s));
  useEffect(() => {
    if (s.coverageOn) void useSessions.getState().loadCoverage(host, flowText);
  }, [host, flowText, s.coverageOn, coverageFilter]);

  useEffect(() => {
    useSessions.getState().setHighlight(replay ? highlightOf(replay) : null);
  }, [replay]);
  useEffect(() => () => useSessions.getState().setHighlight(null), []);

  // The preview pane re-renders the recorded conversation up to the replay's step, read-only.
  const transcript = s.transcript;
  const shownStep = replay?.steps[replay.step - 1];
  const upto = transcript && shownStep ? transcript.entries[shownStep.last].offset : null;
  const stepCount = replay?.steps.length ?? 0;
  const stepNumber = replay?.step ?? 0;
  useEffect(() => {
    if (transcript && upto !== null) usePreview.getState().showReplay({ sid: transcript.sid, upto, step: stepNumber, steps: stepCount });
    else if (usePreview.getState().replay) usePreview.getState().showReplay(null);
  }, [transcript, upto, stepNumber, stepCount]);
  useEffect(() => () => usePreview.getState().showReplay(null), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void s.load(host);
  };
  const page = s.cursors.length;
  const shownFlows = s.applied.flow === 'this' ? flowName : 'all flows';
  const words = (state: string) => stepWords(flow, state);

  return (
    <aside className="sessions" aria-label="Sessions" style={{ right: rightWidth }}>
      <header className="sessions__head">
        <h2>Sessions</h2>
        <button type="button" aria-label="Close sessions" title="Close" onClick={() => s.setOpen(false)}>✕</button>
        <div className="sessions__coverage">
          <label className="sessions__toggle">
            <input type="checkbox" checked={s.coverageOn} onChange={(e) => s.setCoverageOn(e.target.checked)} /> Coverage
          </label>
          {s.coverageOn && (
            <>
              <select aria-label="Coverage of" title="Which sessions the coverage counts" value={s.coverageOf} onChange={(e) => s.setCoverageOf(e.target.value as 'all' | 'filtered')}>
                <option value="all">of all</option>
                <option value="filtered">of filtered</option>
              </select>
              <label className="sessions__toggle" title="Count the preview pane's conversations too">
                <input type="checkbox" checked={s.coveragePreviews} onChange={(e) => s.setCoveragePreviews(e.target.checked)} /> Previews
              </label>
            </>
          )}
        </div>
      </header>
      {s.error && <p className="sessions__error" role="alert">{s.error}</p>}
      {s.coverageOn && s.coverage && (
        <section className="coverage-summary" aria-label="Coverage" data-testid="coverage-summary">
          <p>
            {plural(s.coverage.sessions, s.coverageOf === 'filtered' ? 'filtered session' : s.coveragePreviews ? 'session' : 'real session')} of {shownFlows} replayed on this draft · {s.coverage.reachedEnd} reached the end
            {s.coverage.differingCount > 0 && <> · <b>{s.coverage.differingCount} route differently</b></>}
          </p>
          <p>
            Never visited: {s.coverage.neverVisited.length === 0 ? 'none' : <span data-testid="never-visited" title={s.coverage.neverVisited.join(', ')}>{s.coverage.neverVisited.map(words).join(' · ')}</span>}
          </p>
        </section>
      )}
      {s.transcript && replay ? (
        <section className="sessions__session" aria-label={`Session ${s.transcript.sid}`}>
          <div className="replay-bar" role="toolbar" aria-label="Replay">
            <button type="button" onClick={() => s.closeSession()}>← List</button>
            <button type="button" aria-label="Step back" title="Step back" disabled={replay.step <= 1} onClick={() => s.setStep(replay.step - 1)}>‹ Back</button>
            {s.playing ? (
              <button type="button" aria-label="Pause" title="Pause" onClick={() => s.setPlaying(false)}>❚❚ Pause</button>
            ) : (
              <button type="button" aria-label="Play" title="Play" disabled={replay.step >= replay.steps.length} onClick={() => s.setPlaying(true)}>▶ Play</button>
            )}
            <button type="button" aria-label="Step forward" title="Step forward" disabled={replay.step >= replay.steps.length} onClick={() => s.setStep(replay.step + 1)}>Forward ›</button>
            <span className="replay-bar__pos" data-testid="replay-position">Step {replay.step} of {replay.steps.length}</span>
            <SaveAsTestButton sid={s.transcript.sid} name={() => `${s.transcript?.kind === 'preview' ? 'Preview' : 'Visitor'} session ${s.transcript?.sid.slice(0, 8)}`} />
          </div>
          <p className="sessions__sid">
            {s.transcript.kind === 'preview' ? 'Preview' : 'Real'} session of {s.transcript.flow ?? 'an unnamed flow'} <code>{s.transcript.sid}</code>
            {s.transcript.flowHash && s.transcript.flowHash !== draftHash && <span className="session-row__hash is-other"> recorded on #{s.transcript.flowHash.slice(0, 7)} ≠ draft</span>}
          </p>
          <TranscriptView entries={s.transcript.entries} replay={replay} />
        </section>
      ) : (
        <section className="sessions__browse">
          <form className="sessions__filters" onSubmit={submit}>
            <select aria-label="Sessions of" className="sessions__flow" value={s.filters.flow} onChange={(e) => {
              // Which flow is a view switch, not a query to type: it applies at once.
              s.setFilters({ flow: e.target.value as 'this' | 'all' });
              void s.load(host);
            }}>
              <option value="this">This flow ({flowName})</option>
              <option value="all">All flows</option>
            </select>
            <input type="search" placeholder="Id, state or what the user wrote" aria-label="Search sessions" value={s.filters.query} onChange={(e) => s.setFilters({ query: e.target.value })} />
            <select aria-label="Kind" value={s.filters.kind} onChange={(e) => s.setFilters({ kind: e.target.value as '' | 'preview' | 'real' })}>
              <option value="">All</option>
              <option value="real">Real</option>
              <option value="preview">Preview</option>
            </select>
            <input type="date" aria-label="From" value={s.filters.from} onChange={(e) => s.setFilters({ from: e.target.value })} />
            <input type="date" aria-label="To" value={s.filters.to} onChange={(e) => s.setFilters({ to: e.target.value })} />
            <button type="submit">Filter</button>
          </form>
          <SessionList sessions={s.sessions} draftHash={draftHash} openFlow={flowName} words={words} onOpen={(sid) => void s.openSession(host, sid)} />
          <footer className="sessions__paging">
            <button type="button" disabled={page <= 1 || s.loading} onClick={() => void s.load(host, 'previous')}>‹ Newer</button>
            <span data-testid="sessions-total">{plural(s.total, 'session')} · page {page}</span>
            <button type="button" disabled={!s.nextCursor || s.loading} onClick={() => void s.load(host, 'next')}>Older ›</button>
            <button type="button" onClick={() => void s.load(host, 'same')}>Refresh</button>
          </footer>
        </section>
      )}
    </aside>
  );
}

function highlightOf(replay: Replay): ReplayHighlight | null {
  const step = replay.result.steps[replay.step - 1];
  if (!step) return null;
  const links = step.visited.slice(1).map((target, i) => ({ source: step.visited[i], target }));
  if (step.answer) links.push({ source: step.answer.source, target: step.answer.target });
  return { states: step.visited, links, differs: step.difference !== null };
}
