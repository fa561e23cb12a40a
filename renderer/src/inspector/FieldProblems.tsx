import type { Diagnostic } from '../../../runtime/flow/types.ts';
import { plainProblem } from '../problems/plainProblems.ts';
import { useDocument } from '../store/useDocument.ts';

/** The problems of one field, shown under it in the author's words (the JSON tab marks the technical text). */
export function FieldProblems({ problems }: { problems: Diagnostic[] }) {
  const flow = useDocument((s) => s.flow);
  if (problems.length === 0) return null;
  return (
    <ul className="field-problems">
      {problems.map((d, i) => (
        <li key={i} className={`field-problem sev-${d.severity}`}>
          {plainProblem(d, flow).text}
        </li>
      ))}
    </ul>
  );
}

/** Problems whose path is `path` or inside it. */
export function problemsAt(diagnostics: readonly Diagnostic[], path: string): Diagnostic[] {
  return diagnostics.filter((d) => d.path === path || d.path.startsWith(`${path}.`) || d.path.startsWith(`${path}[`));
}
