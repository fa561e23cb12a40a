import { useEffect, useMemo } from 'react';
import { compileFlow } from '../../../runtime/flow/compileFlow.ts';
import { runConversationTests } from '../../../runtime/flow/runConversationTest.ts';
import { useWorkspace } from '../files/WorkspaceContext.ts';
import { useDocument } from '../store/useDocument.ts';
import { useConversationTests } from './useConversationTests.ts';

/**
 * Keeps the Tests panel's results current: loads the open flow's tests file, and re-runs every
 * test on the pure engine whenever the draft changes (the document's flow only changes on a valid
 * edit: while typed JSON does not parse it stays the last good one) or the tests do.
 */
export function useTestRunner(): void {
  const host = useWorkspace((w) => w.host);
  const ref = useDocument((d) => d.ref);
  const flow = useDocument((d) => d.flow);
  const file = useConversationTests((t) => t.file);
  const compiled = useMemo(() => compileFlow(flow), [flow]);

  useEffect(() => {
    void useConversationTests.getState().attach(host, ref);
  }, [host, ref]);

  useEffect(() => {
    if (!file) return;
    const started = performance.now();
    const summary = runConversationTests(compiled, file);
    useConversationTests.getState().setSummary(summary, performance.now() - started);
  }, [compiled, file]);
}
