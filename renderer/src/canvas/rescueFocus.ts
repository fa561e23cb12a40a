import { isModalOpen } from '../workbench/useModal.ts';

/**
 * After something the keyboard did took away the focused element (a deleted step, a closed Find
 * bar, a selection cleared), focus goes back to the canvas instead of the page: to `keep` while it
 * is still there, else the selected step, else the first step, else the canvas itself. Focus that
 * landed elsewhere, or a dialog that opened, is left alone.
 */
export function rescueFocus(keep?: EventTarget | null): void {
  // The next frame but one: React Flow blurs a step it unselects in the next frame itself.
  requestAnimationFrame(() => requestAnimationFrame(() => {
    const active = document.activeElement;
    if (active && active !== document.body) return;
    // A dialog opened meanwhile has the keyboard (it gives it back when it closes).
    if (isModalOpen()) return;
    const canvas = document.getElementById('flow-canvas');
    if (!canvas) return;
    const target =
      (keep instanceof HTMLElement || keep instanceof SVGElement ? (keep.isConnected ? keep : null) : null) ??
      canvas.querySelector<HTMLElement>('.react-flow__node.selected[tabindex]') ??
      canvas.querySelector<HTMLElement>('.react-flow__node[tabindex]') ??
      canvas;
    target.focus({ preventScroll: true });
  }));
}
