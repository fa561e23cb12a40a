import { useConversationTests, useTestsShown } from './useConversationTests.ts';
import { divergedState } from './useTestDecorations.ts';

/**
 * On a canvas node, while the Tests tab shows: "no test" when no test's conversation passes
 * through the state, or where the selected failing test went another way.
 */
export function TestBadge({ state }: { state: string }) {
  const shown = useTestsShown();
  const untested = useConversationTests((t) => shown && (t.file?.tests.length ?? 0) > 0 && t.unreached.has(state));
  const diverged = useConversationTests((t) => shown && divergedState(t) === state);
  if (diverged) {
    return (
      <div className="test-badge is-diverged" data-testid={`test-diverged-${state}`}>
        ✗ The test went another way here
      </div>
    );
  }
  if (!untested) return null;
  return (
    <div className="test-badge" data-testid={`test-untested-${state}`} title="No conversation test passes through this step">
      No test reaches this step
    </div>
  );
}
