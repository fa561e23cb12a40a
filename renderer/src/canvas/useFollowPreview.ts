import { useEffect, useRef } from 'react';
import { useReactFlow } from '@xyflow/react';
import { usePreview } from '../preview/usePreview.ts';
import { useDocumentStore } from '../store/useDocument.ts';
import type { StateNode } from './canvasTypes.ts';

/** Screen pixels a step must keep from the canvas edge to count as in view. */
const EDGE_MARGIN = 24;
/** A conversation that starts over this soon after an edit was restarted by the edit, not by the author. */
const EDIT_RESTART_MS = 3000;

/**
 * The canvas follows the preview: when the conversation moves to a step (it waits there, or ends
 * there) that is out of view, the view glides to it at the current zoom. Steps already in view
 * leave the view alone, so it never jumps under the author's pointer. Nor does it glide to the
 * start when an edit made the preview start over: the author is working on another step.
 */
export function useFollowPreview(): void {
  const rf = useReactFlow<StateNode>();
  const documents = useDocumentStore();
  const current = usePreview((s) => s.trail.waiting[0] ?? s.trail.visited.at(-1) ?? null);
  const startingOver = usePreview((s) => s.trail.starting);
  const key = usePreview((s) => s.key);
  const lastEdit = useRef(-Infinity);
  const lastRestart = useRef(-Infinity);
  useEffect(() => documents.subscribe((state, previous) => {
    if (state.text !== previous.text) lastEdit.current = performance.now();
  }), [documents]);
  useEffect(() => {
    lastRestart.current = performance.now();
  }, [key]);
  useEffect(() => {
    if (!current) return;
    const now = performance.now();
    if (startingOver && now - lastEdit.current < EDIT_RESTART_MS && lastRestart.current < lastEdit.current) return;
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
  }, [current, startingOver, rf]);
}
