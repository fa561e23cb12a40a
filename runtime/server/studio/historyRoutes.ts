/**
 * The host API's conversation-history endpoints (behind the same token and origin checks as the
 * rest of the studio API):
 * - `GET sessions?query=&from=&to=&kind=preview|real&cursor=&limit=` -> `SessionPage`
 * - `GET sessions/<sid>` -> `Transcript`
 * - `POST coverage` `{ flowText, sids: string[] | "all" }` or `{ flowText, filter: { query?, from?, to?, kind? } }`
 *   (the sessions a listing with that filter shows) -> `Coverage`
 */
import type { IncomingMessage } from 'node:http';
import { HistoryInputError } from '../../history/HistoryInputError.ts';
import { SESSION_FILTER_FIELDS, type CoverageScope, type SessionFilter, type SessionKind, type SessionQuery } from '../../history/historyTypes.ts';
import type { SessionHistory } from '../../history/sessionHistory.ts';
import { HostApiError } from './HostApiError.ts';
import { readJsonBody } from './readJsonBody.ts';

/** What a history endpoint answers. */
export interface HistoryAnswer {
  status: number;
  body: unknown;
}

/**
 * Answers `endpoint` (e.g. `GET sessions`, relative to /studio/api/) when it is a history endpoint;
 * undefined otherwise. Throws HostApiError with the status and a message for the author.
 */
export async function routeHistory(
  req: IncomingMessage,
  url: URL,
  endpoint: string,
  history: SessionHistory | undefined,
  maxBodyBytes: number,
): Promise<HistoryAnswer | undefined> {
  const isSession = endpoint.startsWith('GET sessions/');
  if (endpoint !== 'GET sessions' && endpoint !== 'POST coverage' && !isSession) return undefined;
  if (!history) throw new HostApiError(503, 'This studio has no session history: its runtime was started without one.');
  try {
    if (endpoint === 'GET sessions') return { status: 200, body: await history.listSessions(queryOf(url.searchParams)) };
    if (isSession) return { status: 200, body: await history.getTranscript(sidOf(url.pathname)) };
    const body = await readJsonBody(req, maxBodyBytes);
    const { flowText, sids, filter } = (typeof body === 'object' && body !== null ? body : {}) as { flowText?: unknown; sids?: unknown; filter?: unknown };
    if (typeof flowText !== 'string') throw new HostApiError(400, 'POST coverage needs "flowText": the flow file\'s text.');
    return { status: 200, body: await history.getCoverage(flowText, coverageScopeOf(sids, filter)) };
  } catch (error) {
    if (error instanceof HistoryInputError) throw new HostApiError(error.status, error.message);
    throw error;
  }
}

function coverageScopeOf(sids: unknown, filter: unknown): CoverageScope {
  if (filter !== undefined) {
    if (sids !== undefined) throw new HostApiError(400, 'POST coverage takes "sids" or "filter", not both.');
    if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) throw new HostApiError(400, 'POST coverage: "filter" must be an object like { "query": "refund", "kind": "real" }.');
    const scope: SessionFilter = {};
    for (const [key, value] of Object.entries(filter)) {
      if (!(SESSION_FILTER_FIELDS as readonly string[]).includes(key)) throw new HostApiError(400, `POST coverage: "filter.${key}" is not a filter field (${SESSION_FILTER_FIELDS.join(', ')}).`);
      if (typeof value !== 'string') throw new HostApiError(400, `POST coverage: "filter.${key}" must be a string.`);
      if (value !== '') (scope as Record<string, string>)[key] = value;
    }
    return { filter: scope };
  }
  if (sids !== 'all' && !(Array.isArray(sids) && sids.every((sid) => typeof sid === 'string'))) {
    throw new HostApiError(400, 'POST coverage needs "sids": an array of session ids, or "all" (or "filter": a listing filter).');
  }
  return sids as string[] | 'all';
}

function queryOf(params: URLSearchParams): SessionQuery {
  const query: SessionQuery = {};
  const text = params.get('query');
  if (text) query.query = text;
  const from = params.get('from');
  if (from) query.from = from;
  const to = params.get('to');
  if (to) query.to = to;
  const kind = params.get('kind');
  if (kind) query.kind = kind as SessionKind;
  const flow = params.get('flow');
  if (flow) query.flow = flow;
  const cursor = params.get('cursor');
  if (cursor) query.cursor = cursor;
  const limit = params.get('limit');
  if (limit) {
    if (!/^\d+$/.test(limit)) throw new HostApiError(400, `limit must be a whole number from 1 to 500, got ${JSON.stringify(limit)}.`);
    query.limit = Number(limit);
  }
  return query;
}

function sidOf(pathname: string): string {
  const raw = pathname.slice(pathname.indexOf('/sessions/') + '/sessions/'.length);
  try {
    const sid = decodeURIComponent(raw);
    if (sid === '') throw new Error('empty');
    return sid;
  } catch {
    throw new HostApiError(400, `Malformed session id in ${pathname}.`);
  }
}
