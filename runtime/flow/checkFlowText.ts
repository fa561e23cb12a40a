/**
 * The one call the CLI, the server and the studio make on a flow file's text. Pure.
 */
import { SEVERITY_RANK } from './diagnosticCodes.ts';
import { parseFlow, type ParseResult } from './parseFlow.ts';
import type { Diagnostic } from './types.ts';
import { validateFlow } from './validateFlow.ts';

/**
 * Parse, check shapes and validate a flow text. Every diagnostic (syntax, shape, semantic) is in
 * `diagnostics`, sorted by position in the text (then errors before warnings before infos).
 * Never throws.
 */
export function checkFlowText(text: string): ParseResult {
  const result = parseFlow(text);
  const diagnostics = result.flow ? [...result.diagnostics, ...validateFlow(result.flow, result.sourceMap ?? undefined)] : result.diagnostics;
  return { ...result, diagnostics: sortDiagnostics(diagnostics) };
}

/** Sort by text position (diagnostics without one first), then severity; stable otherwise. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((diagnostic, order) => ({ diagnostic, order }))
    .sort((a, b) => (a.diagnostic.offset ?? -1) - (b.diagnostic.offset ?? -1) || SEVERITY_RANK[a.diagnostic.severity] - SEVERITY_RANK[b.diagnostic.severity] || a.order - b.order)
    .map(({ diagnostic }) => diagnostic);
}
