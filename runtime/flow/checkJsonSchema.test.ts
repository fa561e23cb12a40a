import { describe, expect, it } from 'vitest';
import { checkJsonSchema, type JsonSchema } from './checkJsonSchema.ts';

const root: JsonSchema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    size: { enum: ['s', 'm'] },
    tags: { type: 'array', items: { $ref: '#/definitions/Tag' } },
    shape: { $ref: '#/definitions/Shape' },
  },
  additionalProperties: false,
  definitions: {
    Tag: { type: ['string', 'integer'] },
    Shape: {
      type: 'object',
      required: ['kind'],
      discriminator: { propertyName: 'kind' },
      oneOf: [
        { type: 'object', properties: { kind: { const: 'circle' }, r: { type: 'number' } }, required: ['kind', 'r'] },
        { type: 'object', properties: { kind: { const: 'square' }, side: { type: 'number' } }, required: ['kind', 'side'] },
      ],
    },
  },
};
const check = (value: unknown) => checkJsonSchema(value, root, root);

describe('checkJsonSchema', () => {
  it('accepts a value that fits', () => {
    expect(check({ name: 'a', size: 'm', tags: ['x', 3], shape: { kind: 'square', side: 2 } })).toEqual([]);
  });

  it('reports a wrong type and does not look inside it', () => {
    expect(check('x')).toEqual([{ keyword: 'type', path: [], expected: ['object'], value: 'x' }]);
    expect(check({ name: 'a', tags: ['x', 1.5, null] })).toEqual([
      { keyword: 'type', path: ['tags', 1], expected: ['string', 'integer'], value: 1.5 },
      { keyword: 'type', path: ['tags', 2], expected: ['string', 'integer'], value: null },
    ]);
  });

  it('reports missing required properties, enum values and extra properties', () => {
    expect(check({ size: 'l', extra: 1 })).toEqual([
      { keyword: 'required', path: [], property: 'name', value: { size: 'l', extra: 1 } },
      { keyword: 'enum', path: ['size'], allowed: ['s', 'm'], value: 'l' },
      { keyword: 'additionalProperties', path: [], property: 'extra' },
    ]);
  });

  it('picks the oneOf branch by the discriminator', () => {
    expect(check({ name: 'a', shape: { kind: 'circle', side: 1 } })).toEqual([{ keyword: 'required', path: ['shape'], property: 'r', value: { kind: 'circle', side: 1 } }]);
    expect(check({ name: 'a', shape: { kind: 'triangle' } })).toEqual([{ keyword: 'discriminator', path: ['shape', 'kind'], property: 'kind', allowed: ['circle', 'square'], value: 'triangle' }]);
    expect(check({ name: 'a', shape: {} })).toEqual([{ keyword: 'required', path: ['shape'], property: 'kind', value: {} }]);
  });

  it('checks const', () => {
    const schema: JsonSchema = { const: 'x' };
    expect(checkJsonSchema('y', schema, schema)).toEqual([{ keyword: 'const', path: [], allowed: ['x'], value: 'y' }]);
    expect(checkJsonSchema('x', schema, schema)).toEqual([]);
  });

  it('fails loudly on a schema feature it does not implement, instead of passing everything', () => {
    const schema: JsonSchema = { oneOf: [{ type: 'string' }] };
    expect(() => checkJsonSchema({}, schema, schema)).toThrow(/not supported/);
    const badRef: JsonSchema = { $ref: '#/definitions/Nope' };
    expect(() => checkJsonSchema({}, badRef, badRef)).toThrow(/cannot be resolved/);
  });
});
