import type { FrameLocator, Page } from '@playwright/test';

/** The real chat widget inside the studio's (sandboxed) preview frame. */
export const previewWidget = (page: Page): FrameLocator => page.frameLocator('[data-testid="preview-frame"]');
