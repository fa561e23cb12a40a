/** Issue 14: the "Talk to a person" step (OperatorHandoff) in the pure flow model. */
import { describe, expect, it } from 'vitest';
import { checkFlowText } from './checkFlowText.ts';
import { compileFlow } from './compileFlow.ts';
import { applyPayload, emptyPending } from './pendingState.ts';
import { serializeFlow } from './serializeFlow.ts';
import { stepSession, type StepResult } from './stepSession.ts';
import { parseFlow } from './parseFlow.ts';
import { flowToGraph } from './flowGraph.ts';

const text = `{
    "hi": {
        "sendRequest": {
            "kind": "BotText",
            "content": "Hi!"
        },
        "next": "ask"
    },
    "ask": {
        "sendRequest": {
            "kind": "ChoiceRequest",
            "groupId": "g",
            "question": "Need a person?",
            "choices": [
                {
                    "itemId": "person",
                    "content": "Talk to a person"
                }
            ]
        }
    },
    "wantsPerson": {
        "matchResponse": {
            "kind": "ChoiceResponse",
            "groupId": "g",
            "itemId": "person"
        },
        "next": "handoff"
    },
    "handoff": {
        "sendRequest": {
            "kind": "OperatorHandoff",
            "queue": "billing",
            "text": "Let me find someone for you…",
            "timeoutSeconds": 120
        },
        "next": "noOperator"
    },
    "noOperator": {
        "sendRequest": {
            "kind": "BotText",
            "content": "Nobody is free right now."
        },
        "next": "ask"
    }
}
`;

type Ok = Extract<StepResult, { ok: true }>;
function ok(result: StepResult): Ok {
  if (!result.ok) throw new Error(`step failed: ${result.code}: ${result.message}`);
  return result;
}

describe('OperatorHandoff in the flow file', () => {
  it('round-trips byte for byte', () => {
    const parsed = parseFlow(text);
    expect(serializeFlow(parsed.flow!, parsed.format)).toBe(text);
  });

  it('passes the schema and validation, with only the info that the article server will not hand off', () => {
    const result = checkFlowText(text);
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.path}`)).toEqual(['info handoff-article-server handoff.sendRequest.kind']);
  });

  it('needs a queue; a wrong type is a shape error with a position', () => {
    const bad = text.replace('"queue": "billing",', '"queue": 7,');
    const shape = checkFlowText(bad).diagnostics.filter((d) => d.code === 'shape');
    expect(shape.map((d) => d.path)).toEqual(['handoff.sendRequest.queue']);
    expect(shape[0].line).toBe(bad.split('\n').findIndex((line) => line.includes('"queue"')) + 1);
    const missing = checkFlowText(text.replace('"queue": "billing",', '')).diagnostics.filter((d) => d.code === 'shape');
    expect(missing[0].message).toContain('has no "queue"');
  });

  it('reports odd queue names and timeouts', () => {
    const odd = checkFlowText(text.replace('"billing"', '"../x"').replace('120', '-5')).diagnostics.filter((d) => d.code === 'handoff-settings');
    expect(odd.map((d) => d.path)).toEqual(['handoff.sendRequest.queue', 'handoff.sendRequest.timeoutSeconds']);
  });
});

describe('stepSession with OperatorHandoff', () => {
  const compiled = compileFlow(parseFlow(text).flow!);
  const atQuestion = ok(stepSession(compiled, emptyPending(), { kind: 'start' })).pending;
  const pick = { kind: 'response' as const, response: { kind: 'ChoiceResponse', groupId: 'g', itemId: 'person' } };

  it('sends the handoff and waits there: next (the fallback) is not followed at once', () => {
    const step = ok(stepSession(compiled, atQuestion, pick));
    expect(step.visited).toEqual(['wantsPerson', 'handoff']);
    expect(step.requests).toEqual([{ kind: 'OperatorHandoff', queue: 'billing', text: 'Let me find someone for you…', timeoutSeconds: 120 }]);
    expect(step.pending.handoff).toEqual({ queue: 'billing' });
  });

  it('records the visitor’s text during the handoff without answering it, whatever the chat id', () => {
    const handedOff = ok(stepSession(compiled, atQuestion, pick)).pending;
    const typed = ok(stepSession(compiled, handedOff, { kind: 'response', response: { kind: 'UserText', sessionId: 'operator', content: 'hello?' } }));
    expect(typed.requests).toEqual([]);
    expect(typed.pending).toBe(handedOff);
  });

  it('resumes at a chosen state, goes back to waiting, or ends', () => {
    const handedOff = ok(stepSession(compiled, atQuestion, pick)).pending;
    const fallback = ok(stepSession(compiled, handedOff, { kind: 'resume', at: 'noOperator' }));
    expect(fallback.visited).toEqual(['noOperator', 'ask']);
    expect(fallback.pending.handoff).toBeUndefined();
    expect(fallback.pending.choiceGroups).toEqual(['g']);
    const back = ok(stepSession(compiled, handedOff, { kind: 'resume' }));
    expect(back.requests).toEqual([]);
    expect('handoff' in back.pending).toBe(false);
    const chatting = { ...handedOff, chatSessions: ['c'] };
    const end = ok(stepSession(compiled, chatting, { kind: 'resume', end: true }));
    expect(end.requests).toEqual([{ kind: 'EndChatSession', sessionId: 'c' }]);
    expect(end.pending).toEqual({ choiceGroups: [], chatSessions: [] });
  });

  it('refuses to resume a conversation nobody handed off, or at a state that does not exist', () => {
    expect(stepSession(compiled, atQuestion, { kind: 'resume' })).toMatchObject({ ok: false, code: 'not-pending' });
    const handedOff = ok(stepSession(compiled, atQuestion, pick)).pending;
    expect(stepSession(compiled, handedOff, { kind: 'resume', at: 'nowhere' })).toMatchObject({ ok: false, code: 'missing-state' });
  });

  it('a claim without a handoff step is a takeover; a release ends it (derived from the records alone)', () => {
    const claimed = applyPayload(atQuestion, { kind: 'Operator', message: { kind: 'OperatorClaim', operator: 'sam', name: 'Sam' } });
    expect(claimed.handoff).toEqual({ queue: null });
    const taken = ok(stepSession(compiled, claimed, pick));
    expect(taken.requests).toEqual([]);
    const released = applyPayload(claimed, { kind: 'Operator', message: { kind: 'OperatorRelease', reason: 'released' } });
    expect(released).toEqual(atQuestion);
  });
});

describe('OperatorHandoff on the canvas', () => {
  it('is a "Talk to a person" node with its queue and text, and its fallback is a next edge', () => {
    const graph = flowToGraph(parseFlow(text).flow!);
    const node = graph.nodes.find((n) => n.id === 'handoff')!;
    expect(node).toMatchObject({ kind: 'OperatorHandoff', label: 'Talk to a person', preview: 'queue billing: Let me find someone for you…' });
    expect(graph.edges.filter((e) => e.source === 'handoff').map((e) => `${e.kind} ${e.target}`)).toEqual(['next noOperator']);
  });
});
