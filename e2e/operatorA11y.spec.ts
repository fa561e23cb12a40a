/**
 * Issue 14 with issue 17's checks: the operator console (its sign-in page, and signed in with a
 * waiting and a live conversation) and the studio's Live tab have no WCAG 2.0/2.1 A or AA
 * violation axe-core finds, in light and dark.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { PASSWORD, testAccounts } from '../runtime/testing/operatorConsole.ts';
import { start, type RunningServer } from '../runtime/server/start.ts';
import { WsTestClient } from '../runtime/testing/wsTestClient.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { startStudioServer } from './support/studioServer.ts';

const expect = baseExpect.configure({ timeout: 20_000 });
const check = (page: Page, view: string) => expectNoAxeViolations(page, view, { soft: true });

/** A visitor who asked for a person (its socket stays open until the test ends). */
async function askForPerson(url: string, clients: WsTestClient[]): Promise<void> {
  const visitor = await WsTestClient.connect(url);
  clients.push(visitor);
  await visitor.take(2);
  visitor.send({ kind: 'ChoiceResponse', groupId: 'menu', itemId: 'person', content: 'Talk to a person' });
  await visitor.next();
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`operator console, ${colorScheme}`, () => {
    test.use({ colorScheme });
    let server: RunningServer;
    let dataDir: string;
    const clients: WsTestClient[] = [];

    test.beforeEach(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'operator-a11y-'));
      server = await start({ flowPath: 'state-machines/talk-to-a-person.json', port: 0, dataDir, operators: { accounts: await testAccounts() } });
    });
    test.afterEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.close()));
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    test(`sign-in, a failed sign-in, and the console with a waiting and a live conversation (${colorScheme})`, async ({ page }) => {
      await page.goto(`${server.url}operator/`);
      await check(page, 'sign-in');
      await page.getByLabel('Operator id').fill('boss');
      await page.getByLabel('Password').fill('wrong');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('alert')).toBeVisible();
      await check(page, 'failed sign-in');

      await page.getByLabel('Operator id').fill('boss');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.locator('#connection')).toHaveText('Connected');
      await check(page, 'console, empty');

      await askForPerson(server.url, clients);
      await askForPerson(server.url, clients);
      await expect(page.locator('#waiting button')).toHaveCount(2);
      await page.locator('#waiting button').first().click();
      await page.getByRole('button', { name: 'Claim' }).click();
      await expect(page.locator('#live button')).toHaveCount(1);
      await page.getByLabel('Reply').fill('Hello, how can I help?');
      await page.getByLabel('Reply').press('Enter');
      await expect(page.locator('#transcript li.operator')).toHaveCount(1);
      await check(page, 'console, a live conversation open and one waiting');
      await page.screenshot({ path: `e2e/screenshots/operator-console-${colorScheme}.png` });

      await page.locator('#waiting button').first().click();
      await expect(page.getByRole('button', { name: 'Claim' })).toBeVisible();
      await check(page, 'console, a waiting conversation open');
    });

    test(`the studio's Live tab, with a waiting and a live conversation (${colorScheme})`, async ({ page }) => {
      const studio = await startStudioServer({ flows: ['state-machines/talk-to-a-person.json'] });
      try {
        const url = studio.studio.runtime.url;
        await askForPerson(url, clients);
        await askForPerson(url, clients);
        await page.goto(studio.url);
        await page.getByRole('button', { name: 'talk-to-a-person.json' }).click();
        await expect(page.getByRole('button', { name: 'Auto-layout' })).toBeEnabled();
        await expect(page.getByTestId('live-toggle')).toHaveAccessibleName('Live 2 waiting for a person');
        await page.getByTestId('live-toggle').click();
        const live = page.frameLocator('[data-testid="live-console"]');
        await expect(live.locator('#waiting button')).toHaveCount(2);
        await check(page, 'Live tab, two waiting');

        await live.locator('#waiting button').first().click();
        await live.getByRole('button', { name: 'Claim' }).click();
        await expect(live.locator('#live button')).toHaveCount(1);
        await live.getByLabel('Reply').fill('Hello from the studio');
        await live.getByLabel('Reply').press('Enter');
        await expect(live.locator('#transcript li.operator')).toHaveCount(1);
        await check(page, 'Live tab, a live conversation open and one waiting');
        await page.screenshot({ path: `e2e/screenshots/live-tab-${colorScheme}.png` });
      } finally {
        await studio.close();
      }
    });
  });
}
