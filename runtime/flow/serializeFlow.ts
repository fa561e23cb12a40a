/**
 * Flow -> text in the article's layout. Pure.
 */
import type { Flow, TextFormat } from './types.ts';

const DEFAULT_FORMAT: TextFormat = { eol: '\n', finalNewline: true };

/**
 * Serialize a flow exactly as `JSON.stringify(object, null, 4)` would lay it out, except that the
 * states keep the array's order (a plain object would move integer-like names such as "1" first).
 * Inside a state, keys keep their object order and unknown fields are written as they are.
 * Line breaks and the final newline follow `format` (default: "\n" and a final newline), so
 * `serializeFlow(parsed.flow, parsed.format)` gives back any text in this layout byte for byte.
 */
export function serializeFlow(flow: Flow, format: TextFormat = DEFAULT_FORMAT): string {
  let text: string;
  if (flow.states.length === 0) {
    text = '{}';
  } else {
    const members = flow.states.map(({ name, state }) => `    ${JSON.stringify(name)}: ${indent(JSON.stringify(state, null, 4) ?? 'null')}`);
    text = `{\n${members.join(',\n')}\n}`;
  }
  if (format.eol !== '\n') text = text.replaceAll('\n', format.eol);
  return format.finalNewline ? text + format.eol : text;
}

/** Nest a stringified value one level deeper. JSON text has no raw line breaks inside strings, so every "\n" is a line break. */
function indent(json: string): string {
  return json.replaceAll('\n', '\n    ');
}
