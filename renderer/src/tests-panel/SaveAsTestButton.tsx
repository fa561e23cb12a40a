import { useState } from 'react';
import { compileFlow } from '../../../runtime/flow/compileFlow.ts';
import { transcriptToTest } from '../../../runtime/history/transcriptToTest.ts';
import { useWorkspace } from '../files/workspaceContext.ts';
import { useDocumentStore } from '../store/useDocument.ts';
import { useConversationTests } from './useConversationTests.ts';
import { describeError } from '../../../runtime/describeError.ts';

/**
 * "Save as test" on a conversation (the preview's, or a recorded session's): its transcript becomes
 * a test whose expectations are what the bot said, added to the flow's tests and shown in the Tests panel.
 */
export function SaveAsTestButton({ sid, name, className }: { sid: string | null; name: () => string; className?: string }) {
  const host = useWorkspace((w) => w.host);
  const document = useDocumentStore();
  const blocked = useConversationTests((t) => t.file === null);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    if (!sid) return;
    setBusy(true);
    try {
      const transcript = await host.getTranscript(sid);
      const result = transcriptToTest(transcript.entries, name(), compileFlow(document.getState().flow));
      if (!result.ok) document.getState().notify(result.message, 'error');
      else {
        useConversationTests.getState().add(host, result.test);
        document.getState().notify(`Saved the conversation as the test "${useConversationTests.getState().file?.tests.at(-1)?.name ?? result.test.name}" (see the Tests tab).`);
      }
    } catch (error) {
      document.getState().notify(`Could not save the conversation as a test: ${describeError(error)}`, 'error');
    } finally {
      setBusy(false);
    }
  };

  const why = !sid ? 'Click through a conversation first' : blocked ? 'The tests file does not parse: fix it first (see the Tests panel)' : 'Save this conversation as a test of the flow';
  return (
    <button type="button" className={className} title={why} disabled={!sid || blocked || busy} onClick={() => void save()} data-testid="save-as-test">
      {busy ? 'Saving…' : '✓ Save as test'}
    </button>
  );
}
