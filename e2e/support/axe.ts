/// <reference lib="dom" />
/**
 * Runs axe-core (the dev dependency, injected from node_modules: no network) in every frame of a
 * page with the WCAG 2.0/2.1 A and AA rules, and fails with one readable line per element: the
 * rule, the element (CSS target and HTML), and the fix axe suggests.
 *
 * axe is evaluated through the DevTools protocol, which the pages' Content-Security-Policy does
 * not apply to, so the page under test is not changed to make room for it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, type Frame, type Page } from '@playwright/test';
import type { AxeResults, Result, RunOptions } from 'axe-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The rule set issue 17 asks for: WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const RUN_OPTIONS: RunOptions = {
  runOnly: { type: 'tag', values: WCAG_TAGS },
  resultTypes: ['violations'],
  // Each frame is checked on its own (below), so axe need not reach into child frames itself.
  iframes: false,
};

/** One violation as plain text, element by element. */
export function describeViolations(violations: Result[], where = ''): string[] {
  const lines: string[] = [];
  for (const v of violations) {
    for (const node of v.nodes) {
      lines.push(
        [
          `${v.id} (${v.impact ?? 'n/a'}): ${v.help}${where ? ` [in ${where}]` : ''}`,
          `  element: ${node.target.join(' >>> ')}`,
          `  html:    ${node.html.replace(/\s+/g, ' ').slice(0, 300)}`,
          `  fix:     ${(node.failureSummary ?? '').replace(/\n\s*/g, ' / ')}`,
          `  more:    ${v.helpUrl}`,
        ].join('\n'),
      );
    }
  }
  return lines;
}

/** Waits for the frame's finite animations and transitions: a bubble fading in is not its settled colour. */
async function settle(frame: Frame): Promise<void> {
  await frame.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
}

async function runInFrame(frame: Frame, isMain: boolean): Promise<AxeResults | null> {
  // an empty child frame (a preview slot before it loads) has nothing to check
  if (frame.isDetached() || (!isMain && (frame.url() === 'about:blank' || frame.url() === ''))) return null;
  await settle(frame);
  const hasAxe = await frame.evaluate(() => 'axe' in window);
  if (!hasAxe) await frame.evaluate(AXE_SOURCE);
  return frame.evaluate((options) => (window as unknown as { axe: { run(c: Document, o: unknown): Promise<AxeResults> } }).axe.run(document, options), RUN_OPTIONS);
}

/** Every violation in the page and its frames, described; empty when the page passes. */
export async function axeViolations(page: Page): Promise<string[]> {
  const lines: string[] = [];
  for (const frame of page.frames()) {
    const results = await runInFrame(frame, frame === page.mainFrame());
    if (!results) continue;
    lines.push(...describeViolations(results.violations, frame === page.mainFrame() ? '' : `frame ${frame.url()}`));
  }
  return lines;
}

/**
 * Fails the test with every WCAG A/AA violation on the page as it is now. `soft` lets the test go
 * on to its other views, so one run reports them all (the test still fails at its end).
 */
export async function expectNoAxeViolations(page: Page, view: string, { soft = false } = {}): Promise<void> {
  const lines = await axeViolations(page);
  const message = `axe found ${lines.length} WCAG 2.1 A/AA violation(s) on "${view}":\n\n${lines.join('\n\n')}\n`;
  (soft ? expect.soft : expect)(lines.length, message).toBe(0);
}
