import { describe, expect, it } from 'vitest';
import { studioContentSecurityPolicy } from '../runtime/server/studio/studioContentSecurityPolicy.ts';
import { installContentSecurityPolicy } from './contentSecurityPolicy.ts';
import type { HeadersWebRequest } from './contentSecurityPolicy.ts';
import { installNavigationGuards, isExternalUrlAllowed } from './navigationGuards.ts';
import type { GuardedWebContents } from './navigationGuards.ts';

const ORIGIN = 'http://127.0.0.1:4321';

function fakeContents() {
  const handlers = new Map<string, (event: { preventDefault(): void; url: string; isMainFrame?: boolean }) => void>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents: GuardedWebContents = {
    on: (event: string, listener: (event: { preventDefault(): void; url: string }) => void) => handlers.set(event, listener),
    setWindowOpenHandler: (handler) => {
      openHandler = handler;
    },
  } as GuardedWebContents;
  const opened: string[] = [];
  const warnings: string[] = [];
  installNavigationGuards(contents, {
    studioOrigin: ORIGIN,
    openExternal: async (url) => void opened.push(url),
    warn: (message) => void warnings.push(message),
  });
  const navigate = (url: string) => {
    let prevented = false;
    handlers.get('will-navigate')?.({ url, preventDefault: () => (prevented = true) });
    return prevented;
  };
  const frameEvent = (name: 'will-frame-navigate' | 'will-redirect', url: string, isMainFrame: boolean) => {
    let prevented = false;
    handlers.get(name)?.({ url, isMainFrame, preventDefault: () => (prevented = true) });
    return prevented;
  };
  const windowOpen = (url: string) => openHandler?.({ url });
  const attachWebview = () => {
    let prevented = false;
    handlers.get('will-attach-webview')?.({ url: '', preventDefault: () => (prevented = true) });
    return prevented;
  };
  return { navigate, frameEvent, windowOpen, attachWebview, opened, warnings };
}

describe('navigation guards', () => {
  it('stays on the studio and sends web links to the system browser', () => {
    const { navigate, opened } = fakeContents();
    expect(navigate(`${ORIGIN}/studio/?flow=1`)).toBe(false);
    expect(navigate('https://example.com/docs')).toBe(true);
    expect(navigate(`${ORIGIN}/preview/`)).toBe(true);
    expect(navigate('http://127.0.0.1:9999/studio/')).toBe(true);
    expect(opened).toEqual(['https://example.com/docs', `${ORIGIN}/preview/`, 'http://127.0.0.1:9999/studio/']);
  });

  it('keeps frames on the preview pages: a link in the preview opens outside, nothing else loads in it', () => {
    const { frameEvent, opened, warnings } = fakeContents();
    expect(frameEvent('will-frame-navigate', `${ORIGIN}/preview/?start=ask`, false)).toBe(false);
    expect(frameEvent('will-frame-navigate', `${ORIGIN}/preview`, false)).toBe(false);
    // The sandboxed frame's own address: the preview token and the conversation key ride in it.
    expect(frameEvent('will-frame-navigate', `${ORIGIN}/preview/?access=${'a'.repeat(64)}&key=${'b'.repeat(32)}&start=ask`, false)).toBe(false);
    // The Live tab frames the operator console (issue 14); another server's console stays out.
    expect(frameEvent('will-frame-navigate', `${ORIGIN}/operator/`, false)).toBe(false);
    expect(frameEvent('will-frame-navigate', 'http://127.0.0.1:1/operator/', false)).toBe(true);
    // The studio itself (with its host API) may never load inside the preview frame.
    expect(frameEvent('will-frame-navigate', `${ORIGIN}/studio/`, false)).toBe(true);
    expect(frameEvent('will-frame-navigate', 'https://example.com/pricing', false)).toBe(true);
    expect(frameEvent('will-frame-navigate', 'file:///etc/passwd', false)).toBe(true);
    expect(opened).toEqual(['http://127.0.0.1:1/operator/', `${ORIGIN}/studio/`, 'https://example.com/pricing']);
    expect(warnings).toEqual(['Refused to open file:///etc/passwd: only http, https and mailto links open outside the studio.']);
    // The main frame is will-navigate's job.
    expect(frameEvent('will-frame-navigate', 'https://example.com/', true)).toBe(false);
  });

  it('refuses redirects off the studio (window) or off the preview (frames)', () => {
    const { frameEvent, opened, warnings } = fakeContents();
    expect(frameEvent('will-redirect', `${ORIGIN}/studio/`, true)).toBe(false);
    expect(frameEvent('will-redirect', `${ORIGIN}/preview/`, false)).toBe(false);
    expect(frameEvent('will-redirect', 'https://evil.example/', true)).toBe(true);
    expect(frameEvent('will-redirect', `${ORIGIN}/studio/`, false)).toBe(true);
    expect(frameEvent('will-redirect', 'http://127.0.0.1:1/preview/', false)).toBe(true);
    expect(opened).toEqual([]);
    expect(warnings).toEqual([
      'Refused a redirect of the studio window to https://evil.example/.',
      `Refused a redirect of the preview to ${ORIGIN}/studio/.`,
      'Refused a redirect of the preview to http://127.0.0.1:1/preview/.',
    ]);
  });

  it('denies every window.open, opening only http, https and mailto outside', () => {
    const { windowOpen, opened, warnings } = fakeContents();
    for (const url of ['https://a.example/', 'mailto:help@example.com', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://share/x', 'not a url']) {
      expect(windowOpen(url)).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://a.example/', 'mailto:help@example.com']);
    expect(warnings).toHaveLength(4);
    expect(warnings[0]).toBe('Refused to open file:///etc/passwd: only http, https and mailto links open outside the studio.');
  });

  it('refuses webviews', () => {
    expect(fakeContents().attachWebview()).toBe(true);
  });

  it('checks URL schemes', () => {
    expect(isExternalUrlAllowed('HTTPS://EXAMPLE.COM')).toBe(true);
    expect(isExternalUrlAllowed('ms-settings:privacy')).toBe(false);
    expect(isExternalUrlAllowed('')).toBe(false);
  });
});

describe('content security policy', () => {
  it('allows only the studio origin and its websocket, no inline or eval scripts', () => {
    const policy = studioContentSecurityPolicy(new URL(ORIGIN).host);
    expect(policy).toContain("script-src 'self';");
    expect(policy).not.toMatch(/script-src[^;]*unsafe/);
    expect(policy).toContain(`connect-src 'self' ws://127.0.0.1:4321;`);
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("frame-src 'self'");
  });

  it("adds the policy to the studio origin's responses, keeping the server's own", () => {
    let filter: { urls: string[] } | undefined;
    let listener: Parameters<HeadersWebRequest['onHeadersReceived']>[1] | undefined;
    installContentSecurityPolicy({ onHeadersReceived: (f, l) => ((filter = f), (listener = l)) }, ORIGIN);
    expect(filter).toEqual({ urls: [`${ORIGIN}/studio/*`] });
    let headers: Record<string, string[]> | undefined;
    listener?.(
      { url: `${ORIGIN}/studio/`, responseHeaders: { 'content-type': ['text/html'], 'content-security-policy': ["default-src 'none'"] } },
      (response) => void (headers = response.responseHeaders),
    );
    expect(headers).toEqual({
      'content-type': ['text/html'],
      'Content-Security-Policy': ["default-src 'none'", studioContentSecurityPolicy('127.0.0.1:4321')],
    });
  });
});
