/**
 * Keeps the studio window on the studio: no navigation away, no new windows, no webviews; frames
 * (the preview, the Live tab) stay on the runtime's preview and operator console pages, and no redirect leads anywhere else. Web and
 * mail links open in the system browser instead; every other scheme is dropped.
 */
const EXTERNAL_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** True for http(s) and mailto URLs that parse (what may be handed to the system browser). */
export function isExternalUrlAllowed(url: string): boolean {
  try {
    return EXTERNAL_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** True when `url` is a page of the studio itself (same origin, under /studio/). */
export function isStudioUrl(url: string, studioOrigin: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.origin === studioOrigin && parsed.pathname.startsWith('/studio/');
  } catch {
    return false;
  }
}

/** True when `url` is a preview page of the runtime (what the studio's preview iframe may show). */
export function isPreviewUrl(url: string, runtimeOrigin: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.origin === runtimeOrigin && (parsed.pathname === '/preview' || parsed.pathname.startsWith('/preview/'));
  } catch {
    return false;
  }
}

/** True when `url` is the runtime's operator console (the studio's Live tab frames it). */
export function isOperatorConsoleUrl(url: string, runtimeOrigin: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.origin === runtimeOrigin && (parsed.pathname === '/operator' || parsed.pathname.startsWith('/operator/'));
  } catch {
    return false;
  }
}

/** What the studio's frames may show: preview pages and the operator console. */
function isFramePageUrl(url: string, runtimeOrigin: string): boolean {
  return isPreviewUrl(url, runtimeOrigin) || isOperatorConsoleUrl(url, runtimeOrigin);
}

/** A navigation of one frame, as Electron reports it (`will-frame-navigate`, `will-redirect`). */
export interface FrameNavigation {
  preventDefault(): void;
  url: string;
  isMainFrame: boolean;
}

/** The part of Electron's webContents the guards attach to. */
export interface GuardedWebContents {
  on(event: 'will-navigate', listener: (event: { preventDefault(): void; url: string }) => void): unknown;
  on(event: 'will-frame-navigate' | 'will-redirect', listener: (event: FrameNavigation) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
}

export interface NavigationGuardOptions {
  studioOrigin: string;
  /** Electron's shell.openExternal. */
  openExternal(url: string): Promise<void>;
  /** Where refusals are reported (a log line, not a dialog). */
  warn(message: string): void;
}

/** Installs the guards on the studio window's webContents. */
export function installNavigationGuards(contents: GuardedWebContents, options: NavigationGuardOptions): void {
  const openOutside = (url: string): void => {
    if (isExternalUrlAllowed(url)) {
      options.openExternal(url).catch((error: unknown) => options.warn(`Could not open ${url}: ${String(error)}`));
    } else {
      options.warn(`Refused to open ${url}: only http, https and mailto links open outside the studio.`);
    }
  };
  contents.on('will-navigate', (event) => {
    if (isStudioUrl(event.url, options.studioOrigin)) return;
    event.preventDefault();
    openOutside(event.url);
  });
  // Frames (the preview, the Live tab's console) may only show preview or console pages; a link clicked in one opens outside.
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame || isFramePageUrl(event.url, options.studioOrigin)) return;
    event.preventDefault();
    openOutside(event.url);
  });
  // A redirect may not lead the window off the studio or a frame off the preview (a server, or a
  // page in the preview, could otherwise send either anywhere without a navigation event).
  contents.on('will-redirect', (event) => {
    const allowed = event.isMainFrame ? isStudioUrl(event.url, options.studioOrigin) : isFramePageUrl(event.url, options.studioOrigin);
    if (allowed) return;
    event.preventDefault();
    options.warn(`Refused a redirect of the ${event.isMainFrame ? 'studio window' : 'preview'} to ${event.url}.`);
  });
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
