/**
 * Who may publish: a request signed with the server's publish token. The token itself never
 * travels; each request carries `Authorization: BotAssistant-Publish ts=…, nonce=…, sig=…` where
 * sig = HMAC-SHA256(token, "METHOD\nPATH\nts\nnonce\nsha256(body)") in hex. The server compares
 * in constant time, accepts a timestamp within five minutes of its clock, and remembers nonces
 * for that long, so a captured request cannot be replayed and a changed body or path fails.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const PUBLISH_AUTH_SCHEME = 'BotAssistant-Publish';
/** How far a request's timestamp may be from the server's clock (and how long nonces are kept). */
export const PUBLISH_WINDOW_MS = 5 * 60_000;

export interface SignedRequest {
  method: string;
  /** the path with its query, as sent */
  path: string;
  body: string;
}

/** The Authorization header for one request. */
export function signPublishRequest(token: string, request: SignedRequest, now = Date.now(), nonce = randomBytes(16).toString('hex')): string {
  const sig = signature(token, request, String(now), nonce);
  return `${PUBLISH_AUTH_SCHEME} ts=${now}, nonce=${nonce}, sig=${sig}`;
}

export type PublishAuthResult = { ok: true } | { ok: false; reason: string };

/** Checks signed requests against one token; remembers the nonces it accepted within the window. */
export class PublishAuth {
  private readonly token: string;
  private readonly clock: () => number;
  /** nonce -> when it expires */
  private readonly seen = new Map<string, number>();

  constructor(token: string, clock: () => number = Date.now) {
    if (token.length < 16) throw new Error('the publish token must be at least 16 characters long');
    this.token = token;
    this.clock = clock;
  }

  check(header: string | undefined, request: SignedRequest): PublishAuthResult {
    if (!header) return { ok: false, reason: 'missing Authorization header: sign the request with the publish token' };
    const fields = parseHeader(header);
    if (!fields) return { ok: false, reason: `malformed Authorization header: expected "${PUBLISH_AUTH_SCHEME} ts=…, nonce=…, sig=…"` };
    const now = this.clock();
    const ts = Number(fields.ts);
    if (!Number.isSafeInteger(ts) || Math.abs(now - ts) > PUBLISH_WINDOW_MS) return { ok: false, reason: 'the request is too old or its clock is off by more than 5 minutes' };
    const expected = Buffer.from(signature(this.token, request, fields.ts, fields.nonce), 'hex');
    const given = Buffer.from(fields.sig, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'wrong publish token (the signature does not match)' };
    this.forgetExpired(now);
    if (this.seen.has(fields.nonce)) return { ok: false, reason: 'this request was already used (replayed)' };
    this.seen.set(fields.nonce, ts + PUBLISH_WINDOW_MS);
    return { ok: true };
  }

  private forgetExpired(now: number): void {
    for (const [nonce, expires] of this.seen) if (expires < now) this.seen.delete(nonce);
  }
}

function signature(token: string, request: SignedRequest, ts: string, nonce: string): string {
  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  return createHmac('sha256', token).update(`${request.method.toUpperCase()}\n${request.path}\n${ts}\n${nonce}\n${bodyHash}`).digest('hex');
}

function parseHeader(header: string): { ts: string; nonce: string; sig: string } | undefined {
  if (!header.startsWith(`${PUBLISH_AUTH_SCHEME} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(PUBLISH_AUTH_SCHEME.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const ts = fields.get('ts');
  const nonce = fields.get('nonce');
  const sig = fields.get('sig');
  if (!ts || !nonce || !sig || !/^[0-9a-f]{16,128}$/i.test(nonce) || !/^[0-9a-f]{64}$/i.test(sig)) return undefined;
  return { ts, nonce, sig };
}
