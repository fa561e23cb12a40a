/**
 * Filters and pages the catalog: most recent activity first, keyset cursor (the last row's
 * activity and sid), so a page costs one pass over the sessions and new activity never repeats
 * or skips rows already paged past.
 */
import type { CatalogEntry, SessionCatalog } from './SessionCatalog.ts';
import type { SessionFilter, SessionPage, SessionQuery } from './historyTypes.ts';
import { HistoryInputError } from './HistoryInputError.ts';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d{1,3})?)?)?)?$/;

/** One page of the sessions matching `query`. Throws HistoryInputError on a malformed filter. */
export function querySessions(catalog: SessionCatalog, query: SessionQuery): SessionPage {
  const limit = query.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new HistoryInputError(`limit must be a whole number from 1 to ${MAX_LIMIT}, got ${String(query.limit)}.`);
  const after = parseCursor(query.cursor);
  const matches = matchingSessions(catalog, query);
  matches.sort(newestFirst);
  let start = 0;
  if (after) {
    start = matches.findIndex((e) => e.lastActivity < after.lastActivity || (e.lastActivity === after.lastActivity && e.sid > after.sid));
    if (start < 0) start = matches.length;
  }
  const page = matches.slice(start, start + limit);
  const last = page[page.length - 1];
  return {
    sessions: page.map((entry) => catalog.info(entry)),
    total: matches.length,
    nextCursor: last && start + limit < matches.length ? `${last.lastActivity}|${last.sid}` : null,
  };
}

/** Every session `filter` matches, in catalog order. Throws HistoryInputError on a malformed filter. */
export function matchingSessions(catalog: SessionCatalog, query: SessionFilter): CatalogEntry[] {
  if (query.kind !== undefined && query.kind !== 'preview' && query.kind !== 'real') throw new HistoryInputError(`kind must be "preview" or "real", got ${JSON.stringify(query.kind)}.`);
  const from = timeBound('from', query.from);
  const toBound = timeBound('to', query.to);
  // A bare date as the upper bound means the whole of that day.
  const to = toBound !== undefined && toBound.length === 10 ? `${toBound}T\uffff` : toBound;
  const text = query.query?.trim().toLowerCase() || undefined;

  const matches: CatalogEntry[] = [];
  for (const entry of catalog.all()) {
    if (query.kind !== undefined && (query.kind === 'preview') !== entry.preview) continue;
    if (query.flow !== undefined && catalog.flowOf(entry) !== query.flow) continue;
    if (from !== undefined && entry.lastActivity < from) continue;
    if (to !== undefined && entry.started > to) continue;
    if (text !== undefined && !matchesText(entry, text)) continue;
    matches.push(entry);
  }
  return matches;
}

function newestFirst(a: CatalogEntry, b: CatalogEntry): number {
  if (a.lastActivity !== b.lastActivity) return a.lastActivity < b.lastActivity ? 1 : -1;
  return a.sid < b.sid ? -1 : a.sid > b.sid ? 1 : 0;
}

/** The text is in the sid, the state name, what the user wrote (the catalog's digest) or starts the flow hash. */
function matchesText(entry: CatalogEntry, text: string): boolean {
  return entry.sid.toLowerCase().includes(text) || (entry.state?.toLowerCase().includes(text) ?? false) || (entry.flowHash?.startsWith(text) ?? false) || entry.text.includes(text);
}

function timeBound(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!TIME.test(value)) throw new HistoryInputError(`${name} must be a date like 2024-05-01 or a timestamp like 2024-05-01T14:30:00, got ${JSON.stringify(value)}.`);
  return value;
}

function parseCursor(cursor: string | undefined): { lastActivity: string; sid: string } | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const bar = cursor.indexOf('|');
  if (bar < 1) throw new HistoryInputError('cursor is not one this server handed out: pass the nextCursor of the previous page unchanged.');
  return { lastActivity: cursor.slice(0, bar), sid: cursor.slice(bar + 1) };
}
