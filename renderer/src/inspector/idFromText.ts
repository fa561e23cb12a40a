import type { Id } from '../../../runtime/flow/types.ts';

/** Text typed for an id, as an id of the same type as `like` (numeric ids stay numbers when the text is a number). */
export function idFromText(text: string, like: unknown): Id {
  const trimmed = text.trim();
  if (typeof like === 'number' && trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
  return trimmed;
}
