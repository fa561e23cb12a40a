import './problems.css';
import type { Diagnostic, Flow } from '../../../runtime/flow/types.ts';
import { useDocument, useDocumentStore } from '../store/useDocument.ts';
import { useStudioUi } from '../store/useStudioUi.ts';
import { plainProblem } from './plainProblems.ts';
import { runProblemFix } from './runProblemFix.ts';
import { clickedProblemNow, problemKey } from './sameProblem.ts';

const ICON = { error: '!', warning: '!', info: 'i' } as const;

interface Props {
  /** centres the canvas on a state */
  onShowState(name: string): void;
}

/**
 * Every problem of the document in the author's words, with a fix button where one exists. A click
 * selects the step, centres it and puts the cursor in the inspector field concerned; the JSON is
 * revealed too when its tab is open (the author who never opens it is not sent there).
 */
export function ProblemsPanel({ onShowState }: Props) {
  const store = useDocumentStore();
  const diagnostics = useDocument((s) => s.diagnostics);
  // the flow the listed problems were found in: their step names are its names
  const checkedFlow = useDocument((s) => s.checkedFlow);
  const keys = rowKeys(diagnostics, checkedFlow);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;

  const show = (clicked: Diagnostic) => {
    const d = clickedProblemNow(store, clicked, checkedFlow) ?? clicked;
    const s = store.getState();
    if (d.state && s.flow.states.some((n) => n.name === d.state)) {
      s.setSelection([d.state]);
      onShowState(d.state);
    }
    const ui = useStudioUi.getState();
    if (ui.rightOpen && ui.rightTab === 'json') s.revealDiagnostic(d);
    const field = plainProblem(d, s.flow).field;
    // The inspector shows the newly selected step on the next render: focus its field then.
    if (field) setTimeout(() => focusField(field), 60);
  };

  // Validation runs 60 ms after an edit, so the row clicked may come from the list before the last edit
  // (with old step names, or rows since moved): the fix is taken from that problem as it is now.
  const fix = (clicked: Diagnostic) => {
    const same = clickedProblemNow(store, clicked, checkedFlow);
    const s = store.getState();
    const fresh = same && plainProblem(same, s.flow).fix;
    if (fresh) runProblemFix(store, fresh);
    else s.notify('That problem is gone already: the list now shows what is left.');
  };

  return (
    <section className="problems" aria-label="Problems">
      <h2 className="panel-title">
        Problems
        <span className="problems__counts">
          {diagnostics.length === 0 ? 'none' : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`}
        </span>
      </h2>
      {diagnostics.length === 0 ? (
        <p className="problems__empty">No problems found.</p>
      ) : (
        <ul className="problems__list">
          {diagnostics.map((d, i) => {
            const plain = plainProblem(d, checkedFlow);
            return (
              // Keyed by what the problem is, not by its path (a rename changes paths: a row rebuilt then would
              // swallow a click on its fix button and drop the keyboard focus) nor by its index (see problemKey).
              <li key={keys[i]} className="problem-row">
                <button type="button" className={`problem sev-${d.severity}`} onClick={() => show(d)}>
                  <span className={`problem__icon sev-${d.severity}`} role="img" aria-label={d.severity}>{ICON[d.severity]}</span>
                  <span className="problem__body">
                    <span className="problem__message">{plain.text}</span>
                  </span>
                </button>
                {plain.fix && (
                  <button type="button" className="problem__fix" onClick={() => fix(d)}>
                    {plain.fix.label}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** Each row's key: its problem's identity, numbered where two problems share one. */
function rowKeys(diagnostics: readonly Diagnostic[], checkedFlow: Flow): string[] {
  const seen = new Map<string, number>();
  return diagnostics.map((d) => {
    const key = problemKey(d, checkedFlow);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? key : `${key}#${n}`;
  });
}

function focusField(id: string) {
  const field = document.getElementById(id);
  if (!(field instanceof HTMLElement)) return;
  // A field in a closed fold (the inspector's Advanced ids) is shown first.
  const fold = field.closest('details');
  if (fold) fold.open = true;
  field.scrollIntoView({ block: 'nearest' });
  field.focus();
}
