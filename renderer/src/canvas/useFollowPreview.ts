import { useEffect } from 'react';
import { useReactFlow } from '@xyflow/react';
import { usePreview } from '../preview/usePreview.ts';
import type { StateNode } from './canvasTypes.ts';

/** Screen pixels a step must keep from the canvas edge to count as in view. */
const EDGE_MARGIN = 24;

/**
 * The canvas follows the preview: when the conversation moves to a step (it waits there, or ends
 * there) that is out of view, the view glides to it at the current zoom. Steps already in view
 * leave the view alone, so it never jumps under the author's pointer.
 */
export function useFollowPreview(): void {
  const rf = useReactFlow<StateNode>();
  const current = usePreview((s) => s.trail.waiting[0] ?? s.trail.visited.at(-1) ?? null);
  useEffect(() => {
    if (!current) return;
    const node = rf.getNode(current);
    const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
    if (!node || !pane) return;
    const width = node.measured?.width ?? 240;
    const height = node.measured?.height ?? 120;
    const { x, y, zoom } = rf.getViewport();
    const left = node.position.x * zoom + x;
    const top = node.position.y * zoom + y;
    const inView = left >= EDGE_MARGIN && top >= EDGE_MARGIN && left + width * zoom <= pane.width - EDGE_MARGIN && top + height * zoom <= pane.height - EDGE_MARGIN;
    if (!inView) void rf.setCenter(node.position.x + width / 2, node.position.y + height / 2, { zoom, duration: 300 });
  }, [current, rf]);
}
