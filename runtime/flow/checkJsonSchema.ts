/**
 * A small JSON Schema interpreter for the subset `state-machine.schema.json` uses: `$ref` (local),
 * `type`, `properties`, `required`, `const`, `enum`, `items`, `additionalProperties`, and `oneOf`
 * with a `discriminator` (the branch is picked by the discriminator property's `const`).
 * Annotations (`description`, `defaultSnippets`, ...) are ignored. Written out instead of using Ajv
 * because Ajv compiles schemas with `new Function`, which a strict CSP forbids. Pure.
 */
import type { PathSegment } from './jsonPath.ts';

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  const?: unknown;
  enum?: unknown[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  oneOf?: JsonSchema[];
  discriminator?: { propertyName: string };
  definitions?: Record<string, JsonSchema>;
}

/** One way a value breaks the schema; `path` is relative to the value checked. */
export type SchemaError =
  | { keyword: 'type'; path: PathSegment[]; expected: string[]; value: unknown }
  | { keyword: 'required'; path: PathSegment[]; property: string; value: Record<string, unknown> }
  | { keyword: 'const' | 'enum'; path: PathSegment[]; allowed: unknown[]; value: unknown }
  | { keyword: 'discriminator'; path: PathSegment[]; property: string; allowed: unknown[]; value: unknown }
  | { keyword: 'additionalProperties'; path: PathSegment[]; property: string };

/** Segments kept as a linked list while walking, so a path string is only built for an error. */
interface PathLink {
  up: PathLink | null;
  segment: PathSegment;
}

/**
 * Check `value` against `schema`; `root` is the document `$ref`s resolve in. Returns every error
 * found; a value of the wrong type is not looked into further. Never throws on any value.
 */
export function checkJsonSchema(value: unknown, schema: JsonSchema, root: JsonSchema): SchemaError[] {
  const errors: SchemaError[] = [];
  check(value, schema, root, null, errors);
  return errors;
}

const resolvedRefs = new WeakMap<JsonSchema, JsonSchema>();

/** Resolve a `#/definitions/Name` reference (the only form the schema uses). */
export function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (schema.$ref === undefined) return schema;
  const cached = resolvedRefs.get(schema);
  if (cached) return cached;
  let resolved = schema;
  while (resolved.$ref !== undefined) {
    const match = /^#\/definitions\/(.+)$/.exec(resolved.$ref);
    const target = match ? root.definitions?.[match[1]] : undefined;
    if (!target) throw new Error(`Schema reference ${resolved.$ref} cannot be resolved`);
    resolved = target;
  }
  resolvedRefs.set(schema, resolved);
  return resolved;
}

function check(value: unknown, schema: JsonSchema, root: JsonSchema, path: PathLink | null, errors: SchemaError[]): void {
  schema = resolveRef(schema, root);
  if (schema.type !== undefined) {
    const expected = typeof schema.type === 'string' ? [schema.type] : schema.type;
    if (!expected.some((type) => hasType(value, type))) {
      errors.push({ keyword: 'type', path: toSegments(path), expected, value });
      return;
    }
  }
  if ('const' in schema && !jsonEquals(value, schema.const)) {
    errors.push({ keyword: 'const', path: toSegments(path), allowed: [schema.const], value });
  }
  if (schema.enum && !schema.enum.some((allowed) => jsonEquals(value, allowed))) {
    errors.push({ keyword: 'enum', path: toSegments(path), allowed: schema.enum, value });
  }
  if (Array.isArray(value)) {
    if (schema.items) for (let i = 0; i < value.length; i++) check(value[i], schema.items, root, { up: path, segment: i }, errors);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const object = value as Record<string, unknown>;
  for (const property of schema.required ?? []) {
    if (!Object.hasOwn(object, property)) errors.push({ keyword: 'required', path: toSegments(path), property, value: object });
  }
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    const propertySchema = schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
    if (propertySchema) check(object[key], propertySchema, root, { up: path, segment: key }, errors);
    else if (schema.additionalProperties === false) errors.push({ keyword: 'additionalProperties', path: toSegments(path), property: key });
    else if (typeof schema.additionalProperties === 'object') check(object[key], schema.additionalProperties, root, { up: path, segment: key }, errors);
  }
  if (schema.oneOf) checkDiscriminated(object, schema, root, path, errors);
}

function checkDiscriminated(object: Record<string, unknown>, schema: JsonSchema, root: JsonSchema, path: PathLink | null, errors: SchemaError[]): void {
  const property = schema.discriminator?.propertyName;
  if (property === undefined) throw new Error('oneOf without a discriminator is not supported by this interpreter');
  // A missing discriminator is already a `required` error of the parent schema.
  if (!Object.hasOwn(object, property)) return;
  const { branches, allowed } = discriminatedBranches(schema, property, root);
  const index = allowed.findIndex((candidate) => jsonEquals(candidate, object[property]));
  if (index < 0) {
    errors.push({ keyword: 'discriminator', path: toSegments({ up: path, segment: property }), property, allowed, value: object[property] });
    return;
  }
  check(object, branches[index], root, path, errors);
}

const branchCache = new WeakMap<JsonSchema, { branches: JsonSchema[]; allowed: unknown[] }>();

/** A oneOf's resolved branches and their discriminator constants, worked out once per schema. */
function discriminatedBranches(schema: JsonSchema, property: string, root: JsonSchema): { branches: JsonSchema[]; allowed: unknown[] } {
  let cached = branchCache.get(schema);
  if (!cached) {
    const branches = schema.oneOf!.map((branch) => resolveRef(branch, root));
    cached = { branches, allowed: branches.map((branch) => branch.properties?.[property]?.const) };
    branchCache.set(schema, cached);
  }
  return cached;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      throw new Error(`Schema type "${type}" is not supported by this interpreter`);
  }
}

/** Equality of JSON values (what `const` and `enum` mean). */
function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((key) => Object.hasOwn(b, key) && jsonEquals((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

function toSegments(path: PathLink | null): PathSegment[] {
  const segments: PathSegment[] = [];
  for (let link = path; link; link = link.up) segments.push(link.segment);
  return segments.reverse();
}
