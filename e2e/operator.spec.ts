/// <reference lib="dom" />
/**
 * Issue 14, in real Chromium: a visitor in the real widget asks for a person, an operator in the
 * console (another browser context, signed in through the form) claims, talks, and hands back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { start, type RunningServer } from '../runtime/server/start.ts';
import { PASSWORD, testAccounts } from '../runtime/testing/operatorConsole.ts';

const SHOTS = join(import.meta.dirname, 'screenshots');
let server: RunningServer;
let dataDir: string;

test.beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'operator-e2e-'));
  server = await start({ flowPath: 'state-machines/talk-to-a-person.json', port: 0, dataDir, operators: { accounts: await testAccounts(), graceMs: 500 } });
});

test.afterEach(async () => {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function visitorAsksForPerson(page: Page): Promise<void> {
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Open chat' }).click();
  await expect(page.locator('.bot-assistant')).toHaveAttribute('data-status', 'online');
  await page.getByRole('button', { name: 'Talk to a person' }).click();
  await expect(page.locator('.ba-row--bot .ba-bubble').last()).toHaveText('Let me find someone for you…');
}

/** A console page in its own browser context (its own cookies), signed in as `id`. */
async function operatorConsole(browser: Browser, id: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.url}operator/`);
  await page.getByLabel('Operator id').fill(id);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#connection')).toHaveText('Connected');
  return page;
}

async function claimFirstWaiting(console: Page): Promise<void> {
  await console.locator('#waiting button').first().click();
  await console.getByRole('button', { name: 'Claim' }).click();
  await expect(console.locator('#state')).toHaveText(/^with /);
}

test('a visitor reaches a person, talks to them, and the bot takes back at the step the operator picks', async ({ page, browser }) => {
  const console = await operatorConsole(browser, 'sam');
  await visitorAsksForPerson(page);
  await expect(console.locator('#waiting button')).toHaveCount(1);
  await expect(console.locator('#waiting-count')).toHaveText('1');
  await claimFirstWaiting(console);
  await expect(page.locator('.ba-row--notice')).toHaveText('Sam joined the conversation');

  await console.getByLabel('Reply').fill("Hello, I'm Sam");
  await console.getByLabel('Reply').press('Enter');
  const operatorRow = page.locator('.ba-row--operator');
  await expect(operatorRow.locator('.ba-bubble')).toHaveText("SamHello, I'm Sam");
  await expect(operatorRow.locator('.ba-operator')).toHaveText('S');
  await expect(operatorRow.locator('.ba-operator-name')).toHaveText('Sam');

  const box = page.getByRole('textbox', { name: 'Message' });
  await expect(box).toBeEnabled();
  await box.fill('My invoice shows the wrong address');
  await box.press('Enter');
  await expect(console.locator('#transcript li.visitor').last()).toContainText('My invoice shows the wrong address');
  await page.screenshot({ path: join(SHOTS, 'operator-widget.png') });
  await console.screenshot({ path: join(SHOTS, 'operator-console.png') });

  await console.locator('#resume').selectOption('at:menu');
  await console.getByRole('button', { name: 'Hand back' }).click();
  await expect(page.locator('.ba-row--notice').last()).toHaveText('Sam left the conversation');
  await expect(page.locator('.ba-row--bot .ba-bubble').last()).toHaveText('What do you need?');
  await expect(box).toBeDisabled();
  await page.getByRole('button', { name: 'Where is my invoice?' }).last().click();
  await expect(page.locator('.ba-row--bot .ba-bubble').filter({ hasText: 'Invoices are under' })).toHaveCount(1);
  await expect(console.locator('#waiting button')).toHaveCount(0);
});

test('operator text is shown as text: markup in it never runs or renders', async ({ page, browser }) => {
  const console = await operatorConsole(browser, 'sam');
  await visitorAsksForPerson(page);
  await claimFirstWaiting(console);
  const attack = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>';
  await console.getByLabel('Reply').fill(attack);
  await console.getByRole('button', { name: 'Send' }).click();
  const bubble = page.locator('.ba-row--operator .ba-bubble');
  await expect(bubble).toContainText(attack);
  await expect(bubble.locator('img, script, b')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  // the console shows the visitor's markup as text too
  await page.getByRole('textbox', { name: 'Message' }).fill('<img src=x onerror="window.__pwned=3">');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(console.locator('#transcript li.visitor').last()).toContainText('<img src=x');
  await expect(console.locator('#transcript img')).toHaveCount(0);
  expect(await console.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('a visitor who reloads during the handoff gets the whole conversation back and stays with the operator', async ({ page, browser }) => {
  const console = await operatorConsole(browser, 'sam');
  await visitorAsksForPerson(page);
  await claimFirstWaiting(console);
  await console.getByLabel('Reply').fill("Hello, I'm Sam");
  await console.getByLabel('Reply').press('Enter');
  await expect(page.locator('.ba-row--operator')).toHaveCount(1);
  await page.reload();
  await page.getByRole('button', { name: 'Open chat' }).click();
  await expect(page.locator('.ba-row--operator .ba-bubble')).toHaveText("SamHello, I'm Sam");
  await expect(page.locator('.ba-row--bot .ba-bubble').last()).toHaveText('Let me find someone for you…');
  const box = page.getByRole('textbox', { name: 'Message' });
  await expect(box).toBeEnabled();
  await box.fill('Still here after a reload');
  await box.press('Enter');
  await expect(console.locator('#transcript li.visitor').last()).toContainText('Still here after a reload');
  await expect(console.locator('#state')).toHaveText('with Sam');
});

test('the console refuses anyone not signed in, and a wrong password', async ({ page }) => {
  await page.goto(`${server.url}operator/`);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  const opened = await page.evaluate(
    (url) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => resolve('open');
        ws.onclose = () => resolve('refused');
      }),
    `${server.url.replace('http', 'ws')}operator/socket`,
  );
  expect(opened).toBe('refused');
  await page.getByLabel('Operator id').fill('sam');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('do not match');
  await expect(page.locator('#connection')).toHaveCount(0);
});

test('the studio shows "Talk to a person" on the canvas, in the palette and in the inspector', async ({ page }) => {
  const { startStudioServer } = await import('./support/studioServer.ts');
  const studio = await startStudioServer({ flows: ['state-machines/talk-to-a-person.json'] });
  try {
    await page.goto(studio.url);
    await page.getByRole('button', { name: 'talk-to-a-person.json' }).click();
    const handoff = page.locator('.react-flow__node[data-id="talkToPerson"]');
    await expect(handoff).toContainText('Talk to a person');
    await expect(handoff).toContainText('queue billing: Let me find someone for you…');
    await expect(page.getByRole('button', { name: 'Auto-layout' })).toBeEnabled({ timeout: 15_000 });
    await handoff.click();
    await expect(page.getByLabel('Operator queue')).toHaveValue('billing');
    await expect(page.getByLabel('Wait for an operator (seconds)')).toHaveValue('120');
    await page.screenshot({ path: join(SHOTS, 'operator-studio.png') });
  } finally {
    await studio.close();
  }
});
