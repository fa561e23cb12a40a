/**
 * The desktop adds the studio's Content-Security-Policy (one source, shared with the web-mode server)
 * to the studio pages of the embedded runtime.
 */
import { studioContentSecurityPolicy } from '../runtime/server/studio/studioContentSecurityPolicy.ts';

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
 * Adds the studio's policy to every response under `origin`/studio/ (the preview page and the widget
 * have their own, stricter ones from the server). A policy the server sent is kept beside it (the
 * browser enforces both), so the desktop can only make a page stricter, never looser.
 */
export function installContentSecurityPolicy(webRequest: HeadersWebRequest, origin: string): void {
  const policy = studioContentSecurityPolicy(new URL(origin).host);
  webRequest.onHeadersReceived({ urls: [`${origin}/studio/*`] }, (details, callback) => {
    const headers: Record<string, string[]> = {};
    const policies: string[] = [];
    for (const [name, values] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() === 'content-security-policy') policies.push(...values);
      else headers[name] = values;
    }
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [...policies, policy] } });
  });
}
