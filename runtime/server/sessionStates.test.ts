import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEmbeddedLog } from '../stream/EmbeddedLog.ts';
import { emptyPending } from '../flow/pendingState.ts';
import { SessionStates } from './sessionStates.ts';

describe('session states: live sessions by version (what a publish reports and keeps)', () => {
  it('counts the sessions still waiting for an answer, typed text or a person; not those that ended or were reset', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'session-states-'));
    const stream = await openEmbeddedLog({ dir, logger: { info: () => {}, warn: () => {} } });
    const states = new SessionStates({ stream });
    try {
      const at = (flowHash: string, pending = emptyPending(), reset = false) => ({ pending, reset, lastOffset: 0, flowHash });
      states.set('asked', at('v1', { choiceGroups: ['lang'], chatSessions: [] }));
      states.set('typing', at('v1', { choiceGroups: [], chatSessions: ['chat'] }));
      states.set('with a person', at('v2', { choiceGroups: [], chatSessions: [], handoff: { queue: 'billing' } }));
      states.set('ended', at('v1'));
      states.set('reset', at('v2', { choiceGroups: ['lang'], chatSessions: [] }, true));
      expect(states.versionCounts()).toEqual(new Map([['v1', 2], ['v2', 1]]));
    } finally {
      states.close();
      await stream.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
