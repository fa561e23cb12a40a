/**
 * `POST /publish/routing`: how the server's own recorded conversations would go on a draft. The
 * most recent visitor conversations on the running version (at most `limit`) are replayed through
 * the draft with the routing-difference check of history (`routingChangesOf`, as the studio's
 * coverage and `bot-assistant replay-sessions` do). The session catalog is built from the stream on
 * the first check, then kept current by following it. Session ids never leave the server: they are
 * the visitors' cookies.
 */
import type { PublishRoutingResult } from '../../contract/publishTypes.ts';
import { checkFlowText } from '../../flow/checkFlowText.ts';
import { compileFlow } from '../../flow/compileFlow.ts';
import type { Diagnostic } from '../../flow/types.ts';
import { routingChangesOf } from '../../history/findRoutingChanges.ts';
import { SessionCatalog, type CatalogEntry } from '../../history/SessionCatalog.ts';
import type { MessageStream } from '../../stream/messageStream.ts';

/** Conversations replayed per check by default: a check stays well under a second on a busy server. */
export const DEFAULT_ROUTING_LIMIT = 1000;

export type RoutingCheckOutcome = { ok: true; result: PublishRoutingResult } | { ok: false; diagnostics: Diagnostic[] };

export interface RoutingCheck {
  /** Replay the running version's most recent conversations through `draftText`. */
  check(draftText: string, runningHash: string | null): Promise<RoutingCheckOutcome>;
  close(): void;
}

export function createRoutingCheck(stream: MessageStream, limit = DEFAULT_ROUTING_LIMIT): RoutingCheck {
  let catalog: Promise<SessionCatalog> | undefined;
  let closed = false;
  return {
    async check(draftText, runningHash) {
      const checked = checkFlowText(draftText);
      if (!checked.flow || checked.diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics: checked.diagnostics };
      const compiled = compileFlow(checked.flow);
      catalog ??= SessionCatalog.open(stream);
      const sessions = await catalog;
      if (closed) sessions.close();
      const recorded = runningHash === null ? [] : [...sessions.all()].filter((entry) => !entry.preview && entry.flowHash === runningHash);
      const recent = mostRecent(recorded, limit);
      const changes = routingChangesOf(sessions, compiled, recent, 10, 0);
      return {
        ok: true,
        result: {
          version: runningHash,
          recorded: recorded.length,
          checked: changes.sessions,
          limit,
          changed: changes.changed,
          groups: changes.groups.map(({ step, reason, count }) => ({ step, reason, count })),
        },
      };
    },
    close() {
      closed = true;
      void catalog?.then((c) => c.close());
    },
  };
}

/** The sessions whose last record is latest in the stream. */
function mostRecent(entries: CatalogEntry[], limit: number): CatalogEntry[] {
  return entries.sort((a, b) => b.lastOffset - a.lastOffset).slice(0, limit);
}
