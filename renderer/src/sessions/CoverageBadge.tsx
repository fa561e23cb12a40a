import './sessions.css';
import { useSessions } from './useSessions.ts';

/** On a canvas node, with the coverage overlay on: sessions that passed through the state, and those that stopped there. */
export function CoverageBadge({ state }: { state: string }) {
  const counts = useSessions((s) => (s.coverageOn ? s.coverageByState.get(state) : undefined));
  if (!counts) return null;
  return (
    <div className={`coverage-badge${counts.passed === 0 ? ' is-never' : ''}`} data-testid={`coverage-${state}`}>
      <span title="Sessions that passed through this state">{counts.passed} passed</span>
      {counts.droppedOff > 0 && <span className="coverage-badge__drop" title="Sessions that stopped here without reaching the end">{counts.droppedOff} stopped here</span>}
    </div>
  );
}
