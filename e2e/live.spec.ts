/**
 * Issue 14, the studio's Live tab in real Chromium: a preview visitor asks for a person, the
 * author (signed in by the studio itself) claims in the Live drawer, talks, and hands back; the
 * bot goes on. Also a takeover of a real widget visitor from the same drawer.
 */
import { expect, test, type Page } from '@playwright/test';
import { startStudioServer, type StudioServer } from './support/studioServer.ts';
import { previewWidget } from './support/preview.ts';

let server: StudioServer;

test.beforeEach(async () => {
  server = await startStudioServer({ flows: ['state-machines/talk-to-a-person.json'] });
});
test.afterEach(async () => {
  await server.close();
});

const live = (page: Page) => page.frameLocator('[data-testid="live-console"]');

async function openFlowWithPreview(page: Page): Promise<void> {
  await page.goto(server.url);
  await page.getByRole('button', { name: 'talk-to-a-person.json' }).click();
  await page.getByRole('tab', { name: 'Preview' }).click();
  await expect(previewWidget(page).getByRole('button', { name: 'Talk to a person' })).toBeEnabled();
}

test('a preview visitor reaches the author in the Live tab, who claims, replies and hands back; the bot goes on', async ({ page }) => {
  await openFlowWithPreview(page);
  const chat = previewWidget(page);
  const consolePage = live(page);
  await chat.getByRole('button', { name: 'Talk to a person' }).click();
  await expect(chat.locator('.ba-row--bot .ba-bubble').last()).toHaveText('Let me find someone for you…');

  // The Live button counts the waiting visitor before the drawer is opened.
  const liveButton = page.getByTestId('live-toggle');
  await expect(liveButton).toHaveAccessibleName('Live 1 waiting for a person');
  await liveButton.click();
  await expect(page.getByRole('complementary', { name: 'Live conversations' })).toBeVisible();
  await expect(consolePage.locator('#connection')).toHaveText('Connected');
  await expect(consolePage.locator('#waiting button')).toHaveCount(1);
  await expect(consolePage.locator('#waiting button').first()).toContainText('Preview');

  await consolePage.locator('#waiting button').first().click();
  await consolePage.getByRole('button', { name: 'Claim' }).click();
  await expect(consolePage.locator('#state')).toHaveText('with Support');
  await expect(chat.locator('.ba-row--notice').last()).toHaveText('Support joined the conversation');
  await expect(liveButton).toHaveAccessibleName('Live 1 with you');

  await consolePage.getByLabel('Reply').fill("Hello, I'm the author");
  await consolePage.getByLabel('Reply').press('Enter');
  const operatorRow = chat.locator('.ba-row--operator').last();
  await expect(operatorRow.locator('.ba-bubble')).toContainText("Hello, I'm the author");
  await expect(operatorRow.locator('.ba-operator')).toHaveText('S');
  await expect(operatorRow.locator('.ba-operator-name')).toHaveText('Support');

  const box = chat.getByRole('textbox', { name: 'Message' });
  await box.fill('Where is my parcel?');
  await box.press('Enter');
  await expect(consolePage.locator('#transcript li.visitor').last()).toContainText('Where is my parcel?');
  await page.screenshot({ path: 'e2e/screenshots/live-tab.png' });

  await consolePage.locator('#resume').selectOption('at:menu');
  await consolePage.getByRole('button', { name: 'Hand back' }).click();
  await expect(chat.locator('.ba-row--notice').last()).toHaveText('Support left the conversation');
  await expect(chat.locator('.ba-bubble').last()).toHaveText('What do you need?');
  await chat.getByRole('button', { name: 'Where is my invoice?' }).last().click();
  await expect(chat.locator('.ba-row--bot .ba-bubble').filter({ hasText: 'Invoices are under' })).toHaveCount(1);
  await expect(liveButton).toHaveAccessibleName('Live');
});

test('the author takes over a real visitor the bot is talking to, and hands back where it was', async ({ page, browser }) => {
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(server.studio.runtime.url);
  await visitor.getByRole('button', { name: 'Open chat' }).click();
  await visitor.getByRole('button', { name: 'Where is my invoice?' }).click();
  await expect(visitor.locator('.ba-row--bot .ba-bubble').filter({ hasText: 'Invoices are under' })).toHaveCount(1);

  await openFlowWithPreview(page);
  // The preview pane's conversation exists once the author answers in it (opening a flow records nothing).
  await previewWidget(page).getByRole('button', { name: 'Where is my invoice?' }).click();
  await expect(previewWidget(page).locator('.ba-row--bot .ba-bubble').filter({ hasText: 'Invoices are under' })).toHaveCount(1);
  await page.getByTestId('live-toggle').click();
  const consolePage = live(page);
  // With the bot: the real visitor, and the preview pane's own conversation.
  const real = consolePage.locator('#bot button').filter({ hasText: /^Visitor / });
  await expect(real).toHaveCount(1);
  await expect(consolePage.locator('#bot button').filter({ hasText: /^Preview / })).toHaveCount(1);
  await real.click();
  await consolePage.getByRole('button', { name: 'Take over' }).click();
  await expect(visitor.locator('.ba-row--notice').last()).toHaveText('Support joined the conversation');
  await consolePage.getByLabel('Reply').fill('Can I help with the invoice?');
  await consolePage.getByLabel('Reply').press('Enter');
  await expect(visitor.locator('.ba-row--operator .ba-bubble').last()).toContainText('Can I help with the invoice?');

  await consolePage.locator('#resume').selectOption('back');
  await consolePage.getByRole('button', { name: 'Hand back' }).click();
  await expect(visitor.locator('.ba-row--notice').last()).toHaveText('Support left the conversation');
  // Back where it was: the menu is still open and the bot answers it.
  await visitor.getByRole('button', { name: 'Where is my invoice?' }).last().click();
  await expect(visitor.locator('.ba-row--bot .ba-bubble').filter({ hasText: 'Invoices are under' })).toHaveCount(2);
  await visitor.context().close();
});
