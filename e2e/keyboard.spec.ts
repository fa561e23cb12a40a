/**
 * The keyboard never loses its place: typing a choice, moving and removing choices, dialogs that
 * hold focus and give it back, the way out of the JSON editor, Tab from the Add bar into the steps,
 * and Find from inside a field.
 */
import { expect, test, type Page } from '@playwright/test';
import { startStudioServer, type StudioServer } from './support/studioServer.ts';
import { openArticleFlow as openFlow, selectState } from './support/canvas.ts';

let server: StudioServer;

test.beforeEach(async () => {
  server = await startStudioServer({ flows: ['state-machines/bot-assistant.json'] });
});
test.afterEach(async () => {
  await server.close();
});

const openArticleFlow = (page: Page) => openFlow(page, server.url);

/** The focused element's accessible label, id or text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'body';
    if (el.classList.contains('react-flow__node')) return `step ${el.dataset.id}`;
    if (el.classList.contains('react-flow__edge')) return 'link';
    return el.getAttribute('aria-label') ?? el.id ?? el.textContent?.trim() ?? el.tagName;
  });

test('a new choice is typed letter by letter without losing the keyboard; move and remove keep it in the list', async ({ page }) => {
  await openArticleFlow(page);
  await selectState(page, 'anyOtherChoices');
  await page.getByRole('button', { name: '+ Add a choice' }).click();
  const third = page.getByLabel('Choice 3 text');
  await expect(third).toBeFocused();
  // The new choice's id follows its text until the file is saved: each letter changes it.
  await page.keyboard.type('Maybe later');
  await expect(third).toHaveValue('Maybe later');
  await expect(third).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Choice 4 text')).toBeFocused();
  await page.keyboard.type('Never');
  await expect(page.getByLabel('Choice 4 text')).toHaveValue('Never');

  await page.getByRole('button', { name: 'Move choice 3 up' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Choice 2 text')).toHaveValue('Maybe later');
  expect(await focused(page)).toBe('Move choice 2 up');
  await page.keyboard.press('Enter'); // now the first: its Up is disabled, so Down has the keyboard
  await expect(page.getByLabel('Choice 1 text')).toHaveValue('Maybe later');
  expect(await focused(page)).toBe('Move choice 1 down');

  await page.getByRole('button', { name: 'Remove choice 4' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Choice 4 text')).toHaveCount(0);
  expect(await focused(page)).toBe('Remove choice 3');
});

test('dialogs keep Tab inside, close on Escape, and give the keyboard back', async ({ page }) => {
  await openArticleFlow(page);
  const saveButton = page.getByRole('button', { name: 'Save', exact: true });
  await saveButton.focus();
  await page.keyboard.press('F1');
  const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(shortcuts).toBeVisible();
  await expect(shortcuts.getByRole('table', { name: 'Moving around' })).toContainText('Leave the JSON editor');
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'))).toBe(true);
  }
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'))).toBe(true);
  }
  // The studio behind takes no commands while the dialog is up.
  await page.keyboard.press('Control+Shift+S');
  await expect(page.getByRole('dialog')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(shortcuts).toHaveCount(0);
  await expect(saveButton).toBeFocused();

  await page.keyboard.press('Control+Shift+S');
  const saveAs = page.getByRole('dialog');
  await expect(saveAs).toBeVisible();
  await expect(saveAs.getByRole('textbox')).toBeFocused();
  for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
  expect(await page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'))).toBe(true);
  await page.keyboard.press('Escape');
  await expect(saveAs).toHaveCount(0);
  await expect(saveButton).toBeFocused();
});

test('Escape leaves the JSON editor; Find works from inside a field', async ({ page }) => {
  await openArticleFlow(page);
  await page.keyboard.press('Control+j');
  const editor = page.locator('.monaco-editor textarea');
  await editor.focus();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('tab', { name: 'JSON' })).toBeFocused();

  await selectState(page, 'greetings');
  await page.locator('#f-name').focus();
  await page.keyboard.press('Control+f');
  const search = page.getByRole('searchbox', { name: 'Find a state by name or text' });
  await expect(search).toBeFocused();
  await page.keyboard.type('done');
  await expect(page.locator('#f-name')).toHaveValue('greetings');
});

test('Tab from the Add bar goes to the first step, Shift+Tab from the zoom buttons to the last link', async ({ page }) => {
  await openArticleFlow(page);
  const lastAdd = page.getByRole('toolbar', { name: 'Add a step' }).getByRole('button').last();
  await lastAdd.focus();
  await page.keyboard.press('Tab');
  expect(await focused(page)).toMatch(/^step /);
  expect(await focused(page)).toBe(`step ${await page.locator('.react-flow__node').first().getAttribute('data-id')}`);

  await page.locator('.react-flow__controls-zoomin').focus();
  await page.keyboard.press('Shift+Tab');
  expect(await focused(page)).toBe('link');
  await page.keyboard.press('Shift+Tab');
  expect(await focused(page)).toBe('link');
});

test('a new choice typed after it was added links at once to the step added for it', async ({ page }) => {
  await openArticleFlow(page);
  await selectState(page, 'anyOtherChoices');
  await page.getByRole('button', { name: '+ Add a choice' }).click();
  await page.keyboard.type('Cake');
  await page.getByRole('button', { name: "Add a step for 'Cake'" }).first().click();
  const links = page.locator('.react-flow__edge[aria-label*=", from anyOtherChoices to"]');
  // Yes, No and now Cake: the dot moved to a new handle id as the text was typed.
  await expect(links).toHaveCount(3);
});

test('the keyboard stays on the canvas after Delete, Escape and closing Find', async ({ page }) => {
  await openArticleFlow(page);
  await selectState(page, 'done'); // Find, then Escape: focus lands on the found step
  await expect.poll(() => focused(page)).toBe('step done');
  await page.keyboard.press('Escape'); // clears the selection; the step keeps the focus
  await page.waitForTimeout(100); // React Flow blurs the step a frame later; the studio focuses it again after that
  await expect.poll(() => focused(page)).toBe('step done');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Delete');
  await expect(page.locator('.react-flow__node[data-id="done"]')).toHaveCount(0);
  await expect.poll(() => focused(page)).toMatch(/^step /);
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node[data-id="done"]')).toHaveCount(1);
  await expect.poll(() => focused(page)).not.toBe('body');
});
