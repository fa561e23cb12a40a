/**
 * Every diagnostic code the flow checks produce, with its severity and what it means. Codes are
 * stable: the CLI's JSON output, the studio and tests refer to them. Pure.
 */
import type { Diagnostic, Severity, SourceSpan } from './types.ts';

export const DIAGNOSTIC_CODES = {
  'json-syntax': { severity: 'error', description: 'The file is not valid JSON.' },
  'flow-not-object': { severity: 'error', description: 'The top level of the file is not an object of named states.' },
  'state-duplicate': { severity: 'error', description: 'Two states have the same name; only the last one would be kept.' },
  'key-duplicate': { severity: 'warning', description: 'A key occurs twice in one object inside a state; the last value wins.' },
  shape: { severity: 'error', description: 'A value does not fit the file format (wrong type, missing field, wrong constant).' },
  'field-misspelt': { severity: 'warning', description: 'A field a letter or two away from one the object lacks ("nxt" for "next"): unknown fields are kept but do nothing.' },
  'kind-unknown': { severity: 'error', description: 'A sendRequest or matchResponse has a kind that does not exist.' },
  'kind-misplaced': { severity: 'error', description: 'A response kind is used in sendRequest, or a request kind in matchResponse.' },
  'flow-empty': { severity: 'error', description: 'The flow has no states, so no conversation can start.' },
  'next-missing': { severity: 'error', description: '`next` names a state that does not exist.' },
  'next-cycle': { severity: 'error', description: '`next` links form a loop; the server follows `next` at once, so it would repeat the loop forever.' },
  'start-silent': { severity: 'error', description: 'The first state, and the states its `next` chain reaches, send nothing, so a new conversation shows nothing.' },
  'state-empty': { severity: 'error', description: 'A state has no sendRequest, no matchResponse and no next: it does nothing.' },
  'choices-empty': { severity: 'error', description: 'A ChoiceRequest has no choices, so the user cannot answer it.' },
  'choice-duplicate': { severity: 'error', description: 'Two choices of one ChoiceRequest have the same itemId (compared with `==`).' },
  'text-empty': { severity: 'warning', description: 'A BotText, a question or a choice has no text: the widget shows an empty message, or buttons under no question, or a blank button.' },
  'state-unreachable': { severity: 'warning', description: 'No conversation can get to this state (from the first state, via next or answers).' },
  'choice-unanswered': { severity: 'warning', description: 'No matchResponse answers this choice: picking it is a dead end.' },
  'response-unmatched': { severity: 'warning', description: 'No request can produce the answer this matchResponse waits for.' },
  'chat-unanswered': { severity: 'warning', description: 'A StartChatSession has no UserText matchResponse for its sessionId: what the user types goes nowhere.' },
  'chat-end-unknown': { severity: 'warning', description: 'An EndChatSession closes a sessionId that no StartChatSession opens.' },
  'choice-group-conflict': { severity: 'warning', description: 'Two ChoiceRequests share a groupId but offer different choices.' },
  'response-shadowed': { severity: 'warning', description: 'An earlier state already answers the same choice or chat session; the first one wins, so this one is never used.' },
  'handoff-settings': { severity: 'error', description: 'An OperatorHandoff has an empty or odd queue name, or a timeoutSeconds that is not a positive number of seconds (at most a day).' },
  'handoff-no-fallback': { severity: 'warning', description: 'An OperatorHandoff has no next: when no operator claims the conversation in time, it ends without a word.' },
  'handoff-article-server': { severity: 'info', description: "OperatorHandoff is this project's extension: the article's own server does not hand off on it (it sends it on and follows next at once)." },
  'conversation-end': { severity: 'info', description: 'The conversation ends after this state (no next, nothing to wait for): fine for a final message.' },
  'id-loose-match': { severity: 'info', description: 'An id matches only loosely (a number against a string, e.g. 1 and "1"); it works, as in the original server.' },
} as const satisfies Record<string, { severity: Severity; description: string }>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Severity order for sorting: errors first. */
export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** A diagnostic of `code` (its severity comes from the table), placed at `span` when known. */
export function makeDiagnostic(code: DiagnosticCode, path: string, message: string, state: string | undefined, span: SourceSpan | undefined): Diagnostic {
  const diagnostic: Diagnostic = { code, severity: DIAGNOSTIC_CODES[code].severity, path, message };
  if (state !== undefined) diagnostic.state = state;
  if (span) {
    diagnostic.line = span.line;
    diagnostic.column = span.column;
    diagnostic.offset = span.offset;
    diagnostic.length = span.length;
  }
  return diagnostic;
}
