import type { Diagnostic } from '../../../runtime/flow/types.ts';
import { useDocument, useDocumentStore } from '../store/useDocument.ts';
import { useStudioUi } from '../store/useStudioUi.ts';

const ICON = { error: '!', warning: '!', info: 'i' } as const;

interface Props {
  /** centres the canvas on a state */
  onShowState(name: string): void;
}

/** Every problem of the document; a click selects its step, centres it and reveals it in the JSON. */
export function ProblemsPanel({ onShowState }: Props) {
  const store = useDocumentStore();
  const diagnostics = useDocument((s) => s.diagnostics);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;

  const show = (d: Diagnostic) => {
    const s = store.getState();
    if (d.state && s.flow.states.some((n) => n.name === d.state)) {
      s.setSelection([d.state]);
      onShowState(d.state);
    }
    if (d.offset !== undefined) useStudioUi.getState().showRightTab('json');
    s.revealDiagnostic(d);
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
          {diagnostics.map((d, i) => (
            <li key={`${d.code}:${d.path}:${i}`}>
              <button type="button" className={`problem sev-${d.severity}`} onClick={() => show(d)}>
                <span className={`problem__icon sev-${d.severity}`} role="img" aria-label={d.severity}>{ICON[d.severity]}</span>
                <span className="problem__body">
                  <span className="problem__meta">
                    <code>{d.code}</code>
                    {d.state && <span className="problem__state">{d.state}</span>}
                    {d.line !== undefined && <span className="problem__line">line {d.line}</span>}
                  </span>
                  <span className="problem__message">{d.message}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
