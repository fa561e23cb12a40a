import { describe, expect, it } from 'vitest';
import { compileFlow } from '../flow/compileFlow.ts';
import { articleFlow } from '../testing/testFlows.ts';
import { widgetFrameOf } from './records.ts';
import { runTurn } from './runTurn.ts';
import { NEW_SESSION } from './sessionStates.ts';
import { formatTimestamp } from './timestamp.ts';

describe('frames serialized once per compiled flow', () => {
  it('sends the same JSON for a flow request as for the same request read back from the stream', () => {
    const compiled = compileFlow(articleFlow());
    const outcome = runTurn(compiled, NEW_SESSION, { kind: 'start' }, { sid: 's1', timestamp: '2021-01-05T17:58:46.511' });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.requests.length).toBeGreaterThan(0);
    for (const record of outcome.requests) {
      const sent = widgetFrameOf(record);
      const replayed = JSON.parse(JSON.stringify(record)) as typeof record; // a new object, as decoded from the log
      expect(sent).toBe(JSON.stringify(record.payload!.message));
      expect(widgetFrameOf(replayed)).toBe(sent);
    }
  });

  it('serializes a new compiled flow afresh (a publish changes the text of a request)', () => {
    const flow = articleFlow();
    const first = runTurn(compileFlow(flow), NEW_SESSION, { kind: 'start' }, { sid: 's1', timestamp: 't' });
    const changed = structuredClone(flow);
    const greeting = changed.states[0].state.sendRequest as { content: string };
    greeting.content = 'Hello again';
    const second = runTurn(compileFlow(changed), NEW_SESSION, { kind: 'start' }, { sid: 's1', timestamp: 't' });
    if (!first.ok || !second.ok) throw new Error('the article flow did not start');
    expect(widgetFrameOf(first.requests[0])).not.toContain('Hello again');
    expect(widgetFrameOf(second.requests[0])).toContain('Hello again');
  });
});

describe('record timestamps', () => {
  it('formats each millisecond as local time without a zone, also when asked twice in a row', () => {
    const at = new Date(2021, 0, 5, 17, 58, 46, 511);
    expect(formatTimestamp(at)).toBe('2021-01-05T17:58:46.511');
    expect(formatTimestamp(new Date(at.getTime()))).toBe('2021-01-05T17:58:46.511');
    expect(formatTimestamp(new Date(at.getTime() + 1))).toBe('2021-01-05T17:58:46.512');
  });
});
