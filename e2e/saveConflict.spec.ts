/**
 * Issue 10 item 7 through the real studio server, real files and real Chromium: a save based on a
 * version that changed on disk is refused, and the studio asks (Reload / Overwrite / Save as…)
 * instead of silently overwriting the other change.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startStudioServer, type StudioServer } from './support/studioServer.ts';
import { node, selectState } from './support/canvas.ts';

const ARTICLE = 'state-machines/bot-assistant.json';

let server: StudioServer;

test.beforeEach(async () => {
  server = await startStudioServer({ flows: [ARTICLE] });
});
test.afterEach(async () => {
  await server.close();
});

const disk = (name: string) => readFile(path.join(server.workspace, name), 'utf8');
const dialog = (page: Page) => page.getByRole('dialog');
const dirtyMarker = (page: Page) => page.getByLabel('Unsaved changes');

/** Opens the article, edits the "done" message in the inspector, then changes the file on disk behind the studio's back. */
async function editWhileSomeoneElseSaves(page: Page) {
  await page.goto(server.url);
  if (!(await page.locator('nav.files').isVisible())) await page.getByRole('button', { name: 'Flows list' }).click();
  await page.locator('nav.files').getByRole('button', { name: 'bot-assistant.json', exact: true }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(12);
  await expect(page.getByRole('button', { name: 'Auto-layout' })).toBeEnabled();
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Shift+1');
  await selectState(page, 'done');
  await page.locator('#f-content').fill('Mine, from the studio');
  await expect(dirtyMarker(page)).toBeVisible();
  const theirs = (await disk('bot-assistant.json')).replace('Great, thanks!', 'Theirs, from another editor');
  await writeFile(path.join(server.workspace, 'bot-assistant.json'), theirs);
  return theirs;
}

async function pressSave(page: Page) {
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+S');
}

test('a save over a change made elsewhere asks first; Overwrite then writes the edits', async ({ page }) => {
  const theirs = await editWhileSomeoneElseSaves(page);
  await pressSave(page);
  await expect(dialog(page).getByRole('heading', { name: 'This flow changed on disk' })).toBeVisible();
  await expect(dialog(page).getByRole('button')).toHaveText(['Cancel', 'Reload', 'Save as…', 'Overwrite']);
  await page.screenshot({ path: 'test-results/save-conflict-dialog.png' });
  expect(await disk('bot-assistant.json')).toBe(theirs);

  await dialog(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(dirtyMarker(page)).toBeVisible();
  expect(await disk('bot-assistant.json')).toBe(theirs);

  await pressSave(page);
  await dialog(page).getByRole('button', { name: 'Overwrite' }).click();
  await expect(dirtyMarker(page)).toHaveCount(0);
  const saved = await disk('bot-assistant.json');
  expect(saved).toContain('Mine, from the studio');
  expect(saved).not.toContain('Theirs');
});

test('Reload drops the edits and shows the file as it is on disk', async ({ page }) => {
  const theirs = await editWhileSomeoneElseSaves(page);
  await pressSave(page);
  await dialog(page).getByRole('button', { name: 'Reload' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(dirtyMarker(page)).toHaveCount(0);
  await node(page, 'done').locator('.state-node__name').click();
  await expect(page.locator('#f-content')).toHaveValue('Theirs, from another editor');
  expect(await disk('bot-assistant.json')).toBe(theirs);
});

test('Save as… keeps the other change and writes the edits to a new file', async ({ page }) => {
  const theirs = await editWhileSomeoneElseSaves(page);
  await pressSave(page);
  await dialog(page).getByRole('button', { name: 'Save as…' }).click();
  await expect(dialog(page).getByRole('heading', { name: 'Save as' })).toBeVisible();
  await dialog(page).getByLabel('File name').fill('mine.json');
  await dialog(page).getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('mine.json');
  expect(await disk('mine.json')).toContain('Mine, from the studio');
  expect(await disk('bot-assistant.json')).toBe(theirs);
});
