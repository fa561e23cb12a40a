/**
 * A strict JSON parser (RFC 8259, like `JSON.parse`) that also keeps where every value and key is
 * in the text, so diagnostics can point at a line and column. Pure: no Node, no DOM.
 */

/** A value in the text with its span (`offset`/`length` in UTF-16 code units) and its parsed value. */
export type JsonNode = JsonObjectNode | JsonArrayNode | JsonScalarNode;

export interface JsonObjectNode {
  type: 'object';
  offset: number;
  length: number;
  /** the parsed object; a duplicated key holds its last value, like `JSON.parse` */
  value: Record<string, unknown>;
  /** every member in text order, duplicates included */
  properties: JsonProperty[];
}

export interface JsonArrayNode {
  type: 'array';
  offset: number;
  length: number;
  value: unknown[];
  items: JsonNode[];
}

export interface JsonScalarNode {
  type: 'string' | 'number' | 'boolean' | 'null';
  offset: number;
  length: number;
  value: string | number | boolean | null;
}

export interface JsonProperty {
  key: string;
  /** span of the key, quotes included */
  keyOffset: number;
  keyLength: number;
  value: JsonNode;
}

/** A key that occurs twice in one object: `JSON.parse` keeps the last value. */
export interface JsonDuplicateKey {
  object: JsonObjectNode;
  first: JsonProperty;
  duplicate: JsonProperty;
}

export interface JsonSyntaxError {
  /** e.g. "Unexpected '}' at line 3, column 5: expected a value" */
  message: string;
  offset: number;
  length: number;
  /** 1-based */
  line: number;
  /** 1-based, in UTF-16 code units (as Monaco counts) */
  column: number;
}

export type JsonTextResult =
  | { ok: true; root: JsonNode; duplicateKeys: JsonDuplicateKey[] }
  | { ok: false; error: JsonSyntaxError };

/** Deeper nesting than this is refused with a syntax error instead of overflowing the stack. */
export const MAX_JSON_DEPTH = 512;

/** Parse JSON text, keeping positions. Never throws. */
export function parseJsonText(text: string): JsonTextResult {
  const parser = new Parser(text);
  try {
    parser.skipSpace();
    const root = parser.parseValue(0);
    parser.skipSpace();
    if (parser.pos < text.length) parser.fail('expected the end of the file');
    return { ok: true, root, duplicateKeys: parser.duplicateKeys };
  } catch (error) {
    if (error instanceof SyntaxFailure) return { ok: false, error: error.detail };
    throw error;
  }
}

