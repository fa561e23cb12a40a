/**
 * The publish API of `serve --publish-token-file FILE`, every request signed with the token
 * (publishAuth.ts) and, unless it comes from this machine, over TLS:
 * - `GET /publish/status` -> `{ current, versions: [{ hash, publishedAt, by, rollback?, liveSessions }] }`
 * - `GET /publish/versions/<hash>` -> the version's file text
 * - `POST /publish/check` (flow text) -> `PublishCheck`: problems, changes, live sessions left on older versions
 * - `POST /publish/routing` (flow text) -> `PublishRoutingResult`: how many of the most recent recorded
 *   conversations on the running version it would route another way, or 422 with the diagnostics
 * - `POST /publish` (flow text) -> `{ hash, changed, warnings }`, or 422 with the diagnostics
 * - `POST /publish/rollback` (`{"hash": …}`) -> the same as a publish
 * The publisher's name comes from the `X-Publisher` header (shown in the publish log).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeError } from '../../describeError.ts';
import { HostApiError } from '../studio/HostApiError.ts';
import { readBodyText } from '../studio/readJsonBody.ts';
import type { PublishAuth } from './publishAuth.ts';
import type { FlowVersions, PublishEntry } from './FlowVersions.ts';
import type { Publisher, PublishOutcome } from './Publisher.ts';
import type { RoutingCheck } from './routingCheck.ts';

export const PUBLISH_PATH = '/publish';
/** Flow files of 10,000 states are about 2 MB. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface PublishRoutesOptions {
  auth: PublishAuth;
  publisher: Publisher;
  versions: FlowVersions;
  liveVersions(): ReadonlyMap<string, number>;
  routing: RoutingCheck;
  /** trust `X-Forwarded-Proto: https` from a TLS-terminating proxy */
  trustProxy?: boolean;
}

/** Answers the request when it is for the publish API; returns false otherwise. */
export function createPublishRoutes(options: PublishRoutesOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const url = req.url ?? '/';
    const pathname = url.split('?', 1)[0];
    if (pathname !== PUBLISH_PATH && !pathname.startsWith(`${PUBLISH_PATH}/`)) return false;
    try {
      if (!isSecureOrLocal(req, options.trustProxy ?? false)) throw new HostApiError(403, 'publishing needs https (plain http is accepted only from this machine)');
      const body = req.method === 'POST' ? await readBodyText(req, MAX_BODY_BYTES) : '';
      const auth = options.auth.check(header(req, 'authorization'), { method: req.method ?? 'GET', path: url, body });
      if (!auth.ok) throw new HostApiError(401, auth.reason);
      const by = (header(req, 'x-publisher') ?? 'unknown').slice(0, 200);
      const answer = await route(`${req.method} ${pathname}`, body, by, options);
      if (typeof answer.body === 'string') res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(answer.body);
      else sendJson(res, answer.status, answer.body);
    } catch (error) {
      const status = error instanceof HostApiError ? error.status : 500;
      sendJson(res, status, { error: describeError(error) });
    }
    return true;
  };
}

async function route(endpoint: string, body: string, by: string, options: PublishRoutesOptions): Promise<{ status: number; body: unknown }> {
  const { publisher, versions } = options;
  if (endpoint === `GET ${PUBLISH_PATH}/status`) {
    const live = options.liveVersions();
    const latest = new Map<string, PublishEntry>();
    for (const entry of versions.history()) latest.set(entry.hash, entry);
    return {
      status: 200,
      body: {
        current: publisher.currentHash,
        versions: [...latest.values()].reverse().map((entry) => ({ ...entry, liveSessions: live.get(entry.hash) ?? 0 })),
      },
    };
  }
  if (endpoint.startsWith(`GET ${PUBLISH_PATH}/versions/`)) {
    const hash = endpoint.slice(`GET ${PUBLISH_PATH}/versions/`.length);
    const text = await versions.read(hash);
    if (text === undefined) throw new HostApiError(404, `version ${hash} is not kept on this server`);
    return { status: 200, body: text };
  }
  if (endpoint === `POST ${PUBLISH_PATH}/check`) return { status: 200, body: publisher.check(body) };
  if (endpoint === `POST ${PUBLISH_PATH}/routing`) {
    const checked = await options.routing.check(body, publisher.currentHash);
    if (!checked.ok) return { status: 422, body: { error: 'the flow has errors: its routing cannot be checked', diagnostics: checked.diagnostics } };
    return { status: 200, body: checked.result };
  }
  if (endpoint === `POST ${PUBLISH_PATH}`) return outcome(await publisher.publish(body, by));
  if (endpoint === `POST ${PUBLISH_PATH}/rollback`) {
    let hash: unknown;
    try {
      hash = (JSON.parse(body) as { hash?: unknown }).hash;
    } catch {
      hash = undefined;
    }
    if (typeof hash !== 'string') throw new HostApiError(400, 'a rollback names the version: {"hash": "<16 hex digits>"}');
    return outcome(await publisher.rollback(hash, by));
  }
  throw new HostApiError(404, `no publish endpoint ${endpoint}`);
}

function outcome(result: PublishOutcome): { status: number; body: unknown } {
  if (result.ok) return { status: 200, body: { hash: result.hash, changed: result.changed, warnings: result.warnings } };
  return { status: result.status, body: { error: result.reason, diagnostics: result.diagnostics ?? [] } };
}

function isSecureOrLocal(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  if (trustProxy && header(req, 'x-forwarded-proto') === 'https') return true;
  if (trustProxy && header(req, 'x-forwarded-for')) return false;
  const address = req.socket.remoteAddress ?? '';
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}
