import { describe, expect, it } from 'vitest';
import { serializeFlow } from '../../../runtime/flow/serializeFlow.ts';
import { flowOf } from '../../../runtime/testing/testFlows.ts';
import { flowChangesBetween } from './flowChangesBetween.ts';

const flow = (greeting: string) => serializeFlow(flowOf({ hello: { sendRequest: { kind: 'BotText', content: greeting } } }));

describe('flowChangesBetween', () => {
  it('says what changed from the published text to the draft, in the author\'s words', () => {
    const result = flowChangesBetween(flow('Hi there'), flow('Welcome back'));
    if (!('changes' in result)) throw new Error(result.error);
    expect(result.changes.map((c) => c.kind)).toEqual(['text']);
    expect(result.changes[0].text).toContain('Welcome back');
  });

  it('finds nothing between equal texts', () => {
    expect(flowChangesBetween(flow('Hi'), flow('Hi'))).toEqual({ changes: [] });
  });

  it('says which side cannot be read', () => {
    expect(flowChangesBetween('{', flow('Hi'))).toEqual({ error: expect.stringContaining('published version') });
    expect(flowChangesBetween(flow('Hi'), '{')).toEqual({ error: expect.stringContaining('draft') });
  });
});