/** Maps offsets to 1-based lines and columns; build once per text, then each lookup is a binary search. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.starts[low] + 1 };
  }
}

class SyntaxFailure extends Error {
  constructor(readonly detail: JsonSyntaxError) {
    super(detail.message);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Parser {
  pos = 0;
  readonly duplicateKeys: JsonDuplicateKey[] = [];

  constructor(private readonly text: string) {}

  skipSpace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
    this.pos = pos;
  }

  parseValue(depth: number): JsonNode {
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x7b) return this.parseObject(depth);
    if (c === 0x5b) return this.parseArray(depth);
    if (c === QUOTE) {
      const offset = this.pos;
      const value = this.parseString();
      return { type: 'string', offset, length: this.pos - offset, value };
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
    if (this.text.startsWith('true', this.pos)) return this.literal('boolean', true, 4);
    if (this.text.startsWith('false', this.pos)) return this.literal('boolean', false, 5);
    if (this.text.startsWith('null', this.pos)) return this.literal('null', null, 4);
    return this.fail('expected a value');
  }

  private literal(type: 'boolean' | 'null', value: boolean | null, length: number): JsonScalarNode {
    const offset = this.pos;
    this.pos += length;
    return { type, offset, length, value };
  }

  private parseObject(depth: number): JsonObjectNode {
    if (depth >= MAX_JSON_DEPTH) this.fail(`objects and arrays nest deeper than ${MAX_JSON_DEPTH} levels`);
    const text = this.text;
    const offset = this.pos++;
    const value: Record<string, unknown> = {};
    const properties: JsonProperty[] = [];
    let seen: Map<string, JsonProperty> | undefined;
    const node: JsonObjectNode = { type: 'object', offset, length: 0, value, properties };
    this.skipSpace();
    if (text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      node.length = this.pos - offset;
      return node;
    }
    for (;;) {
      if (text.charCodeAt(this.pos) !== QUOTE) this.fail('expected a property name in double quotes');
      const keyOffset = this.pos;
      const key = this.parseString();
      const keyLength = this.pos - keyOffset;
      this.skipSpace();
      if (text.charCodeAt(this.pos) !== 0x3a) this.fail(`expected ':' after the property name ${JSON.stringify(key)}`);
      this.pos++;
      this.skipSpace();
      const child = this.parseValue(depth + 1);
      const property: JsonProperty = { key, keyOffset, keyLength, value: child };
      // Small objects are checked for duplicates by a scan; a Map only pays off for big ones (the top level).
      if (properties.length < 16) {
        for (const earlier of properties) {
          if (earlier.key === key) this.duplicateKeys.push({ object: node, first: earlier, duplicate: property });
        }
      } else {
        if (!seen) seen = new Map(properties.map((p) => [p.key, p]));
        const earlier = seen.get(key);
        if (earlier) this.duplicateKeys.push({ object: node, first: earlier, duplicate: property });
        else seen.set(key, property);
      }
      properties.push(property);
      if (key === '__proto__') {
        // Plain assignment would set the prototype; JSON.parse makes an own property.
        Object.defineProperty(value, key, { value: child.value, enumerable: true, writable: true, configurable: true });
      } else {
        value[key] = child.value;
      }
      this.skipSpace();
      const c = text.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
        this.skipSpace();
      } else if (c === 0x7d) {
        this.pos++;
        node.length = this.pos - offset;
        return node;
      } else {
        this.fail("expected ',' or '}'");
      }
    }
  }

  private parseArray(depth: number): JsonArrayNode {
    if (depth >= MAX_JSON_DEPTH) this.fail(`objects and arrays nest deeper than ${MAX_JSON_DEPTH} levels`);
    const text = this.text;
    const offset = this.pos++;
    const value: unknown[] = [];
    const items: JsonNode[] = [];
    this.skipSpace();
    if (text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return { type: 'array', offset, length: this.pos - offset, value, items };
    }
    for (;;) {
      const child = this.parseValue(depth + 1);
      items.push(child);
      value.push(child.value);
      this.skipSpace();
      const c = text.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
        this.skipSpace();
      } else if (c === 0x5d) {
        this.pos++;
        return { type: 'array', offset, length: this.pos - offset, value, items };
      } else {
        this.fail("expected ',' or ']'");
      }
    }
  }

  /** At an opening quote; returns the decoded string and leaves `pos` after the closing quote. */
  private parseString(): string {
    const text = this.text;
    let start = ++this.pos;
    let pos = start;
    let decoded = '';
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === QUOTE) {
        this.pos = pos + 1;
        return decoded + text.slice(start, pos);
      }
      if (c === BACKSLASH) {
        decoded += text.slice(start, pos);
        const escape = text[pos + 1];
        if (escape === 'u') {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.pos = pos;
            this.fail('expected four hex digits after \\u', 2);
          }
          decoded += String.fromCharCode(parseInt(hex, 16));
          pos += 6;
        } else if (escape !== undefined && escape in ESCAPES) {
          decoded += ESCAPES[escape];
          pos += 2;
        } else {
          this.pos = pos;
          this.fail('expected a valid escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)', 2);
        }
        start = pos;
      } else if (c < 0x20 || Number.isNaN(c)) {
        this.pos = pos;
        this.fail(Number.isNaN(c) ? 'expected a closing quote' : 'expected a closing quote (a line break or control character inside a string must be escaped)');
      } else {
        pos++;
      }
    }
  }

  private parseNumber(): JsonScalarNode {
    const text = this.text;
    const offset = this.pos;
    let pos = offset;
    if (text.charCodeAt(pos) === 0x2d) pos++;
    if (text.charCodeAt(pos) === 0x30) {
      pos++;
      if (isDigit(text.charCodeAt(pos))) {
        this.pos = pos;
        this.fail('a number cannot have a leading zero');
      }
    } else {
      pos = this.digits(pos);
    }
    if (text.charCodeAt(pos) === 0x2e) pos = this.digits(pos + 1);
    const e = text.charCodeAt(pos);
    if (e === 0x65 || e === 0x45) {
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === 0x2b || sign === 0x2d) pos++;
      pos = this.digits(pos);
    }
    this.pos = pos;
    return { type: 'number', offset, length: pos - offset, value: Number(text.slice(offset, pos)) };
  }

  /** One or more digits from `pos`; returns the position after them. */
  private digits(pos: number): number {
    if (!isDigit(this.text.charCodeAt(pos))) {
      this.pos = pos;
      this.fail('expected a digit');
    }
    while (isDigit(this.text.charCodeAt(pos))) pos++;
    return pos;
  }

  fail(expected: string, length = 1): never {
    const { line, column } = new LineIndex(this.text).position(this.pos);
    const found = this.pos >= this.text.length ? 'end of file' : describeChar(this.text.codePointAt(this.pos) ?? 0);
    throw new SyntaxFailure({
      message: `Unexpected ${found} at line ${line}, column ${column}: ${expected}`,
      offset: this.pos,
      length: this.pos >= this.text.length ? 0 : length,
      line,
      column,
    });
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function describeChar(code: number): string {
  if (code === 0xfeff) return 'byte order mark (save the file as UTF-8 without BOM)';
  if (code < 0x20 || code === 0x7f) return code === 0x0a || code === 0x0d ? 'line break' : `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const char = String.fromCodePoint(code);
  return char === "'" ? `"'"` : `'${char}'`;
}
