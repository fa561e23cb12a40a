import { expect, test, type Page } from '@playwright/test';
import type { StreamRecord } from '../runtime/stream/messageStream.ts';
import { startStudioServer, type StudioServer } from './support/studioServer.ts';
import { node, selectState } from './support/canvas.ts';
import { previewWidget } from './support/preview.ts';

let server: StudioServer;

test.beforeEach(async ({ context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  server = await startStudioServer({ flows: ['state-machines/bot-assistant.json'] });
});
test.afterEach(async () => {
  await server.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: `e2e/screenshots/preview-${name}.png` });
const tab = (page: Page, name: 'JSON' | 'Preview') => page.getByRole('tab', { name });

async function openArticleFlow(page: Page) {
  await page.goto(server.url);
  await page.getByRole('button', { name: 'bot-assistant.json' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(12);
  await expect(page.getByRole('button', { name: 'Auto-layout' })).toBeEnabled({ timeout: 30_000 }); // the first auto-layout, slow under load
  await expect(page.getByTestId('preview-notice')).toHaveText('Live: runs the flow as saved');
  // The right column opens on the JSON tab; the preview is one click away.
  await tab(page, 'Preview').click();
  await expect(page.getByTestId('preview-frame')).toBeVisible();
}

/**
 * Selects a state with Find (the canvas follows the preview, so the state may be out of view);
 * Enter steps through the matches until the inspector shows it.
 */
/** Every record of the stream so far (the runtime's own stream API over its data dir). */
async function records(): Promise<StreamRecord[]> {
  const stream = server.studio.runtime.stream;
  return (await stream.read(0, stream.endOffset())).map((stored) => stored.record);
}

test('the canvas follows a conversation clicked through inside the preview', async ({ page }) => {
  await openArticleFlow(page);
  const chat = previewWidget(page);
  await expect(chat.locator('.ba-bubble').first()).toHaveText("Hi, I'm Bot! Nice to meet you.");
  await expect(chat.getByRole('button', { name: 'Rust' })).toBeEnabled();

  await expect(node(page, 'langChoices')).toHaveClass(/is-preview-waiting/);
  await expect(node(page, 'greetings')).toHaveClass(/is-preview-visited/);
  await expect(node(page, 'anyOtherChoices')).not.toHaveClass(/is-preview/);
  await expect(page.locator('.react-flow__edge.edge-preview-path')).toHaveCount(1);
  await page.locator('.react-flow__controls-fitview').click();
  await page.waitForTimeout(300); // let the widget's entry animation finish
  await shot(page, 'start');

  await chat.getByRole('button', { name: 'Rust' }).click();
  await expect(chat.getByText('Any other?')).toBeVisible();
  await expect(node(page, 'anyOtherChoices')).toHaveClass(/is-preview-waiting/);
  await expect(node(page, 'langChoiceRust')).toHaveClass(/is-preview-visited/);
  await expect(node(page, 'langChoices')).not.toHaveClass(/is-preview-waiting/);
  // greetings→langChoices, the Rust answer link, and langChoiceRust→anyOtherChoices
  await expect(page.locator('.react-flow__edge.edge-preview-path')).toHaveCount(3);
  await expect(page.locator('.react-flow__edge.edge-preview-path[aria-label$=", from langChoices to langChoiceRust"]')).toHaveCount(1);
  await page.waitForTimeout(300);
  await shot(page, 'after-rust');

  // The records of that conversation carry the tags the sessions panel reads.
  const all = await records();
  const start = all.find((r) => r.preview === true)!;
  expect(start).toMatchObject({ preview: true, flowHash: expect.stringMatching(/^[0-9a-f]{16}$/) });
  const session = all.filter((r) => r.sid === start.sid);
  expect(session.filter((r) => r.payload?.kind === 'Request').map((r) => r.state)).toEqual(['greetings', 'langChoices', 'anyOtherChoices']);
  expect(session.find((r) => r.payload?.kind === 'Response')).toMatchObject({ resumedAt: 'langChoiceRust' });
});

test('edits in the inspector reach the running preview without a reload', async ({ page }) => {
  await openArticleFlow(page);
  const chat = previewWidget(page);
  await expect(chat.getByRole('button', { name: 'Go' })).toBeEnabled();
  const frame = page.getByTestId('preview-frame');
  const frameSrc = await frame.getAttribute('src');

  // The question the conversation is not at yet: the next message shows the new text.
  await selectState(page, 'anyOtherChoices');
  await page.locator('#f-question').fill('Anything else you like?');
  await expect(page.getByTestId('preview-notice')).toHaveText('Live: runs your unsaved draft');
  await page.waitForTimeout(400); // the draft goes out after a short pause
  await chat.getByRole('button', { name: 'Go' }).click();
  await expect(chat.getByText('Anything else you like?')).toBeVisible();
  expect(await frame.getAttribute('src')).toBe(frameSrc);

  // The greeting was already said: restarting the conversation says the new one.
  await selectState(page, 'greetings');
  await page.locator('#f-content').fill('Welcome to the <b>draft</b>!');
  await page.waitForTimeout(400);
  await page.getByRole('button', { name: 'Restart conversation' }).click();
  await expect(chat.locator('.ba-bubble').first()).toHaveText('Welcome to the draft!');
  await expect(node(page, 'langChoices')).toHaveClass(/is-preview-waiting/);
  await page.waitForTimeout(300);
  await shot(page, 'hot-reload');
});

test('a broken draft leaves the preview on the last valid version, and says so', async ({ page }) => {
  await openArticleFlow(page);
  const chat = previewWidget(page);
  await selectState(page, 'greetings');
  await page.locator('#f-content').fill('Last good greeting');
  await page.waitForTimeout(400);

  // Break the JSON in the editor: the preview keeps the last valid version.
  await tab(page, 'JSON').click();
  await page.locator('.json-pane .monaco-editor').click({ position: { x: 120, y: 40 } });
  await expect(page.locator('.monaco-editor.focused')).toBeVisible();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText(',');
  await tab(page, 'Preview').click();
  await expect(page.getByTestId('preview-notice')).toHaveText(/^Preview runs the last valid version: fix \d+ errors?$/);
  await page.getByRole('button', { name: 'Restart conversation' }).click();
  await expect(chat.locator('.ba-bubble').first()).toHaveText('Last good greeting');
  await shot(page, 'broken');

  await page.keyboard.press('Control+Z');
  await tab(page, 'JSON').click();
  await page.locator('.json-pane .monaco-editor').click({ position: { x: 120, y: 40 } });
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Backspace');
  await expect(page.getByTestId('preview-notice')).toHaveText('Live: runs your unsaved draft');
});

test('"Start preview here" starts a fresh conversation at a question', async ({ page }) => {
  await openArticleFlow(page);
  const chat = previewWidget(page);
  await expect(chat.getByRole('button', { name: 'Rust' })).toBeEnabled();
  await selectState(page, 'anyOtherChoices');
  await page.getByRole('button', { name: 'Start preview here' }).click();
  await expect(page.locator('.preview__from code')).toHaveText('anyOtherChoices');
  await expect(chat.locator('.ba-bubble').first()).toHaveText('Any other?');
  await expect(chat.getByRole('button', { name: 'Rust' })).toHaveCount(0);
  await expect(node(page, 'anyOtherChoices')).toHaveClass(/is-preview-waiting/);
  await expect(node(page, 'greetings')).not.toHaveClass(/is-preview-visited/);
  await page.waitForTimeout(300);
  await shot(page, 'start-here');

  await chat.getByRole('button', { name: 'No' }).click();
  await expect(chat.getByText('Great, thanks!')).toBeVisible();
  await expect(node(page, 'done')).toHaveClass(/is-preview-visited/);
  await expect(page.locator('.react-flow__node.is-preview-waiting')).toHaveCount(0);
});

test('JSON and Preview are tabs of one column: keyboard, live dot, both kept alive when hidden', async ({ page }) => {
  await openArticleFlow(page);
  const chat = previewWidget(page);
  await chat.getByRole('button', { name: 'Rust' }).click();
  await expect(chat.getByText('Any other?')).toBeVisible();
  const frameSrc = await page.getByTestId('preview-frame').getAttribute('src');

  // Arrow keys move between the tabs; one panel shows at a time.
  await tab(page, 'Preview').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(tab(page, 'JSON')).toHaveAttribute('aria-selected', 'true');
  await expect(tab(page, 'JSON')).toBeFocused();
  await expect(tab(page, 'Preview')).toHaveAttribute('aria-selected', 'false');
  await expect(page.getByRole('tabpanel', { name: 'JSON' }).locator('.monaco-editor .view-lines')).toBeVisible();
  await expect(page.getByTestId('preview-frame')).toBeHidden();
  // The hidden conversation goes on: still on the canvas, and the tab shows it is live.
  await expect(node(page, 'anyOtherChoices')).toHaveClass(/is-preview-waiting/);
  await expect(page.getByTestId('preview-live-dot')).toBeVisible();
  await shot(page, 'json-tab');

  await page.keyboard.press('ArrowRight');
  await expect(tab(page, 'Preview')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('preview-frame')).toBeVisible();
  expect(await page.getByTestId('preview-frame').getAttribute('src')).toBe(frameSrc);
  await expect(chat.getByText('Any other?')).toBeVisible();

  // The choice is remembered for the next launch.
  await page.reload(); // the studio reopens the flow it had open
  await expect(page.locator('.react-flow__node')).toHaveCount(12);
  await expect(tab(page, 'Preview')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('preview-frame')).toBeVisible();
});

test('the right column folds away, resizes, and the preview pops out into its own tab', async ({ page, context }) => {
  await openArticleFlow(page);
  const pane = page.getByRole('complementary', { name: 'JSON and preview' });
  const before = (await pane.boundingBox())!.width;
  const handle = page.getByRole('separator', { name: 'Resize the JSON and preview column' });
  const box = (await handle.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x - 60, box.y + 200, { steps: 5 });
  await page.mouse.up();
  expect((await pane.boundingBox())!.width).toBeGreaterThan(before + 40);

  const popup = context.waitForEvent('page');
  await page.getByRole('button', { name: 'Pop out the preview' }).click();
  const popped = await popup;
  await expect(popped.locator('.ba-dialog')).toBeVisible();
  await expect(popped.locator('.ba-bubble').first()).toHaveText("Hi, I'm Bot! Nice to meet you.");
  await popped.close();

  await page.getByRole('button', { name: 'Hide the preview' }).click();
  // Folded, not gone: the frame keeps its conversation.
  await expect(page.getByTestId('preview-frame')).toBeHidden();
  await expect(page.getByTestId('preview-frame')).toHaveCount(1);
  expect((await pane.boundingBox())!.width).toBeLessThan(50);
  await shot(page, 'folded');
  await page.getByRole('button', { name: 'Show the JSON' }).click();
  await expect(tab(page, 'JSON')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.json-pane .monaco-editor .view-lines')).toBeVisible();
  await page.getByRole('button', { name: 'Hide the JSON' }).click();
  await page.getByRole('button', { name: 'Show the preview' }).click();
  await expect(page.getByTestId('preview-frame')).toBeVisible();
});

/** The bot's messages in the preview pane, in order. */
const botSays = (page: Page) => previewWidget(page).locator('.ba-row--bot .ba-bubble');

test('the preview follows the flow in front of the author: create, switch, delete', async ({ page }) => {
  await openArticleFlow(page);
  await expect(botSays(page).first()).toHaveText("Hi, I'm Bot! Nice to meet you.");
  // a new flow from a template: the pane shows its conversation, not the article's
  await page.getByRole('button', { name: 'Flows list' }).click();
  await page.locator('nav.files').getByRole('button', { name: '+ New' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('File name').fill('helpdesk');
  await dialog.getByText('Blank').click();
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('helpdesk.json');
  await tab(page, 'Preview').click();
  await expect(botSays(page)).toHaveText(['Hello!']);
  await expect(page.getByTestId('preview-notice')).toHaveText(/^Live: runs /);
  // back to the article: its own fresh conversation, no "flow changed" notice
  await page.locator('nav.files').getByRole('button', { name: 'bot-assistant.json' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('bot-assistant.json');
  await expect(botSays(page).first()).toHaveText("Hi, I'm Bot! Nice to meet you.");
  await expect(botSays(page).filter({ hasText: 'The flow changed' })).toHaveCount(0);
  // delete the article and open the other flow: the deleted flow's text is gone from the pane
  await page.getByRole('button', { name: 'Delete file…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await page.locator('nav.files').getByRole('button', { name: 'helpdesk.json' }).click();
  await expect(page.getByTestId('document-name')).toHaveText('helpdesk.json');
  await tab(page, 'Preview').click();
  await expect(botSays(page)).toHaveText(['Hello!']);
});

test('an ended preview conversation restarts on the next edit, with the notice', async ({ page }) => {
  await openArticleFlow(page);
  await previewWidget(page).getByRole('button', { name: 'Go' }).click();
  await previewWidget(page).getByRole('button', { name: 'No' }).click();
  await expect(botSays(page).last()).toHaveText('Great, thanks!');
  await expect(previewWidget(page).getByRole('textbox', { name: 'Message' })).toHaveAttribute('placeholder', 'Conversation ended');
  await selectState(page, 'greetings');
  await page.locator('#f-content').fill('Welcome back!');
  await expect(botSays(page).first()).toHaveText('The flow changed, so the conversation restarted.');
  await expect(botSays(page).nth(1)).toHaveText('Welcome back!');
  await expect(page.getByTestId('preview-notice')).toHaveText('Live: runs your unsaved draft');
});

test('a restart made by an edit leaves the canvas where the author is working', async ({ page }) => {
  await openArticleFlow(page);
  await previewWidget(page).getByRole('button', { name: 'Go' }).click();
  await previewWidget(page).getByRole('button', { name: 'No' }).click();
  await expect(botSays(page).last()).toHaveText('Great, thanks!');
  // The author works on the last step, zoomed in so the first step is out of view.
  await selectState(page, 'done');
  for (let i = 0; i < 2; i++) await page.locator('.react-flow__controls-zoomin').click();
  await page.waitForTimeout(400); // the zoom glides
  const pane = (await page.locator('.react-flow').boundingBox())!;
  const outOfView = async (name: string) => {
    const box = (await node(page, name).boundingBox())!;
    return box.y + box.height < pane.y || box.y > pane.y + pane.height || box.x + box.width < pane.x || box.x > pane.x + pane.width;
  };
  expect(await outOfView('greetings')).toBe(true);
  const viewport = page.locator('.react-flow__viewport');
  const before = await viewport.getAttribute('style');

  await page.locator('#f-content').fill('Great, thanks a lot!');
  await expect(botSays(page).first()).toHaveText('The flow changed, so the conversation restarted.');
  await expect(node(page, 'langChoices')).toHaveClass(/is-preview-waiting/);
  await page.waitForTimeout(600); // a glide would have started by now
  expect(await viewport.getAttribute('style')).toBe(before);
  expect(await outOfView('greetings')).toBe(true);

  // Restarting on purpose still brings the start into view.
  await page.getByRole('button', { name: 'Restart conversation' }).click();
  await expect(async () => expect(await outOfView('langChoices')).toBe(false)).toPass({ timeout: 5_000 });
});
