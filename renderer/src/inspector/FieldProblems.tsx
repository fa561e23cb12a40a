import type { Diagnostic } from '../../../runtime/flow/types.ts';

/** The problems of one field, shown under it. */
export function FieldProblems({ problems }: { problems: Diagnostic[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="field-problems">
      {problems.map((d, i) => (
        <li key={i} className={`field-problem sev-${d.severity}`}>
          {d.message}
        </li>
      ))}
    </ul>
  );
}

/** Problems whose path is `path` or inside it. */
export function problemsAt(diagnostics: readonly Diagnostic[], path: string): Diagnostic[] {
  return diagnostics.filter((d) => d.path === path || d.path.startsWith(`${path}.`) || d.path.startsWith(`${path}[`));
}
