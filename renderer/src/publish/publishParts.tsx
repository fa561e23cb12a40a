/**
 * Small pieces the publish dialog, its preview and the versions list share: a list of changes
 * between two versions, a list of diagnostics, and `plural`.
 */
import type { FlowChange } from '../../../runtime/flow/describeFlowChanges.ts';
import type { Diagnostic } from '../../../runtime/flow/types.ts';

const KIND_LABELS: Record<FlowChange['kind'], string> = {
  added: 'Added',
  removed: 'Removed',
  text: 'Text',
  choices: 'Choices',
  route: 'Re-routed',
  start: 'Start',
};

/** Changes between two versions, one sentence each, tagged with their kind. */
export function ChangeList({ changes }: { changes: FlowChange[] }) {
  return (
    <ul className="publish__changes">
      {changes.map((change, index) => (
        <li key={index} className={`publish__change is-${change.kind}`}>
          <span className="publish__kind">{KIND_LABELS[change.kind]}</span> {change.text}
        </li>
      ))}
    </ul>
  );
}

/** Problems the server (or the draft's own check) found, with where they are. */
export function DiagnosticList({ title, diagnostics }: { title: string; diagnostics: Diagnostic[] }) {
  return (
    <section aria-label={title}>
      <h3>{title}</h3>
      <ul className="publish__diagnostics">
        {diagnostics.map((d, index) => (
          <li key={index} className={`is-${d.severity}`}>
            {d.message}
            {(d.path || d.line) && <small> ({[d.path, d.line ? `line ${d.line}` : ''].filter(Boolean).join(', ')})</small>}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
