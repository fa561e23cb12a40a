/**
 * JSON paths as diagnostics show them: `greetings.sendRequest.choices[1].itemId`. A key that is not
 * an identifier is written `["odd name"]` (a JSON string), so every path reads back unambiguously.
 * The empty path `''` is the whole document. Pure.
 */

/** An object key (string) or an array index (number). */
export type PathSegment = string | number;

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

/** Format segments as a path. */
export function formatPath(segments: readonly PathSegment[]): string {
  let path = '';
  for (const segment of segments) path = appendSegment(path, segment);
  return path;
}

/** `path` extended by one key or index. */
export function appendSegment(path: string, segment: PathSegment): string {
  if (typeof segment === 'number') return `${path}[${segment}]`;
  if (IDENTIFIER.test(segment)) return path === '' ? segment : `${path}.${segment}`;
  return `${path}[${JSON.stringify(segment)}]`;
}

/** Read a path back into segments; `null` when the text is not a path this module writes. */
export function parsePath(path: string): PathSegment[] | null {
  const segments: PathSegment[] = [];
  let pos = 0;
  while (pos < path.length) {
    const c = path[pos];
    if (c === '[') {
      if (path[pos + 1] === '"') {
        const end = endOfJsonString(path, pos + 1);
        if (end < 0 || path[end] !== ']') return null;
        segments.push(JSON.parse(path.slice(pos + 1, end)) as string);
        pos = end + 1;
      } else {
        const end = path.indexOf(']', pos);
        const digits = end < 0 ? '' : path.slice(pos + 1, end);
        if (!/^(0|[1-9][0-9]*)$/.test(digits)) return null;
        segments.push(Number(digits));
        pos = end + 1;
      }
    } else {
      if (c === '.') {
        if (segments.length === 0) return null;
        pos++;
      } else if (segments.length > 0) {
        return null;
      }
      let end = pos;
      while (end < path.length && path[end] !== '.' && path[end] !== '[') end++;
      const name = path.slice(pos, end);
      if (!IDENTIFIER.test(name)) return null;
      segments.push(name);
      pos = end;
    }
  }
  return segments;
}

/** Index just after the JSON string literal starting at `start` (a quote), or -1. */
function endOfJsonString(text: string, start: number): number {
  for (let pos = start + 1; pos < text.length; pos++) {
    if (text[pos] === '\\') pos++;
    else if (text[pos] === '"') {
      try {
        JSON.parse(text.slice(start, pos + 1));
        return pos + 1;
      } catch {
        return -1;
      }
    }
  }
  return -1;
}
