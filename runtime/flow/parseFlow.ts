/**
 * Flow text -> Flow, with source positions, the text's layout and every syntax or shape problem.
 * Pure.
 */
import { checkShape } from './checkShape.ts';
import { makeDiagnostic } from './diagnosticCodes.ts';
import { formatPath, type PathSegment } from './jsonPath.ts';
import { parseJsonText, type JsonDuplicateKey, type JsonNode, type JsonObjectNode } from './jsonText.ts';
import { createSourceMap, type FlowSourceMap } from './sourceMap.ts';
import type { Diagnostic, Flow, NamedState, State, TextFormat } from './types.ts';

export type { FlowSourceMap } from './sourceMap.ts';

export interface ParseResult {
  /** null only when the text is not JSON or its top level is not an object */
  flow: Flow | null;
  /** syntax, duplicate-name and shape problems (semantic checks are `validateFlow`'s) */
  diagnostics: Diagnostic[];
  /** null only when the text is not JSON */
  sourceMap: FlowSourceMap | null;
  format: TextFormat;
}

/**
 * Parse a flow file. The flow keeps the states in file order; a state name given twice keeps its
 * first place and its last body (what `JSON.parse`, and so the original server, did) and is
 * reported as `state-duplicate`. States of the wrong shape are kept as they are, with `shape`
 * diagnostics. Never throws.
 */
export function parseFlow(text: string): ParseResult {
  const format = detectFormat(text);
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { error } = parsed;
    const diagnostic = makeDiagnostic('json-syntax', '', error.message, undefined, error);
    return { flow: null, diagnostics: [diagnostic], sourceMap: null, format };
  }
  const sourceMap = createSourceMap(text, parsed.root);
  const root = parsed.root;
  if (root.type !== 'object') {
    const message = `The file holds ${root.type === 'array' ? 'an array' : `a ${root.type}`}; a flow is an object of named states, e.g. { "greetings": { "sendRequest": { "kind": "BotText", "content": "Hi!" } } }.`;
    return { flow: null, diagnostics: [makeDiagnostic('flow-not-object', '', message, undefined, sourceMap.locate(''))], sourceMap, format };
  }
  const flow = { states: statesOf(root) };
  const diagnostics = parsed.duplicateKeys.map((duplicate) => duplicateDiagnostic(duplicate, root, sourceMap));
  diagnostics.push(...checkShape(flow, sourceMap));
  return { flow, diagnostics, sourceMap, format };
}

/** How the text lays out lines: its first line break decides the eol. */
export function detectFormat(text: string): TextFormat {
  const firstBreak = text.indexOf('\n');
  return { eol: firstBreak > 0 && text[firstBreak - 1] === '\r' ? '\r\n' : '\n', finalNewline: text.endsWith('\n') };
}

function statesOf(root: JsonObjectNode): NamedState[] {
  const states: NamedState[] = [];
  const seen = new Set<string>();
  for (const { key } of root.properties) {
    if (seen.has(key)) continue;
    seen.add(key);
    states.push({ name: key, state: root.value[key] as State });
  }
  return states;
}

function duplicateDiagnostic({ object, first, duplicate }: JsonDuplicateKey, root: JsonObjectNode, sourceMap: FlowSourceMap): Diagnostic {
  const span = sourceMap.spanOf(duplicate.keyOffset, duplicate.keyLength);
  const firstLine = sourceMap.spanOf(first.keyOffset, 0).line;
  if (object === root) {
    const message = `State "${duplicate.key}" is defined twice (also on line ${firstLine}); only this last one would be kept. Rename one of them.`;
    return makeDiagnostic('state-duplicate', formatPath([duplicate.key]), message, duplicate.key, span);
  }
  const segments = pathTo(root, object) ?? [];
  const path = formatPath([...segments, duplicate.key]);
  const message = `"${duplicate.key}" occurs twice in ${formatPath(segments)} (also on line ${firstLine}); this last value wins. Remove one of them.`;
  return makeDiagnostic('key-duplicate', path, message, typeof segments[0] === 'string' ? segments[0] : undefined, span);
}

/** The path of an object node inside the tree (duplicates are rare, so a search is fine). */
function pathTo(node: JsonNode, target: JsonNode): PathSegment[] | null {
  if (node === target) return [];
  if (node.type === 'object') {
    for (const property of node.properties) {
      if (target.offset < property.value.offset || target.offset >= property.value.offset + property.value.length) continue;
      const rest = pathTo(property.value, target);
      if (rest) return [property.key, ...rest];
    }
  } else if (node.type === 'array') {
    for (let i = 0; i < node.items.length; i++) {
      const item = node.items[i];
      if (target.offset < item.offset || target.offset >= item.offset + item.length) continue;
      const rest = pathTo(item, target);
      if (rest) return [i, ...rest];
    }
  }
  return null;
}
