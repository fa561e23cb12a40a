import { describe, expect, it } from 'vitest';
import { checkShape, flowSchema } from './checkShape.ts';
import { resolveRef } from './checkJsonSchema.ts';
import { REQUEST_KINDS, RESPONSE_KINDS, type Flow } from './types.ts';

const kindsOf = (definition: string) =>
  resolveRef({ $ref: `#/definitions/${definition}` }, flowSchema).oneOf!.map((branch) => resolveRef(branch, flowSchema).properties!.kind.const);
const one = (state: unknown): Flow => ({ states: [{ name: 's', state: state as Flow['states'][0]['state'] }] });

describe('state-machine.schema.json', () => {
  it('lists exactly the request and response kinds of types.ts', () => {
    expect(kindsOf('RequestMessage')).toEqual(REQUEST_KINDS);
    expect(kindsOf('ResponseMessage')).toEqual(RESPONSE_KINDS);
  });

  it('describes every definition and property (Monaco shows them on hover)', () => {
    for (const [name, definition] of Object.entries(flowSchema.definitions!)) {
      expect((definition as { description?: string }).description, name).toBeTruthy();
      for (const [property, schema] of Object.entries(definition.properties ?? {})) {
        expect((schema as { description?: string }).description ?? (property === 'sendRequest' || property === 'matchResponse'), `${name}.${property}`).toBeTruthy();
      }
    }
  });
});

describe('checkShape', () => {
  it('accepts unknown fields in states, requests and choices', () => {
    expect(checkShape(one({ x: 1, sendRequest: { kind: 'ChoiceRequest', groupId: 'g', question: 'q', y: 2, choices: [{ itemId: 1, content: 'c', z: 3 }] } }))).toEqual([]);
  });

  it('reports each problem with a path into the flow and a fix', () => {
    const diagnostics = checkShape(one({ sendRequest: { kind: 'ChoiceRequest', groupId: true, question: 'q', choices: [{ content: 'c' }, 'x'] } }));
    expect(diagnostics.map((d) => [d.code, d.path, d.message])).toEqual([
      ['shape', 's.sendRequest.groupId', 's.sendRequest.groupId is the boolean true; it must be a string or a number. Change it.'],
      ['shape', 's.sendRequest.choices[0]', 's.sendRequest.choices[0] has no "itemId". Add "itemId": "…" (a string or a number).'],
      ['shape', 's.sendRequest.choices[1]', 's.sendRequest.choices[1] is "x"; it must be an object. Change it.'],
    ]);
  });

  it('names the kinds when kind is missing or wrong', () => {
    expect(checkShape(one({ matchResponse: { groupId: 'g' } }))[0].message).toBe('s.matchResponse has no "kind". Add "kind": "ChoiceResponse" or "UserText".');
    expect(checkShape(one({ sendRequest: { kind: 'bottext', content: 'x' } }))[0]).toMatchObject({ code: 'kind-unknown', path: 's.sendRequest.kind', message: expect.stringContaining('Did you mean "BotText"?') });
    expect(checkShape(one({ sendRequest: { kind: 7 } }))[0]).toMatchObject({ code: 'kind-unknown', message: expect.stringContaining('Unknown kind the number 7 in sendRequest.') });
    expect(checkShape(one({ sendRequest: { kind: 'UserText', sessionId: 's' } }))[0]).toMatchObject({ code: 'kind-misplaced', message: expect.stringContaining('belongs in matchResponse') });
  });

  it('reports a state that is not an object', () => {
    expect(checkShape(one([1]))[0].message).toContain('State "s" is an array; a state must be an object');
  });

  it('never throws on a malformed flow', () => {
    for (const flow of [null, {}, { states: null }, { states: [null, 1, { name: 3 }, { name: 'a' }] }]) {
      expect(() => checkShape(flow as unknown as Flow)).not.toThrow();
    }
  });
});
