/**
 * The one door a flow comes through before the runtime runs it: checked with the same
 * diagnostics the studio shows, and refused with all of them when any is an error (a `next` to a
 * missing state or a `next` loop would strand every session that reaches it).
 */
import { describeFsError } from '../stream/logFileSystem.ts';
import { readFile } from 'node:fs/promises';
import { checkFlowText } from '../flow/checkFlowText.ts';
import { serializeFlow } from '../flow/serializeFlow.ts';
import type { Diagnostic, Flow } from '../flow/types.ts';

/** A flow the runtime will not run, with every diagnostic found. */
export class FlowRejectedError extends Error {
  readonly source: string;
  readonly diagnostics: Diagnostic[];

  constructor(source: string, diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super(`${source}: the flow has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${errors.map((d) => formatDiagnostic(source, d)).join('\n')}`);
    this.name = 'FlowRejectedError';
    this.source = source;
    this.diagnostics = diagnostics;
  }
}

/** `file:line:col severity code message`, the line the CLI prints for a diagnostic. */
export function formatDiagnostic(source: string, diagnostic: Diagnostic): string {
  const where = diagnostic.path ? ` (at ${diagnostic.path})` : '';
  return `${source}:${diagnostic.line ?? 1}:${diagnostic.column ?? 1} ${diagnostic.severity} ${diagnostic.code} ${diagnostic.message}${where}`;
}

/** A checked flow and the warnings that did not stop it. */
export interface CheckedFlow {
  flow: Flow;
  diagnostics: Diagnostic[];
}

/** Check flow text; throws FlowRejectedError when it has errors. */
export function checkFlowSource(source: string, text: string): CheckedFlow {
  const checked = checkFlowText(text);
  if (!checked.flow || checked.diagnostics.some((d) => d.severity === 'error')) throw new FlowRejectedError(source, checked.diagnostics);
  return { flow: checked.flow, diagnostics: checked.diagnostics };
}

/** Read and check a flow file. Throws a clear Error when it cannot be read, FlowRejectedError when it is invalid. */
export async function loadFlowFile(path: string): Promise<CheckedFlow> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read flow file ${path}: ${describeFsError(error)}`);
  }
  return checkFlowSource(path, text);
}

/** Check a flow given as an object (it is serialized, so line numbers refer to that text). */
export function checkFlowObject(flow: Flow, source = '(flow)'): CheckedFlow {
  return checkFlowSource(source, serializeFlow(flow));
}
