/**
 * The JSON editor inside the real studio (served by the real runtime in web mode): Monaco loads
 * from the studio itself, colours JSON, takes keystrokes React Flow would otherwise eat, shows
 * the validator's problems as markers, reveals a problem's range, offers the schema's
 * completions, and follows changes made outside it without echoing them back.
 */
import { expect, test, type Page } from '@playwright/test';
import { startStudioServer, type StudioServer } from './support/studioServer.ts';

let server: StudioServer;

test.beforeEach(async () => {
  server = await startStudioServer({ flows: ['state-machines/bot-assistant.json'] });
});

test.afterEach(async () => {
  await server.close();
});

const editor = (page: Page) => page.locator('.json-editor .monaco-editor');

async function openSample(page: Page): Promise<void> {
  await page.goto(`${server.url}#flow=bot-assistant.json`);
  await page.getByRole('tab', { name: 'JSON' }).click(); // the column starts on the preview
  await expect(editor(page).locator('.view-lines')).toContainText('greetings', { timeout: 30_000 });
}

/** Puts the cursor at the end of a 1-based line (the sample's first lines are all visible). */
async function cursorToEndOfLine(page: Page, line: number): Promise<void> {
  await editor(page).locator('.view-lines').click();
  await expect(editor(page)).toHaveClass(/focused/);
  await page.keyboard.press('Control+Home');
  for (let i = 1; i < line; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
}

/** The rendered text of one 1-based line (Monaco renders spaces as non-breaking spaces). */
async function lineText(page: Page, line: number): Promise<string> {
  const lines = editor(page).locator('.view-line');
  const tops = await lines.evaluateAll((els) => els.map((el) => ({ top: parseFloat((el as HTMLElement).style.top), text: el.textContent ?? '' })));
  tops.sort((a, b) => a.top - b.top);
  return (tops[line - 1]?.text ?? '').replace(/\u00a0/g, ' ');
}

test('Monaco loads from the studio itself and colours the JSON', async ({ page }) => {
  const foreign: string[] = [];
  const cspViolations: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(new URL(server.url).origin) && !request.url().startsWith('data:')) foreign.push(request.url());
  });
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) cspViolations.push(message.text());
  });
  await openSample(page);
  await expect.poll(() => lineText(page, 2)).toBe('    "greetings": {');
  // Keys, strings and punctuation get different token colours.
  const colours = await editor(page).locator('.view-line span span').evaluateAll((spans) =>
    [...new Set(spans.map((span) => getComputedStyle(span).color))],
  );
  expect(colours.length).toBeGreaterThanOrEqual(3);
  expect(foreign).toEqual([]);
  expect(cspViolations).toEqual([]);
});

test('typing in Monaco (spaces too) reaches the document: problems, markers, canvas badge', async ({ page }) => {
  await openSample(page);
  await expect(page.locator('.problem', { hasText: 'no where' })).toHaveCount(0);
  // Line 7 is `        "next": "langChoices"`: retarget it to a state that does not exist.
  await cursorToEndOfLine(page, 7);
  for (let i = 0; i < '"langChoices"'.length; i++) await page.keyboard.press('Backspace');
  await page.keyboard.insertText('"no');
  await page.keyboard.press('Space');
  await page.keyboard.insertText('where"');
  await expect.poll(() => lineText(page, 7)).toBe('        "next": "no where"');

  const problem = page.locator('.problem', { hasText: 'no where' });
  await expect(problem).toHaveCount(1);
  await expect(problem).toHaveClass(/sev-error/);
  await expect(editor(page).locator('.squiggly-error').first()).toBeVisible();
  await expect(page.locator('.react-flow__node', { hasText: 'greetings' }).locator('.state-node__badge')).toBeVisible();
  await page.screenshot({ path: 'e2e/screenshots/json-editor-problem.png' });
});

test('clicking a problem selects its range in the editor', async ({ page }) => {
  await openSample(page);
  await cursorToEndOfLine(page, 7);
  for (let i = 0; i < '"langChoices"'.length; i++) await page.keyboard.press('Backspace');
  await page.keyboard.insertText('"nowhere"');
  await page.keyboard.press('Control+Home');
  await expect(editor(page).locator('.selected-text')).toHaveCount(0);

  await page.locator('.problem', { hasText: 'nowhere' }).click();
  await expect(editor(page).locator('.selected-text').first()).toBeVisible();
  // The selection sits on line 7, where the bad `next` is.
  const selectionTop = await editor(page).locator('.selected-text').first().evaluate((el) => el.getBoundingClientRect().top);
  const lineTops = await editor(page).locator('.view-line').evaluateAll((els) =>
    els.map((el) => ({ top: el.getBoundingClientRect().top, text: (el.textContent ?? '').replace(/\u00a0/g, ' ') })),
  );
  const line = lineTops.find((l) => Math.abs(l.top - selectionTop) < 3);
  expect(line?.text).toContain('"next": "nowhere"');
});

test('an undo made outside the editor is applied to it without an echo', async ({ page }) => {
  await openSample(page);
  await cursorToEndOfLine(page, 7);
  for (let i = 0; i < '"langChoices"'.length; i++) await page.keyboard.press('Backspace');
  await page.keyboard.insertText('"elsewhere"');
  await expect(page.locator('.problem', { hasText: 'elsewhere' })).toHaveCount(1);

  await page.locator('.react-flow__pane').click({ position: { x: 40, y: 400 } });
  await page.keyboard.press('Control+z');
  await expect.poll(() => lineText(page, 7)).toBe('        "next": "langChoices"');
  await expect(page.locator('.problem', { hasText: 'elsewhere' })).toHaveCount(0);
  // Had the editor echoed the undo back as a new edit, the redo history would be gone.
  await expect(page.getByRole('button', { name: 'Redo' })).toBeEnabled();
});

test('the flow schema drives completion and hover', async ({ page }) => {
  await openSample(page);
  // Line 4 is `            "kind": "BotText",`: empty the value and ask for suggestions.
  await cursorToEndOfLine(page, 4);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Shift+Control+ArrowLeft');
  await page.keyboard.press('Backspace');
  await expect.poll(() => lineText(page, 4)).toBe('            "kind": "",');
  await page.keyboard.press('Control+Space');
  const suggestions = editor(page).locator('.suggest-widget .monaco-list-row');
  await expect(suggestions.first()).toBeVisible();
  // Quoted: the JSON language service's schema completion, not Monaco's word-based guesses.
  await expect(suggestions.filter({ hasText: '"BotText"' })).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect.poll(() => lineText(page, 4)).toBe('            "kind": "BotText",');
  await page.keyboard.press('Escape');
  // Back to column 1, so a narrow editor scrolls the keys out from under its line-number gutter.
  await page.keyboard.press('Home');
  await page.keyboard.press('Home');

  // Hovering a key shows the schema's description of it.
  await editor(page).locator('.view-line span', { hasText: /^"next"$/ }).first().hover();
  await expect(page.locator('.monaco-hover').filter({ visible: true })).toContainText('follows at once');
});

test('the editor follows the system colour scheme', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openSample(page);
  await expect(editor(page)).toHaveClass(/vs-dark/);
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(editor(page)).not.toHaveClass(/vs-dark/);
});
