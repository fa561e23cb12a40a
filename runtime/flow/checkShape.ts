/**
 * Shape checks of a flow, driven by `state-machine.schema.json` (the same schema Monaco uses):
 * every state is checked against the schema's state definition, and each schema error becomes a
 * diagnostic that says where and how to fix it. Pure.
 */
import schemaDocument from './state-machine.schema.json' with { type: 'json' };
import { checkJsonSchema, type JsonSchema, type SchemaError } from './checkJsonSchema.ts';
import { closestName } from './closestName.ts';
import { makeDiagnostic } from './diagnosticCodes.ts';
import { formatPath, type PathSegment } from './jsonPath.ts';
import type { FlowSourceMap } from './sourceMap.ts';
import { REQUEST_KINDS, RESPONSE_KINDS, type Diagnostic, type Flow } from './types.ts';

/** The flow file's JSON Schema. */
export const flowSchema = schemaDocument as unknown as JsonSchema;

const stateSchema = flowSchema.additionalProperties as JsonSchema;
const ALL_KINDS: readonly string[] = [...REQUEST_KINDS, ...RESPONSE_KINDS];

/** Check every state's shape. Positions are filled in when `sourceMap` is given. Never throws. */
export function checkShape(flow: Flow, sourceMap?: FlowSourceMap): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const states = Array.isArray(flow?.states) ? flow.states : [];
  for (const named of states) {
    if (typeof named?.name !== 'string') continue;
    for (const error of checkJsonSchema(named.state, stateSchema, flowSchema)) {
      diagnostics.push(toDiagnostic(named.name, error, sourceMap));
    }
    diagnostics.push(...misspeltFields(named.name, named.state, sourceMap));
  }
  return diagnostics;
}

type SchemaWithProperties = JsonSchema & { properties?: Record<string, unknown> };
const definitions = (flowSchema as { definitions: Record<string, SchemaWithProperties> }).definitions;
const fieldsOf = (definition: string): string[] => Object.keys(definitions[definition]?.properties ?? {});

/**
 * Unknown fields are kept (the file format allows them), but one a letter or two away from a field
 * the object lacks is a typo that silently does nothing ("nxt": the conversation stops there): warned.
 */
function misspeltFields(state: string, body: unknown, sourceMap: FlowSourceMap | undefined): Diagnostic[] {
  const found: Diagnostic[] = [];
  const check = (object: unknown, segments: PathSegment[], fields: string[]) => {
    if (typeof object !== 'object' || object === null || Array.isArray(object)) return;
    const missing = fields.filter((field) => !(field in object));
    for (const key of Object.keys(object)) {
      if (fields.includes(key)) continue;
      const meant = closestName(key, missing);
      if (meant === undefined) continue;
      const path = formatPath([...segments, key]);
      found.push(makeDiagnostic('field-misspelt', path, `${formatPath(segments)} has "${key}", which nothing reads. Did you mean "${meant}"? Rename it.`, state, sourceMap?.locateKey(path)));
    }
  };
  check(body, [state], fieldsOf('State'));
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  for (const place of ['sendRequest', 'matchResponse']) {
    const message = record[place] as Record<string, unknown> | undefined;
    const kind = typeof message?.kind === 'string' && ALL_KINDS.includes(message.kind) ? message.kind : undefined;
    if (!kind) continue;
    check(message, [state, place], fieldsOf(kind));
    if (kind === 'ChoiceRequest' && Array.isArray(message!.choices)) {
      message!.choices.forEach((choice, i) => check(choice, [state, place, 'choices', i], fieldsOf('Choice')));
    }
  }
  return found;
}

function toDiagnostic(state: string, error: SchemaError, sourceMap: FlowSourceMap | undefined): Diagnostic {
  const segments: PathSegment[] = [state, ...error.path];
  const path = formatPath(segments);
  switch (error.keyword) {
    case 'type':
      return makeDiagnostic('shape', path, typeMessage(state, error.path, path, error.value, error.expected), state, sourceMap?.locate(path));
    case 'required': {
      // Point at the key of the object that lacks the field (or the state's name).
      const kind = typeof error.value.kind === 'string' && error.path.length > 0 ? ` (${error.value.kind})` : '';
      const where = error.path.length === 0 ? `State "${state}"` : `${path}${kind}`;
      return makeDiagnostic('shape', path, `${where} has no "${error.property}". Add "${error.property}": ${placeholder(error.property, error.path)}.`, state, sourceMap?.locateKey(path));
    }
    case 'const':
    case 'enum':
      return makeDiagnostic('shape', path, `${path} is ${describe(error.value)}; it must be ${error.allowed.map(describe).join(' or ')}.`, state, sourceMap?.locate(path));
    case 'discriminator':
      return kindDiagnostic(state, path, error, sourceMap);
    case 'additionalProperties':
      return makeDiagnostic('shape', path, `${path} may not have "${error.property}". Remove it.`, state, sourceMap?.locateKey(formatPath([...segments, error.property])));
  }
}

function kindDiagnostic(state: string, path: string, error: Extract<SchemaError, { keyword: 'discriminator' }>, sourceMap: FlowSourceMap | undefined): Diagnostic {
  const allowed = error.allowed.filter((kind): kind is string => typeof kind === 'string');
  const place = String(error.path[error.path.length - 2] ?? 'this message');
  const list = allowed.join(', ');
  const span = sourceMap?.locate(path);
  const value = error.value;
  if (typeof value === 'string' && ALL_KINDS.includes(value)) {
    const otherPlace = place === 'sendRequest' ? 'matchResponse' : 'sendRequest';
    return makeDiagnostic('kind-misplaced', path, `"${value}" cannot be used in ${place}: it belongs in ${otherPlace}. Move it there, or use one of ${list}.`, state, span);
  }
  const suggestion = typeof value === 'string' ? closestName(value, allowed) : undefined;
  const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
  return makeDiagnostic('kind-unknown', path, `Unknown kind ${describe(value)} in ${place}.${hint} The kinds for ${place} are ${list}.`, state, span);
}

function typeMessage(state: string, relative: readonly PathSegment[], path: string, value: unknown, expected: readonly string[]): string {
  if (relative.length === 0) {
    return `State "${state}" is ${describe(value)}; a state must be an object with "sendRequest" and/or "matchResponse", and maybe "next". Replace it with such an object.`;
  }
  const wanted = expected.map((type) => (type === 'array' || type === 'object' ? `an ${type}` : `a ${type}`)).join(' or ');
  const last = relative[relative.length - 1];
  const hint = last === 'next' ? ' (the name of a state)' : '';
  return `${path} is ${describe(value)}; it must be ${wanted}${hint}. Change it.`;
}

/** What to write for a missing field. */
function placeholder(property: string, objectPath: readonly PathSegment[]): string {
  if (property === 'choices') return '[{ "itemId": "…", "content": "…" }]';
  if (property === 'kind') {
    const place = objectPath[objectPath.length - 1];
    const kinds = place === 'matchResponse' ? RESPONSE_KINDS : place === 'sendRequest' ? REQUEST_KINDS : ALL_KINDS;
    return kinds.map((kind) => `"${kind}"`).join(' or ');
  }
  return property.endsWith('Id') ? '"…" (a string or a number)' : '"…"';
}

/** A short description of a JSON value for messages. */
function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return `${typeof value === 'number' ? 'the number' : 'the boolean'} ${String(value)}`;
}
