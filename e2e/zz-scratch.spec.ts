import { expect, test } from '@playwright/test';
import { startStudioServer } from './support/studioServer.ts';
const WITH_PROBLEMS = JSON.stringify({ hello: { sendRequest: { kind: 'BotText', content: 'Hello there' }, next: 'missing' }, orphan: { sendRequest: { kind: 'BotText', content: 'Nobody comes here' } } }, null, 4);
for (const colorScheme of ['light', 'dark'] as const) {
  test(`look ${colorScheme}`, async ({ browser }) => {
    const server = await startStudioServer({ flows: ['state-machines/bot-assistant.json'], files: { 'with-problems.json': WITH_PROBLEMS } });
    const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByRole('button', { name: 'with-problems.json' }).click();
    await expect(page.getByRole('button', { name: 'Auto-layout' })).toBeEnabled();
    await page.locator('.react-flow__node[data-id="hello"] .state-node__name').click();
    await page.screenshot({ path: `/tmp/a11y-look-problems-${colorScheme}.png` });
    await page.getByRole('button', { name: 'Flows list' }).click();
    await page.getByRole('button', { name: 'bot-assistant.json' }).click();
    await expect(page.locator('.react-flow__node')).toHaveCount(12);
    await expect(page.getByRole('button', { name: 'Auto-layout' })).toBeEnabled();
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Shift+1');
    await page.waitForTimeout(500);
    await page.locator('.react-flow__node[data-id="langChoices"] .state-node__name').click();
    await page.screenshot({ path: `/tmp/a11y-look-canvas-${colorScheme}.png` });
    await context.close();
    await server.close();
  });
}
