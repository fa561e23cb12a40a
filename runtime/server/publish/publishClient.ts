/**
 * Talks to a server's publish API (publishRoutes.ts), signing each request with the token; used by
 * `bot-assistant publish` and by the studio's Publish dialog through its host. Refuses to send
 * anything over plain http to another machine.
 */
import { signPublishRequest } from './publishAuth.ts';

export interface PublishServer {
  /** the server's base URL, e.g. https://bots.example.com/ */
  url: string;
  token: string;
  /** shown in the server's publish log */
  publisher: string;
}

/** A failed publish API call: the server's reason, or why it could not be reached. */
export class PublishClientError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly body: unknown = undefined,
  ) {
    super(message);
    this.name = 'PublishClientError';
  }
}

/** One signed call; resolves with the parsed JSON answer (or the text for a version), rejects with PublishClientError. */
export async function callPublishApi(server: PublishServer, method: 'GET' | 'POST', path: string, body = ''): Promise<unknown> {
  const base = parseServerUrl(server.url);
  const target = new URL(path.replace(/^\//, ''), base);
  const pathWithQuery = `${target.pathname}${target.search}`;
  const headers: Record<string, string> = {
    Authorization: signPublishRequest(server.token, { method, path: pathWithQuery, body }),
    'X-Publisher': server.publisher,
  };
  if (method === 'POST') headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(target, { method, headers, body: method === 'POST' ? body : undefined, redirect: 'error' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new PublishClientError(`cannot reach ${base.origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, null);
  }
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // a version's text is JSON too; anything else stays text
  }
  if (!response.ok) {
    const reason = typeof parsed === 'object' && parsed !== null && typeof (parsed as { error?: unknown }).error === 'string' ? (parsed as { error: string }).error : text.slice(0, 200);
    throw new PublishClientError(`${base.origin} refused: ${response.status} ${reason}`, response.status, parsed);
  }
  return parsed;
}

/** The server URL, checked: http(s) only, and https unless the host is this machine. */
export function parseServerUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url.endsWith('/') ? url : `${url}/`);
  } catch {
    throw new PublishClientError(`"${url}" is not a server URL (expected e.g. https://bots.example.com/)`, null);
  }
  // "localhost:5610" parses as a URL of scheme "localhost:": it is a server without its scheme.
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new PublishClientError(`"${url}": the server URL must start with https:// (or http:// to this machine, e.g. http://${url.replace(/^[a-z]+:\/\//i, '')})`, null);
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    throw new PublishClientError(`"${url}": publishing over plain http is allowed only to this machine (127.0.0.1, localhost, [::1]); use https://`, null);
  }
  return parsed;
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
