import { useEffect, useMemo, useRef } from 'react';
import { compileFlow } from '../../../runtime/flow/compileFlow.ts';
import { rerunConversationTests, type TestRun } from '../../../runtime/flow/rerunConversationTests.ts';
import { useWorkspace } from '../files/workspaceContext.ts';
import { useDocument } from '../store/useDocument.ts';
import { useConversationTests } from './useConversationTests.ts';

/**
 * Keeps the Tests panel's results current: loads the open flow's tests file, and re-runs the tests
 * on the pure engine whenever the draft changes (the document's flow only changes on a valid edit:
 * while typed JSON does not parse it stays the last good one) or the tests do. Only the tests the
 * edit can affect run again (see rerunConversationTests).
 */
export function useTestRunner(): void {
  const host = useWorkspace((w) => w.host);
  const ref = useDocument((d) => d.ref);
  const flow = useDocument((d) => d.flow);
  const file = useConversationTests((t) => t.file);
  const compiled = useMemo(() => compileFlow(flow), [flow]);
  const last = useRef<TestRun | null>(null);

  useEffect(() => {
    void useConversationTests.getState().attach(host, ref);
  }, [host, ref]);

  useEffect(() => {
    if (!file) return;
    const started = performance.now();
    last.current = rerunConversationTests(compiled, file, last.current);
    useConversationTests.getState().setSummary(last.current.summary, performance.now() - started);
  }, [compiled, file]);
}
