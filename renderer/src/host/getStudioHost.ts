import type { StudioHost } from './studioHost.ts';
import { createWebHost } from './webHost.ts';

declare global {
  interface Window {
    /** set by the Electron preload; absent in a browser tab */
    studioHost?: StudioHost;
  }
}

let webHost: StudioHost | undefined;

/** The host the studio runs in: the Electron preload's when present, else the web-mode HTTP client. */
export function getStudioHost(): StudioHost {
  if (window.studioHost) return window.studioHost;
  webHost ??= createWebHost();
  return webHost;
}
