/**
 * The studio's file commands through the real studio server, real files and real Chromium: New
 * from a template, Save As, Rename, Delete, Import (picked or dropped), Export, leaving a file with
 * unsaved changes, a save that really fails, and copy/paste between two flows through the system
 * clipboard.
 */
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { TEMPLATES, templateText } from '../renderer/src/files/templates.ts';
import { startStudioServer, type StudioServer } from './support/studioServer.ts';

const ARTICLE = 'state-machines/bot-assistant.json';
/** A second flow that also has a state named "greetings" (pasting into it must rename). */
const OTHER = `${JSON.stringify({ greetings: { sendRequest: { kind: 'BotText', content: 'Hello from the other flow' } } }, null, 4)}\n`;

let server: StudioServer;

test.beforeEach(async ({ context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  server = await startStudioServer({ flows: [ARTICLE], files: { 'other.json': OTHER } });
});
test.afterEach(async () => {
  await server.close();
});

const inWorkspace = (name: string) => path.join(server.workspace, name);
const disk = (name: string) => readFile(inWorkspace(name), 'utf8');
const exists = (name: string) => stat(inWorkspace(name)).then(() => true, () => false);
const node = (page: Page, name: string) => page.locator(`.react-flow__node[data-id="${name}"]`);
const dialog = (page: Page) => page.getByRole('dialog');
const dirtyMarker = (page: Page) => page.getByLabel('Unsaved changes');

async function openFlow(page: Page, name: string, states: number) {
  if (!(await page.locator('nav.files').isVisible())) await page.getByRole('button', { name: 'Flows list' }).click();
  await page.locator('nav.files').getByRole('button', { name, exact: true }).click();
  await expect(page.getByTestId('document-name')).toHaveText(name);
  await expect(page.locator('.react-flow__node')).toHaveCount(states);
  await expect(page.getByRole('button', { name: 'Auto-layout' })).toBeEnabled({ timeout: 30_000 }); // the first auto-layout, slow under load
}

async function openArticle(page: Page) {
  await page.goto(server.url);
  await openFlow(page, 'bot-assistant.json', 12);
}

/** An author's edit through the inspector: the "done" message's text. */
async function editDone(page: Page, content: string) {
  // jump to it with Find (Fit view keeps a readable zoom, so the whole flow may not be in view)
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+F');
  const search = page.getByRole('searchbox', { name: 'Find a state by name or text' });
  await search.fill('done');
  // Enter jumps to the next match (a step that links to "done" matches too)
  await expect(async () => {
    await search.press('Enter');
    await expect(page.locator('#f-name')).toHaveValue('done', { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await page.keyboard.press('Escape');
  await page.locator('#f-content').fill(content);
  await expect(dirtyMarker(page)).toBeVisible();
}

/** Saves with Ctrl+S (from the canvas) and waits for the dirty marker to go. */
async function save(page: Page) {
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+S');
  await expect(dirtyMarker(page)).toHaveCount(0);
}

test('New creates a file from a template, lists it and opens it', async ({ page }) => {
  await page.goto(server.url);
  await page.locator('nav.files').getByRole('button', { name: '+ New' }).click();
  await expect(dialog(page).getByRole('heading', { name: 'New flow' })).toBeVisible();
  await dialog(page).getByLabel('File name').fill('pricing-bot');
  await dialog(page).getByText(TEMPLATES[0].label).click();
  await dialog(page).getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('pricing-bot.json');
  await expect(page.locator('.react-flow__node')).toHaveCount(TEMPLATES[0].flow.states.length);
  await expect(node(page, 'greetings').locator('.state-node__start')).toHaveText('Start');
  await page.getByRole('button', { name: 'Flows list' }).click();
  await expect(page.locator('nav.files').getByRole('button', { name: 'pricing-bot.json' })).toHaveAttribute('aria-current', 'page');
  expect(await disk('pricing-bot.json')).toBe(templateText(TEMPLATES[0]));
});

test('Save As writes a new file byte for byte, with its layout sidecar, and switches to it', async ({ page }) => {
  await openArticle(page);
  await page.getByRole('button', { name: 'Save as…' }).click();
  await expect(dialog(page).getByLabel('File name')).toHaveValue('bot-assistant-copy.json');
  await dialog(page).getByLabel('File name').fill('copy');
  await dialog(page).getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('copy.json');
  await expect(dirtyMarker(page)).toHaveCount(0);
  expect(await disk('copy.json')).toBe(await readFile(ARTICLE, 'utf8'));
  const sidecar = JSON.parse(await disk('copy.layout.json'));
  expect(Object.keys(sidecar.positions).sort()).toEqual(Object.keys(JSON.parse(await disk('copy.json'))).sort());
  // the original is untouched, and saving now writes the copy
  await editDone(page, 'Bye from the copy');
  await save(page);
  expect(JSON.parse(await disk('copy.json')).done.sendRequest.content).toBe('Bye from the copy');
  expect(await disk('bot-assistant.json')).toBe(await readFile(ARTICLE, 'utf8'));
});

test('Rename moves the file and its sidecar', async ({ page }) => {
  await openArticle(page);
  await editDone(page, 'Renamed soon');
  await save(page);
  const text = await disk('bot-assistant.json');
  const layout = await disk('bot-assistant.layout.json');
  await page.getByRole('button', { name: 'Rename…' }).click();
  await dialog(page).getByLabel('File name').fill('languages.json');
  await dialog(page).getByRole('button', { name: 'Rename' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('languages.json');
  await expect.poll(() => exists('languages.json')).toBe(true);
  expect(await disk('languages.json')).toBe(text);
  expect(await disk('languages.layout.json')).toBe(layout);
  expect(await exists('bot-assistant.json')).toBe(false);
  expect(await exists('bot-assistant.layout.json')).toBe(false);
  await page.getByRole('button', { name: 'Flows list' }).click();
  await expect(page.locator('nav.files').getByRole('button', { name: 'languages.json' })).toBeVisible();
  await expect(page.locator('nav.files').getByRole('button', { name: 'bot-assistant.json' })).toHaveCount(0);
});

test('Delete asks first: Cancel keeps the file, Delete removes it and its sidecar', async ({ page }) => {
  await openArticle(page);
  await editDone(page, 'Soon gone');
  await save(page);
  expect(await exists('bot-assistant.layout.json')).toBe(true);

  await page.getByRole('button', { name: 'Delete file…' }).click();
  await expect(dialog(page).getByRole('heading', { name: 'Delete this flow?' })).toBeVisible();
  await dialog(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(page.getByTestId('document-name')).toHaveText('bot-assistant.json');
  expect(await exists('bot-assistant.json')).toBe(true);

  await page.getByRole('button', { name: 'Delete file…' }).click();
  await dialog(page).getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Bot Assistant Studio' })).toBeVisible();
  await expect(page.locator('nav.files').getByRole('button', { name: 'bot-assistant.json' })).toHaveCount(0);
  expect(await exists('bot-assistant.json')).toBe(false);
  expect(await exists('bot-assistant.layout.json')).toBe(false);
  expect(await exists('other.json')).toBe(true);
});

test('Import by picking a file copies it into the workspace as is and opens it', async ({ page }) => {
  await page.goto(server.url);
  const text = await readFile(ARTICLE, 'utf8');
  await page.locator('nav.files input[type="file"]').setInputFiles({ name: 'picked.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(page.getByTestId('document-name')).toHaveText('picked.json');
  await expect(page.locator('.react-flow__node')).toHaveCount(12);
  expect(await disk('picked.json')).toBe(text);
});

test('Import by dropping a JSON file on the window; a file that is no flow says why', async ({ page }) => {
  await openArticle(page);
  const drop = (name: string, text: string) =>
    page.evaluate(
      ([fileName, fileText]) => {
        const data = new DataTransfer();
        data.items.add(new File([fileText], fileName, { type: 'application/json' }));
        const target = document.querySelector('.react-flow__pane')!;
        for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
      },
      [name, text] as const,
    );
  await drop('broken.json', '{ "greetings": ');
  await expect(page.locator('.toast.tone-error')).toContainText('Cannot import broken.json');
  await expect(page.locator('.toast.tone-error')).toContainText('line 1');
  expect(await exists('broken.json')).toBe(false);

  const text = `${JSON.stringify({ hello: { sendRequest: { kind: 'BotText', content: 'Dropped in' } } }, null, 4)}\n`;
  await drop('dropped.json', text);
  await expect(page.getByTestId('document-name')).toHaveText('dropped.json');
  await expect(node(page, 'hello')).toBeVisible();
  expect(await disk('dropped.json')).toBe(text);
  await expect(page.locator('.drop-overlay')).toHaveCount(0);
});

test('Export downloads the flow exactly as saved', async ({ page }) => {
  await openArticle(page);
  await editDone(page, 'Exported <b>bye</b>');
  await save(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export…', exact: true }).click()]);
  expect(download.suggestedFilename()).toBe('bot-assistant.json');
  const exported = await readFile((await download.path())!, 'utf8');
  expect(exported).toBe(await disk('bot-assistant.json'));
  expect(JSON.parse(exported).done.sendRequest.content).toBe('Exported <b>bye</b>');
});

test('leaving a file with unsaved changes asks first: Cancel stays, Don\'t save leaves', async ({ page }) => {
  await openArticle(page);
  await editDone(page, 'Not saved yet');
  await page.getByRole('button', { name: 'Flows list' }).click();
  await page.locator('nav.files').getByRole('button', { name: 'other.json' }).click();
  await expect(dialog(page).getByRole('heading', { name: 'Save your changes?' })).toBeVisible();
  await dialog(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('bot-assistant.json');
  await expect(dirtyMarker(page)).toBeVisible();
  await expect(page.locator('#f-content')).toHaveValue('Not saved yet');

  await page.locator('nav.files').getByRole('button', { name: 'other.json' }).click();
  await dialog(page).getByRole('button', { name: "Don't save" }).click();
  await expect(page.getByTestId('document-name')).toHaveText('other.json');
  await expect(node(page, 'greetings')).toBeVisible();
  expect(await disk('bot-assistant.json')).toBe(await readFile(ARTICLE, 'utf8'));
});

test('a save that fails says why and keeps the edits; saving again once fixed works', async ({ page }) => {
  await openArticle(page);
  await editDone(page, 'Kept after a failure');
  // the flow file is replaced by a folder: writing it fails for real
  await rm(inWorkspace('bot-assistant.json'));
  await mkdir(inWorkspace('bot-assistant.json'));
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+S');
  const toast = page.locator('.toast.tone-error');
  await expect(toast).toContainText('Not saved:');
  await expect(toast).toContainText('bot-assistant.json');
  await expect(toast).toContainText('is a folder, not a flow file. Your edits are kept.');
  await page.screenshot({ path: 'e2e/screenshots/studio-save-failed.png' });
  await expect(dirtyMarker(page)).toBeVisible();
  await expect(node(page, 'done').locator('.state-node__preview')).toHaveText('Kept after a failure');

  await rm(inWorkspace('bot-assistant.json'), { recursive: true });
  // The file the studio opened is gone from disk now: saving asks before writing it again.
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+S');
  await expect(dialog(page).getByRole('heading', { name: 'This flow was deleted on disk' })).toBeVisible();
  await dialog(page).getByRole('button', { name: 'Save again' }).click();
  await expect(dirtyMarker(page)).toHaveCount(0);
  expect(JSON.parse(await disk('bot-assistant.json')).done.sendRequest.content).toBe('Kept after a failure');
});

test('copies two states in one flow and pastes them into another through the system clipboard', async ({ page }) => {
  await openArticle(page);
  await node(page, 'greetings').locator('.state-node__name').click();
  await node(page, 'langChoices').locator('.state-node__name').click({ modifiers: ['Control'] });
  await expect(node(page, 'langChoices')).toHaveClass(/selected/);
  await expect(node(page, 'greetings')).toHaveClass(/selected/);
  await page.keyboard.press('Control+C');
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
  expect(Object.keys(copied)).toEqual(['greetings', 'langChoices']);

  await openFlow(page, 'other.json', 1);
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+V');
  await expect(page.locator('.toast')).toContainText('Pasted 2 states');
  await expect(node(page, 'greetings2')).toBeVisible();
  await expect(node(page, 'langChoices')).toBeVisible();
  await expect(page.locator('.react-flow__edge[aria-label="Then, from greetings2 to langChoices"]')).toHaveCount(1);
  await page.getByRole('tab', { name: 'JSON' }).click(); // the column starts on the preview
  await expect(page.locator('.json-pane .view-lines')).toContainText('"greetings2"');
  await save(page);
  const saved = JSON.parse(await disk('other.json'));
  expect(Object.keys(saved)).toEqual(['greetings', 'greetings2', 'langChoices']);
  expect(saved.greetings2).toEqual({ ...copied.greetings, next: 'langChoices' });
  expect(saved.langChoices).toEqual(copied.langChoices);
});
