/**
 * The host API's publish endpoints (behind the same token and origin checks as the rest of the
 * studio API). The studio page names a target `{ serverUrl, tokenFile }`; this process reads the
 * token file and signs the call (publish/studioPublishing.ts), so the token never reaches the page.
 * - `GET publish/targets` -> `{ targets: PublishTarget[] }`
 * - `POST publish/check` `{ target, flowText }` -> `PublishCheckResult`
 * - `POST publish` `{ target, flowText }` -> `PublishResult`
 * - `POST publish/status` `{ target }` -> `PublishStatus`
 * - `POST publish/rollback` `{ target, hash }` -> `PublishResult`
 * - `POST publish/version` `{ target, hash }` -> `{ text }`
 * A bad request (the target's URL, an unreadable token file, a bad hash) is 400 `{ error }`; the server's refusal or
 * silence is 502 `{ error }`.
 */
import type { IncomingMessage } from 'node:http';
import type { PublishTarget } from '../../contract/publishTypes.ts';
import { PublishRequestError, type StudioPublishing } from '../publish/studioPublishing.ts';
import { HostApiError } from './HostApiError.ts';
import { readJsonBody } from './readJsonBody.ts';

const ENDPOINTS = new Set(['GET publish/targets', 'POST publish/check', 'POST publish', 'POST publish/status', 'POST publish/rollback', 'POST publish/version']);

/** Answers `endpoint` (relative to /studio/api/) when it is a publish endpoint; undefined otherwise. */
export async function routePublish(
  req: IncomingMessage,
  endpoint: string,
  publishing: StudioPublishing | undefined,
  maxBodyBytes: number,
): Promise<{ status: number; body: unknown } | undefined> {
  if (!ENDPOINTS.has(endpoint)) return undefined;
  if (!publishing) throw new HostApiError(503, 'This studio cannot publish: its host was started without publishing.');
  if (endpoint === 'GET publish/targets') return { status: 200, body: { targets: await publishing.publishTargets() } };
  const body = await readJsonBody(req, maxBodyBytes);
  const { target, flowText, hash } = (typeof body === 'object' && body !== null ? body : {}) as { target?: unknown; flowText?: unknown; hash?: unknown };
  const checkedTarget = targetOf(target);
  const text = (): string => {
    if (typeof flowText !== 'string') throw new HostApiError(400, '"flowText" must be the flow file\'s text.');
    return flowText;
  };
  const versionHash = (): string => {
    if (typeof hash !== 'string') throw new HostApiError(400, '"hash" must name a version (16 hex digits).');
    return hash;
  };
  try {
    switch (endpoint) {
      case 'POST publish/check':
        return { status: 200, body: await publishing.checkPublish(checkedTarget, text()) };
      case 'POST publish':
        return { status: 200, body: await publishing.publish(checkedTarget, text()) };
      case 'POST publish/status':
        return { status: 200, body: await publishing.publishStatus(checkedTarget) };
      case 'POST publish/rollback':
        return { status: 200, body: await publishing.rollback(checkedTarget, versionHash()) };
      default:
        return { status: 200, body: { text: await publishing.versionText(checkedTarget, versionHash()) } };
    }
  } catch (error) {
    if (error instanceof HostApiError) throw error;
    if (error instanceof PublishRequestError) throw new HostApiError(400, error.message);
    throw new HostApiError(502, (error as Error).message);
  }
}

function targetOf(value: unknown): PublishTarget {
  const t = value as Partial<PublishTarget> | null | undefined;
  if (typeof t !== 'object' || t === null || typeof t.serverUrl !== 'string' || typeof t.tokenFile !== 'string') {
    throw new HostApiError(400, '"target" must be { serverUrl, tokenFile }: the server to publish to and the file holding its publish token.');
  }
  return { serverUrl: t.serverUrl, tokenFile: t.tokenFile };
}
