/**
 * The Content-Security-Policy the desktop adds to every response from the embedded runtime.
 */

/**
 * The policy for the studio served from `origin` (http://127.0.0.1:port): code only from the
 * studio itself, Monaco's and React Flow's inline styles, workers from the studio, the runtime's
 * websocket, the preview iframe from the same origin, nothing else.
 */
export function contentSecurityPolicy(origin: string): string {
  const websocket = origin.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${websocket}`,
    "worker-src 'self' blob:",
    "frame-src 'self'",
    "frame-ancestors 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** The part of Electron's session.webRequest used here. */
export interface HeadersWebRequest {
  onHeadersReceived(
    filter: { urls: string[] },
    listener: (
      details: { url: string; responseHeaders?: Record<string, string[]> },
      callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
    ) => void,
  ): void;
}

/**
 * Adds the policy to every response from `origin`. A policy the server sent is kept beside it
 * (the browser enforces both), so the desktop can only make a page stricter, never looser.
 */
export function installContentSecurityPolicy(webRequest: HeadersWebRequest, origin: string): void {
  const policy = contentSecurityPolicy(origin);
  webRequest.onHeadersReceived({ urls: [`${origin}/*`] }, (details, callback) => {
    const headers: Record<string, string[]> = {};
    const policies: string[] = [];
    for (const [name, values] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() === 'content-security-policy') policies.push(...values);
      else headers[name] = values;
    }
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [...policies, policy] } });
  });
}
