/**
 * Authoring without the JSON: steps named in the author's words, the keyboard path through the
 * studio (skip link, steps before links, visible focus) and the shortcuts table from the action table.
 */
import { expect, test, type Page } from '@playwright/test';
import { startStudioServer, type StudioServer } from './support/studioServer.ts';
import { openArticleFlow as openFlow } from './support/canvas.ts';

let server: StudioServer;

test.beforeEach(async () => {
  server = await startStudioServer({ flows: ['state-machines/bot-assistant.json'] });
});
test.afterEach(async () => {
  await server.close();
});

const node = (page: Page, name: string) => page.locator(`.react-flow__node[data-id="${name}"]`);

const openArticleFlow = (page: Page) => openFlow(page, server.url);

/** What has the keyboard focus: a step's name, "link", or the element's text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    if (el.classList.contains('react-flow__node')) return `step ${el.dataset.id}`;
    if (el.classList.contains('react-flow__edge')) return 'link';
    return (el.textContent ?? '').trim();
  });

test('steps are titled in the author\'s words; answer steps say which answer', async ({ page }) => {
  await openArticleFlow(page);
  await expect(node(page, 'done').locator('.state-node__preview')).toHaveText('Great, thanks!');
  await expect(node(page, 'anyOtherNo').locator('.state-node__preview')).toHaveText("When the user picks 'No'");
  await expect(async () => {
    await node(page, 'anyOtherNo').locator('.state-node__name').click();
    await expect(page.locator('#f-name')).toHaveValue('anyOtherNo', { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  // "Then go to" names the step by its words
  expect(await page.locator('#f-next').evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('Great, thanks! — done');
});

test('a skip link leads to the first step, Tab walks the steps before the links, and focus shows', async ({ page }) => {
  await openArticleFlow(page);
  // A fresh page (the address reopens the flow) with nothing focused: the first Tab is the skip link.
  await page.reload();
  await expect(page.locator('.react-flow__node')).toHaveCount(12);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to the canvas' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  expect(await focused(page)).toBe('step greetings');
  // the focused step shows a ring
  const ring = await node(page, 'greetings').locator('.state-node').evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(ring).toBe('solid');
  // every step comes before the first link
  const order: string[] = [await focused(page)];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    order.push(await focused(page));
  }
  expect(order.slice(0, 12).every((f) => f.startsWith('step '))).toBe(true);
  expect(order[12]).toBe('link');
  const halo = await page.evaluate(() => {
    const edge = document.activeElement as Element;
    const path = edge.querySelector('.react-flow__edge-interaction');
    return path ? Number(getComputedStyle(path).strokeOpacity) : 0;
  });
  expect(halo).toBeGreaterThan(0);
  // Shift+Tab goes back from the first link to the last step
  await page.keyboard.press('Shift+Tab');
  expect(await focused(page)).toMatch(/^step /);
});

test('the shortcuts dialog is a table of the platform\'s keys, from the one action table', async ({ page }) => {
  await openArticleFlow(page);
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('F1');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('columnheader')).toHaveText(['Action', 'Keys', 'Moving around', 'Keys']);
  const row = (label: string) => dialog.getByRole('row').filter({ has: page.getByRole('rowheader', { name: label, exact: true }) });
  await expect(row('Save')).toContainText('Ctrl+S');
  await expect(row('Fit view')).toContainText('Shift+1');
  await expect(row('Show/hide preview')).toContainText('Ctrl+Shift+P');
  await expect(row('Redo')).toContainText('Ctrl+Y or Ctrl+Shift+Z');
  // a browser tab cannot take Ctrl+N from the browser: not listed there
  await expect(row('New flow…')).toHaveCount(0);
  await page.screenshot({ path: 'e2e/screenshots/authoring-shortcuts.png' });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  // the key the list shows works: the column starts on the preview; the key folds it, and brings it back
  await expect(page.getByRole('tab', { name: 'Preview' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+Shift+P');
  await expect(page.getByRole('tab', { name: 'Preview' })).toBeHidden();
  await page.keyboard.press('Control+Shift+P');
  await expect(page.getByRole('tab', { name: 'Preview' })).toHaveAttribute('aria-selected', 'true');
});

test('screenshots at 1280×800 and 1024×700: the sample flow, and a problem with its fix', async ({ page }) => {
  for (const size of [{ width: 1280, height: 800 }, { width: 1024, height: 700 }]) {
    await page.setViewportSize(size);
    await openArticleFlow(page);
    const name = `${size.width}x${size.height}`;
    await page.screenshot({ path: `e2e/screenshots/sample-flow-${name}.png` });
    // a new choice nobody answers: the problem names it and offers the step that answers it
    await node(page, 'langChoices').locator('.state-node__name').click();
    await page.getByRole('button', { name: '+ Add a choice' }).click();
    await page.getByLabel('Choice 4 text').fill('Kotlin');
    const fix = page.locator('.problems').getByRole('button', { name: "Add a step for 'Kotlin'" });
    await expect(fix).toBeVisible();
    await expect(page.locator('.problems .problem', { hasText: "Nobody handles the answer 'Kotlin'" })).toBeVisible();
    await page.screenshot({ path: `e2e/screenshots/problem-fix-${name}.png` });
    await fix.click();
    await expect(fix).toHaveCount(0);
    await expect(page.locator('.react-flow__node', { hasText: "When the user picks 'Kotlin'" })).toHaveCount(1);
    await page.goto('about:blank');
  }
});
