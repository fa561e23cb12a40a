/**
 * Where each part of a flow file is in its text: JSON path -> span, and text offset -> JSON path.
 * Built from the parser's position tree; lookups walk the tree, so nothing is computed for paths
 * nobody asks about. Pure.
 */
import { LineIndex, type JsonNode, type JsonObjectNode, type JsonProperty } from './jsonText.ts';
import { appendSegment, parsePath } from './jsonPath.ts';
import type { SourceSpan } from './types.ts';

/** Positions of a parsed flow text. Paths are written as `jsonPath.ts` formats them. */
export interface FlowSourceMap {
  /** The span of the value at `path` (`''` is the whole document); undefined if there is none. */
  locate(path: string): SourceSpan | undefined;
  /** The span of the key of the object member at `path` (its value's span for array items and the root). */
  locateKey(path: string): SourceSpan | undefined;
  /** The deepest JSON path at a text offset (a key's offset gives that member's path). */
  pathAt(offset: number): string;
  /** The span at a text offset, with its 1-based line and column. */
  spanOf(offset: number, length: number): SourceSpan;
}

/** Build the source map of a text from its parsed root. */
export function createSourceMap(text: string, root: JsonNode): FlowSourceMap {
  // Built on the first position asked for: a text without diagnostics never needs it.
  let lines: LineIndex | undefined;
  const memberMaps = new WeakMap<JsonObjectNode, Map<string, JsonProperty>>();

  const span = (offset: number, length: number): SourceSpan => {
    lines ??= new LineIndex(text);
    return { offset, length, ...lines.position(offset) };
  };

  /** The member of an object holding `key`; the last one when duplicated, as its value is the one kept. */
  const member = (node: JsonObjectNode, key: string): JsonProperty | undefined => {
    if (node.properties.length < 16) {
      for (let i = node.properties.length - 1; i >= 0; i--) if (node.properties[i].key === key) return node.properties[i];
      return undefined;
    }
    let members = memberMaps.get(node);
    if (!members) {
      members = new Map(node.properties.map((p) => [p.key, p]));
      memberMaps.set(node, members);
    }
    return members.get(key);
  };

  /** Walk a path; returns the last node and, when the last step was an object key, its member. */
  const find = (path: string): { node: JsonNode; property?: JsonProperty } | undefined => {
    const segments = parsePath(path);
    if (!segments) return undefined;
    let node = root;
    let property: JsonProperty | undefined;
    for (const segment of segments) {
      if (typeof segment === 'number') {
        if (node.type !== 'array' || segment >= node.items.length) return undefined;
        node = node.items[segment];
        property = undefined;
      } else {
        if (node.type !== 'object') return undefined;
        property = member(node, segment);
        if (!property) return undefined;
        node = property.value;
      }
    }
    return { node, property };
  };

  return {
    spanOf: span,
    locate(path) {
      const found = find(path);
      return found && span(found.node.offset, found.node.length);
    },
    locateKey(path) {
      const found = find(path);
      if (!found) return undefined;
      return found.property ? span(found.property.keyOffset, found.property.keyLength) : span(found.node.offset, found.node.length);
    },
    pathAt(offset) {
      let path = '';
      let node = root;
      for (;;) {
        if (node.type === 'object') {
          const property = node.properties[lastStartingAtOrBefore(node.properties, offset, (p) => p.keyOffset)];
          if (!property || offset >= property.value.offset + property.value.length) return path;
          path = appendSegment(path, property.key);
          if (offset < property.value.offset) return path;
          node = property.value;
        } else if (node.type === 'array') {
          const index = lastStartingAtOrBefore(node.items, offset, (n) => n.offset);
          const item = node.items[index];
          if (!item || offset >= item.offset + item.length) return path;
          path = appendSegment(path, index);
          node = item;
        } else {
          return path;
        }
      }
    },
  };
}

/** Binary search: the index of the last entry whose start is at or before `offset` (entries are in text order), or -1. */
function lastStartingAtOrBefore<T>(entries: readonly T[], offset: number, start: (entry: T) => number): number {
  let low = 0;
  let high = entries.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (start(entries[mid]) <= offset) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}
