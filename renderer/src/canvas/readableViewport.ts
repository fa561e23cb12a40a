import type { Viewport } from '@xyflow/react';

/** Below this zoom node titles are too small to read. */
export const READABLE_ZOOM = 0.6;
/** Screen pixels kept free around what is framed. */
const MARGIN = 12;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The viewport a flow opens with: the whole flow when it fits at a readable zoom (at most 1);
 * otherwise the start of the flow: the start state at the left edge, zoomed to show whole the
 * first columns that fit at `READABLE_ZOOM` (or more), centred vertically when they fit, else
 * the start state centred. `boxes` are the states' boxes on the canvas by name.
 */
export function readableViewport(boxes: ReadonlyMap<string, Box>, pane: { width: number; height: number }, start: string | undefined): Viewport {
  const all = union([...boxes.values()]);
  if (!all || pane.width <= 0 || pane.height <= 0) return { x: 0, y: 0, zoom: 1 };
  const fitZoom = Math.min(1, (pane.width - 2 * MARGIN) / all.width, (pane.height - 2 * MARGIN) / all.height);
  const first = start === undefined ? undefined : boxes.get(start);
  if (fitZoom >= READABLE_ZOOM || !first) return centred(all, Math.max(fitZoom, 0.1), pane);
  const reach = first.x + (pane.width - 2 * MARGIN) / READABLE_ZOOM;
  const region = union([first, ...[...boxes.values()].filter((b) => b.x >= first.x && b.x + b.width <= reach)])!;
  // Only the start's column fits: stay at the readable zoom so the next column shows in part.
  const onlyStart = region.x + region.width <= first.x + first.width;
  const zoom = onlyStart ? READABLE_ZOOM : Math.max(READABLE_ZOOM, Math.min(1, (pane.width - 2 * MARGIN) / region.width));
  const x = MARGIN - first.x * zoom;
  if (region.height * zoom <= pane.height - 2 * MARGIN) return { x, y: pane.height / 2 - (region.y + region.height / 2) * zoom, zoom };
  return { x, y: pane.height / 2 - (first.y + first.height / 2) * zoom, zoom };
}

function centred(box: Box, zoom: number, pane: { width: number; height: number }): Viewport {
  return { x: pane.width / 2 - (box.x + box.width / 2) * zoom, y: pane.height / 2 - (box.y + box.height / 2) * zoom, zoom };
}

function union(boxes: Box[]): Box | null {
  if (boxes.length === 0) return null;
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const b of boxes) {
    left = Math.min(left, b.x);
    top = Math.min(top, b.y);
    right = Math.max(right, b.x + b.width);
    bottom = Math.max(bottom, b.y + b.height);
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}
