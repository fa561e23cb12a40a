import type { AriaLabelConfig } from '@xyflow/react';

/**
 * What React Flow tells screen readers about the canvas, in the studio's words: steps and links
 * rather than nodes and edges, and the keys that really work here (Delete goes through the
 * studio's own shortcut, which says what happened to the links).
 */
// React Flow 12.12 reads 'keyboardDisabled' while keyboard use is ON (its text names the arrow
// keys) and 'default' when `disableKeyboardA11y` is set: each text below matches when it is shown.
export const CANVAS_ARIA_LABELS: Partial<AriaLabelConfig> = {
  'node.a11yDescription.default': 'Press Enter or Space to select this step, then Delete to remove it. Escape clears the selection.',
  'node.a11yDescription.keyboardDisabled':
    'Press Enter or Space to select this step; the arrow keys then move it (hold Shift for bigger moves). Delete removes it, Escape clears the selection.',
  'node.a11yDescription.ariaLiveMessage': ({ direction, x, y }) => `Moved the step ${direction}, to x ${x}, y ${y}.`,
  'edge.a11yDescription.default': 'Press Enter or Space to select this link, then Delete to remove it. Escape clears the selection.',
  'controls.ariaLabel': 'Zoom controls',
  'controls.zoomIn.ariaLabel': 'Zoom in',
  'controls.zoomOut.ariaLabel': 'Zoom out',
  'controls.fitView.ariaLabel': 'Fit the flow in view, as far as it stays readable (scroll for the rest)',
  'controls.interactive.ariaLabel': 'Lock or unlock editing',
  'minimap.ariaLabel': 'Overview map',
  'handle.ariaLabel': 'Link point',
};
