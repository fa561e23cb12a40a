/**
 * What the studio and the runtime's preview page agree on (runtime/server/preview/previewPage.ts
 * serves the page; renderer/src/preview frames it). The page runs sandboxed, in an opaque origin, so
 * it reaches nothing of the studio and sends no cookies: its address carries what a cookie would.
 */

/** The sandbox of the preview page (its CSP and the studio's iframe): scripts, and bot links opening in a new tab as normal pages. No allow-same-origin. */
export const PREVIEW_SANDBOX = 'allow-scripts allow-popups allow-popups-to-escape-sandbox';

/** The page's query parameter with the studio's preview token (it opens previews and nothing else). */
export const PREVIEW_ACCESS_PARAM = 'access';

/** The page's query parameter with the conversation's key (128 random bits in hex): the runtime resumes the session it started for the key. */
export const PREVIEW_KEY_PARAM = 'key';

/** The message the page posts its parent once the widget has rebuilt its conversation (preview.js). */
export interface PreviewSettledMessage {
  source: 'bot-preview';
  settled: true;
}

export function isPreviewSettledMessage(data: unknown): data is PreviewSettledMessage {
  const d = data as Partial<PreviewSettledMessage> | null;
  return typeof d === 'object' && d !== null && d.source === 'bot-preview' && d.settled === true;
}
