/**
 * Publishing from the studio to a running `serve` (a real child process with a publish token
 * file): the dialog says what publishing will do before it does it (changes in the author's
 * words, live sessions left on the older version), publishes, lists the server's versions with a
 * diff against the draft, and rolls back. The visitor's side is checked on a real websocket.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { spawnServe, whenReady, type ServeProcess } from '../runtime/testing/serveProcess.ts';
import { WsTestClient } from '../runtime/testing/wsTestClient.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { startStudioServer, type StudioServer } from './support/studioServer.ts';

const ARTICLE = path.resolve(import.meta.dirname, '../state-machines/bot-assistant.json');
const OLD_QUESTION = 'What programming language do you use in your hobby projects?';
const NEW_QUESTION = 'Which language do you write for fun?';
const BROKEN = '{"hello": {"sendRequest": {"kind": "BotText", "content": "Hi"}, "next": "nowhere"}}\n';

let root: string;
let serve: ServeProcess;
let serverUrl: string;
let tokenFile: string;
let studio: StudioServer;
const clients: WsTestClient[] = [];

test.beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'publish-e2e-'));
  tokenFile = path.join(root, 'publish-token');
  await writeFile(tokenFile, 'e2e-publish-token-0123456789abcdef\n');
  const served = path.join(root, 'served.json');
  const article = await readFile(ARTICLE, 'utf8');
  await writeFile(served, article);
  serve = spawnServe([served, '--port', '0', '--data-dir', path.join(root, 'data'), '--publish-token-file', tokenFile]);
  serverUrl = await whenReady(serve);
  // The draft in the studio differs from the served version by one question, and "Rust" now leads elsewhere.
  const draft = article.replace(OLD_QUESTION, NEW_QUESTION).replace('"next": "anyOtherChoices"', '"next": "startLangPrefSession"');
  studio = await startStudioServer({ files: { 'bot-assistant.json': draft, 'broken.json': BROKEN } });
});

test.afterEach(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => undefined);
  await studio.close();
  serve.child.kill('SIGTERM');
  await serve.exited;
  await rm(root, { recursive: true, force: true });
});

/** A visitor's new conversation on the served bot; returns the client and the text of its first frames. */
async function visit(): Promise<{ client: WsTestClient; text: string }> {
  const client = await WsTestClient.connect(serverUrl);
  clients.push(client);
  return { client, text: JSON.stringify(await client.take(2)) };
}

/** axe (WCAG 2.1 A/AA) on the page as it is, in light and in dark. */
async function expectAccessible(page: Page, view: string, darkScreenshot?: string) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoAxeViolations(page, `${view} (${colorScheme})`, { soft: true });
    if (colorScheme === 'dark' && darkScreenshot) await page.screenshot({ path: `e2e/screenshots/${darkScreenshot}` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function openPublishDialog(page: Page) {
  await page.goto(studio.url);
  await page.getByRole('button', { name: 'bot-assistant.json' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(12);
  await page.getByRole('button', { name: 'Publish…' }).click();
  const dialog = page.getByRole('dialog', { name: /Publish/ });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('publishes from the studio, shows the versions and the diff, and rolls back', async ({ page }) => {
  test.setTimeout(90_000);
  // A visitor mid-conversation on the served version (answered once, asked the next question).
  const before = await visit();
  expect(before.text).toContain(OLD_QUESTION);
  before.client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'other', content: 'Other' });
  expect((await before.client.drain(200, 5000)).length).toBeGreaterThan(0);

  // A second visitor on the server answered "Rust": the draft routes that answer elsewhere. The
  // studio's own runtime has recorded nothing: the count below is the server's.
  const rust = await visit();
  rust.client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
  expect((await rust.client.drain(200, 5000)).length).toBeGreaterThan(0);

  const dialog = await openPublishDialog(page);
  // Keyboard only: the server URL field has focus, Tab to the token file, Enter connects.
  await expect(dialog.getByLabel('Server URL')).toBeFocused();
  await page.keyboard.type(serverUrl);
  await page.keyboard.press('Tab');
  await page.keyboard.type(tokenFile);
  await page.keyboard.press('Enter');

  // What publishing will do, before it does it.
  const preview = dialog.getByTestId('publish-preview');
  await expect(preview).toContainText(NEW_QUESTION);
  await expect(dialog.getByTestId('publish-live')).toHaveText(/2 live conversations will finish on the version they started with/);
  await expect(dialog.getByTestId('publish-routing')).toContainText(
    new RegExp(`^Replayed on ${serverUrl.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: 1 of the 2 recorded conversations on the running version [0-9a-f]{8} would now go another way\\.`),
  );
  await expect(dialog.getByTestId('publish-routing')).toContainText(/1 conversation at step 1: /);
  await page.screenshot({ path: 'e2e/screenshots/publish-dialog.png' });
  await expectAccessible(page, 'publish dialog: what publishing will do', 'publish-dialog-dark.png');

  await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(dialog.getByTestId('publish-done')).toContainText('Published version');
  // New visitors get the new question; the one already talking stays on its version.
  expect((await visit()).text).toContain(NEW_QUESTION);

  await dialog.getByRole('tab', { name: 'Published versions' }).click();
  const rows = dialog.locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('current');
  await expect(rows.nth(0)).toContainText('(studio)');
  await expect(rows.nth(1)).toContainText('2 sessions');
  // The current version is compared with the draft at once: they are the same.
  await expect(dialog.getByTestId('publish-diff')).toContainText('No differences');
  await rows.nth(1).getByRole('button', { name: 'Compare with draft' }).click();
  await expect(dialog.getByTestId('publish-diff')).toContainText(NEW_QUESTION);
  await page.screenshot({ path: 'e2e/screenshots/publish-versions.png' });
  await expectAccessible(page, 'publish dialog: published versions');

  await rows.nth(1).getByRole('button', { name: 'Roll back to this version' }).click();
  await expect(dialog.locator('tbody tr').nth(0)).toContainText('rollback');
  await expect(dialog.locator('tbody tr').nth(0)).toContainText('current');
  expect((await visit()).text).toContain(OLD_QUESTION);

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('refuses a draft with errors and shows why, and the server keeps its version', async ({ page }) => {
  await page.goto(studio.url);
  await page.getByRole('button', { name: 'broken.json' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(1);
  await page.getByRole('button', { name: 'Publish…' }).click();
  const dialog = page.getByRole('dialog', { name: /Publish/ });
  await dialog.getByLabel('Server URL').fill(serverUrl);
  await dialog.getByLabel('Token file').fill(tokenFile);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  const refused = dialog.getByTestId('publish-refused');
  await expect(refused).toContainText('This draft cannot be published');
  await expect(refused).toContainText('nowhere');
  await expect(dialog.getByRole('button', { name: 'Publish', exact: true })).toHaveCount(0);
  await expectAccessible(page, 'publish dialog: refused draft');
  expect((await visit()).text).toContain(OLD_QUESTION);
});
