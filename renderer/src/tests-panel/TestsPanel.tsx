import './testsPanel.css';
import { acceptNewBehaviour } from '../../../runtime/flow/editConversationTests.ts';
import { useCanvasActions } from '../canvas/useCanvasActions.ts';
import { useWorkspace } from '../files/workspaceContext.ts';
import { usePreview } from '../preview/usePreview.ts';
import { FailureView } from './FailureView.tsx';
import { RecordedSessionsCheck } from './RecordedSessionsCheck.tsx';
import { SaveAsTestButton } from './SaveAsTestButton.tsx';
import { TestEditor } from './TestEditor.tsx';
import { useConversationTests } from './useConversationTests.ts';

/**
 * The flow's conversation tests, run on the draft after every valid edit: pass or fail for each,
 * where a failing one went another way (expected beside said, the step shown on the canvas) with
 * "Accept the new behaviour", a small editor, and the steps no test reaches.
 */
export function TestsPanel() {
  const host = useWorkspace((w) => w.host);
  const t = useConversationTests();
  const canvas = useCanvasActions();
  const previewSid = usePreview((p) => (p.replay === null ? p.trail.sid : null));

  const tests = t.file?.tests ?? [];
  const results = t.summary?.results ?? [];
  const lastUndo = t.past.at(-1)?.label;

  return (
    <section className="tests" aria-label="Conversation tests" data-testid="tests-panel">
      <header className="tests__head">
        <h2>Tests</h2>
        {t.summary && tests.length > 0 && (
          <span className="tests__summary" role="status" data-testid="tests-summary">
            <span className="is-pass">{t.summary.passed} passed</span> · <span className={t.summary.failed > 0 ? 'is-fail' : undefined}>{t.summary.failed} failed</span>
          </span>
        )}
        <button type="button" disabled={!lastUndo} title={lastUndo ? `Undo ${lastUndo}` : 'Nothing to undo in the tests'} aria-label={lastUndo ? `Undo ${lastUndo}` : 'Undo (nothing to undo)'} onClick={() => t.undo(host)}>
          ↶ Undo
        </button>
      </header>
      {t.loadErrors.length > 0 && (
        <div className="tests__error" role="alert">
          <p>The tests file does not parse, so it is left as it is: fix it in an editor, then reopen the flow.</p>
          <ul>
            {t.loadErrors.map((e, i) => (
              <li key={i}>{e.line === undefined ? '' : `Line ${e.line}, column ${e.column}: `}{e.message}</li>
            ))}
          </ul>
        </div>
      )}
      {t.saveError && <p className="tests__error" role="alert">{t.saveError}</p>}
      {t.ref === null && <p className="tests__note">This flow has no file yet: its tests are kept here and saved beside it when you save the flow.</p>}
      <div className="tests__actions">
        <SaveAsTestButton sid={previewSid} name={() => `Preview conversation ${new Date().toLocaleTimeString()}`} />
      </div>
      {t.file && tests.length === 0 && (
        <p className="tests__empty">
          No tests yet. Click through a conversation in the preview, then <b>Save as test</b>; or open a recorded session in Sessions and save it as a test.
        </p>
      )}
      <ul className="tests__list">
        {tests.map((test, index) => {
          const result = results[index];
          const passed = result?.passed ?? true;
          const open = t.selected === index;
          return (
            <li key={`${index}-${test.name}`} className={`test-row${open ? ' is-open' : ''}`} data-testid="test-row">
              <div className="test-row__top">
                <span className={`test-row__status ${passed ? 'is-pass' : 'is-fail'}`} data-testid="test-status">
                  {passed ? '✓ passed' : '✗ failed'}
                </span>
                <button type="button" className="test-row__name" aria-expanded={open} onClick={() => t.select(open ? null : index)}>
                  {test.name}
                </button>
                <button type="button" aria-label={`Edit ${test.name}`} title="Edit the test" onClick={() => (t.select(index), t.edit(t.editing === index ? null : index))}>
                  Edit
                </button>
                <button type="button" className="danger-text" aria-label={`Delete ${test.name}`} title="Delete the test" onClick={() => t.replace(host, index, null, `Delete test "${test.name}"`)}>
                  Delete
                </button>
              </div>
              {open && t.editing === index && (
                <TestEditor
                  test={test}
                  onCancel={() => t.edit(null)}
                  onSave={(edited) => {
                    t.replace(host, index, edited, `Edit test "${edited.name}"`);
                    t.edit(null);
                  }}
                />
              )}
              {open && t.editing !== index && result?.failure && (
                <FailureView
                  failure={result.failure}
                  onShow={() => result.failure?.state !== undefined && canvas.centerOn(result.failure.state)}
                  onAccept={
                    result.failure.actual
                      ? () => {
                          const accepted = acceptNewBehaviour(test, result.failure!);
                          if (accepted) t.replace(host, index, accepted, `Accept the new behaviour in "${test.name}"`);
                        }
                      : undefined
                  }
                />
              )}
              {open && t.editing !== index && result?.passed && (
                <p className="test-row__detail">Passes: {test.turns.length} turn{test.turns.length === 1 ? '' : 's'}, through {new Set(result.visited).size} steps.</p>
              )}
            </li>
          );
        })}
      </ul>
      {t.summary && tests.length > 0 && (
        <footer className="tests__foot">
          <span data-testid="tests-unreached">{t.summary.unreached.length === 0 ? 'Every step is reached by a test.' : `${t.summary.unreached.length} step${t.summary.unreached.length === 1 ? '' : 's'} no test reaches (marked on the canvas).`}</span>
          <span>Ran in {t.runMs < 1 ? '<1' : Math.round(t.runMs)} ms</span>
        </footer>
      )}
      <RecordedSessionsCheck />
    </section>
  );
}
