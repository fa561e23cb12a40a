import type { Diagnostic, Severity } from '../../../runtime/flow/types.ts';
import type { Monaco } from './monacoSetup.ts';

type Model = NonNullable<ReturnType<Monaco['editor']['getModel']>>;
type MarkerData = Parameters<Monaco['editor']['setModelMarkers']>[2][number];

/**
 * Validator diagnostics as Monaco markers. A diagnostic without a position marks the first line,
 * so every problem is visible in the editor too.
 */
export function diagnosticsToMarkers(diagnostics: readonly Diagnostic[], model: Model, monaco: Monaco): MarkerData[] {
  const severities: Record<Severity, number> = {
    error: monaco.MarkerSeverity.Error,
    warning: monaco.MarkerSeverity.Warning,
    info: monaco.MarkerSeverity.Info,
  };
  const textLength = model.getValueLength();
  return diagnostics.map((d) => {
    let start: { lineNumber: number; column: number };
    let end: { lineNumber: number; column: number };
    if (d.offset !== undefined) {
      const from = Math.min(Math.max(d.offset, 0), textLength);
      start = model.getPositionAt(from);
      end = model.getPositionAt(Math.min(from + Math.max(d.length ?? 0, 1), textLength));
    } else if (d.line !== undefined) {
      const line = Math.min(Math.max(d.line, 1), model.getLineCount());
      start = { lineNumber: line, column: Math.max(d.column ?? 1, 1) };
      end = { lineNumber: line, column: model.getLineMaxColumn(line) };
    } else {
      start = { lineNumber: 1, column: 1 };
      end = { lineNumber: 1, column: model.getLineMaxColumn(1) };
    }
    return {
      severity: severities[d.severity],
      message: d.message,
      code: d.code,
      source: d.path ? `flow: ${d.path}` : 'flow',
      startLineNumber: start.lineNumber,
      startColumn: start.column,
      endLineNumber: end.lineNumber,
      endColumn: end.column,
    };
  });
}
