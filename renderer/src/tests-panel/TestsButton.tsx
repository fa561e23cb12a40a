import { useStudioUi } from '../store/useStudioUi.ts';
import { useConversationTests, useTestsShown } from './useConversationTests.ts';

/** The top bar's Tests toggle (the right column's Tests tab), with how many tests fail (or pass) on the draft. */
export function TestsButton() {
  const open = useTestsShown();
  const failed = useConversationTests((t) => t.summary?.failed ?? 0);
  const total = useConversationTests((t) => t.summary?.results.length ?? 0);
  const toggle = () => useStudioUi.getState().toggleRightTab('tests');
  const label = total === 0 ? 'Tests' : failed > 0 ? `Tests: ${failed} of ${total} failing` : `Tests: all ${total} passing`;
  return (
    <button type="button" className={open ? 'is-on' : undefined} aria-expanded={open} aria-label={label} title={label} onClick={toggle} data-testid="tests-toggle">
      Tests
      {total > 0 && <span className={`tests-count${failed > 0 ? ' is-failing' : ''}`} aria-hidden="true">{failed > 0 ? `${failed} ✗` : `${total} ✓`}</span>}
    </button>
  );
}
