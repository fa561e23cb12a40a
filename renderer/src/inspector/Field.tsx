import type { ReactNode } from 'react';
import type { Diagnostic } from '../../../runtime/flow/types.ts';
import { FieldProblems } from './FieldProblems.tsx';

interface Props {
  label: string;
  /** id of the control, so the label names it */
  htmlFor: string;
  hint?: string;
  problems?: Diagnostic[];
  children: ReactNode;
}

/** A labelled form row with its problems inline. */
export function Field({ label, htmlFor, hint, problems = [], children }: Props) {
  return (
    <div className={`field${problems.some((p) => p.severity === 'error') ? ' has-error' : ''}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint && <div className="field-hint">{hint}</div>}
      <FieldProblems problems={problems} />
    </div>
  );
}
