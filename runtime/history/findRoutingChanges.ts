/**
 * Which recorded sessions a draft would now route another way: every selected session is replayed
 * through the draft (`replaySession`, the same replay the studio's coverage uses) and the ones that
 * split from their recording are counted and grouped by where they split. Pure over the catalog.
 */
import type { CompiledFlow } from '../flow/compileFlow.ts';
import type { RoutingDifference, SessionFilter } from './historyTypes.ts';
import { matchingSessions } from './querySessions.ts';
import { replaySession } from './replaySession.ts';
import type { CatalogEntry, SessionCatalog } from './SessionCatalog.ts';

/** Sessions that split the same way: at the same step, for the same reason. */
export interface RoutingChangeGroup {
  /** 0-based step (the start is step 0, each answer one more) */
  step: number;
  reason: string;
  count: number;
  /** the first few sessions of the group */
  sids: string[];
}

export interface RoutingChanges {
  /** sessions replayed */
  sessions: number;
  /** sessions the draft routes another way */
  changed: number;
  /** groups, largest first (at most `maxGroups`) */
  groups: RoutingChangeGroup[];
}

/** Replay the sessions `filter` selects through `compiled`. Throws HistoryInputError on a malformed filter. */
export function findRoutingChanges(catalog: SessionCatalog, compiled: CompiledFlow, filter: SessionFilter = {}, maxGroups = 10, sidsPerGroup = 5): RoutingChanges {
  return routingChangesOf(catalog, compiled, matchingSessions(catalog, filter), maxGroups, sidsPerGroup);
}

/** Replay these catalog entries through `compiled` (the caller chose and bounded them). */
export function routingChangesOf(catalog: SessionCatalog, compiled: CompiledFlow, entries: Iterable<CatalogEntry>, maxGroups = 10, sidsPerGroup = 5): RoutingChanges {
  const groups = new Map<string, RoutingChangeGroup>();
  let sessions = 0;
  let changed = 0;
  for (const entry of entries) {
    sessions += 1;
    const difference = firstDifference(entry.sid, replaySession(compiled, catalog.steps(entry)).steps);
    if (!difference) continue;
    changed += 1;
    const key = `${difference.step}\u0000${difference.reason}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { step: difference.step, reason: difference.reason, count: 0, sids: [] }));
    group.count += 1;
    if (group.sids.length < sidsPerGroup) group.sids.push(entry.sid);
  }
  const sorted = [...groups.values()].sort((a, b) => b.count - a.count || a.step - b.step);
  return { sessions, changed, groups: sorted.slice(0, maxGroups) };
}

function firstDifference(sid: string, steps: readonly { difference: string | null }[]): RoutingDifference | null {
  for (let i = 0; i < steps.length; i++) {
    const reason = steps[i].difference;
    if (reason) return { sid, step: i, reason };
  }
  return null;
}
