/**
 * Issue 17: every studio view and the chat widget have no WCAG 2.0/2.1 A or AA violation that
 * axe-core finds, in light and dark. One page load per view group: each test walks its views in
 * order and checks each one (soft), so a failing run lists every view's violations at once.
 *
 * Elements are found by role and structure, not by the wording of titles and problems, which the
 * authoring work (issue 12) rewrites.
 */
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { WsTestClient } from '../runtime/testing/wsTestClient.ts';
import { axeViolations, expectNoAxeViolations } from './support/axe.ts';
import { startStudioServer, type StudioServer } from './support/studioServer.ts';
import { hostPage, startWidgetHostSite, type WidgetHostSite } from './support/widgetHostSite.ts';
import { startWidgetRuntime, type WidgetRuntime } from './support/widgetRuntime.ts';
import { previewWidget } from './support/preview.ts';

// Layout and the preview's widget can take more than the default 5 s on a loaded machine.
const expect = baseExpect.configure({ timeout: 20_000 });

/** A flow with an error (a link to a missing step) and a warning (a step nothing leads to), so badges and the problems list show. */
const WITH_PROBLEMS = `${JSON.stringify(
  {
    hello: { sendRequest: { kind: 'BotText', content: 'Hello there' }, next: 'missing' },
    orphan: { sendRequest: { kind: 'BotText', content: 'Nobody comes here' } },
  },
  null,
  4,
)}\n`;

/** Checks the page as it is now; soft, so the test goes on to its other views and reports them all. */
const check = (page: Page, view: string) => expectNoAxeViolations(page, view, { soft: true });

const dialog = (page: Page) => page.getByRole('dialog');
const flowsList = (page: Page) => page.getByRole('navigation', { name: 'Flows' });

/** The flows list, unfolded if a flow's canvas folded it away. */
async function showFlows(page: Page) {
  if (!(await flowsList(page).isVisible())) await page.getByRole('button', { name: 'Flows list' }).click();
  await expect(flowsList(page)).toBeVisible();
  return flowsList(page);
}

/** Opens a dialog with `open`, checks it, and closes it with Escape. */
async function checkDialog(page: Page, view: string, open: () => Promise<void>) {
  await open();
  await expect(dialog(page)).toBeVisible();
  await check(page, view);
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toHaveCount(0);
}

/** One visitor's conversation through the runtime's websocket; returns its session id. */
async function converse(url: string, answers: object[], framesPerAnswer: number[]): Promise<string> {
  const client = await WsTestClient.connect(url);
  await client.take(2);
  for (let i = 0; i < answers.length; i++) {
    client.send(answers[i]);
    await client.take(framesPerAnswer[i]);
  }
  await client.close();
  return client.sid!;
}

test('the checker finds violations, in the page and in its frames, and says where and how to fix them', async ({ page }) => {
  const broken =
    '<!doctype html><html lang="en"><head><title>Broken</title></head><body><main>' +
    '<div class="dot" aria-label="Link into greetings"></div>' +
    '<p style="color: #d97706; background: #fff; font-size: 11px">When the user picks</p>' +
    '</main></body></html>';
  await page.setContent(`${broken.replace('</main>', `<iframe title="inner" srcdoc='${broken.replace(/"/g, '&quot;')}'></iframe></main>`)}`);
  await expect(page.frameLocator('iframe').locator('.dot')).toHaveCount(1);
  const lines = await axeViolations(page);
  expect(lines).toHaveLength(4);
  const inPage = lines.filter((line) => !line.includes('[in frame'));
  expect(inPage[0]).toMatch(/^aria-prohibited-attr \(serious\): .*\n {2}element: div\n {2}html: {4}<div class="dot" aria-label="Link into greetings"><\/div>\n {2}fix: {5}.*aria-label attribute cannot be used on "div" elements with no valid role attribute/);
  expect(inPage[1]).toMatch(/^color-contrast \(serious\): .*\n {2}element: p\n[^]*fix: {5}.*contrast of 3\.18 \(foreground color: #d97706, background color: #ffffff/);
  expect(lines.filter((line) => line.includes('[in frame about:srcdoc]'))).toHaveLength(2);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`studio, ${colorScheme}`, () => {
    test.use({ colorScheme });
    let server: StudioServer;

    test.beforeEach(async () => {
      server = await startStudioServer({ flows: ['state-machines/bot-assistant.json'], files: { 'with-problems.json': WITH_PROBLEMS } });
    });
    test.afterEach(async () => {
      await server.close();
    });

    test(`flows list, canvas, inspector, problems, JSON, preview and every dialog (${colorScheme})`, async ({ page }) => {
      expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(colorScheme === 'dark');
      await page.goto(server.url);
      const flows = flowsList(page);
      await expect(flows.getByRole('button', { name: 'bot-assistant.json' })).toBeVisible();
      await check(page, 'flows list (nothing open)');

      await checkDialog(page, 'new flow dialog', () => flows.getByRole('button', { name: '+ New' }).click());

      // A flow with problems: badges on the steps, the problems list, a step selected in the inspector.
      await flows.getByRole('button', { name: 'with-problems.json' }).click();
      await expect(page.locator('.react-flow__node')).toHaveCount(2);
      await expect(page.getByRole('button', { name: 'Auto-layout' })).toBeEnabled();
      const problems = page.getByRole('region', { name: 'Problems' });
      await expect(problems.getByRole('listitem')).not.toHaveCount(0);
      await expect(page.locator('.state-node__badge').first()).toBeVisible();
      await problems.getByRole('listitem').first().locator('button.problem').click();
      await expect(page.locator('.react-flow__node.selected')).toHaveCount(1);
      await check(page, 'canvas with problems, a problem picked, inspector, preview tab');

      // The article flow: the canvas with a step selected and the inspector showing its choices.
      await showFlows(page);
      await flows.getByRole('button', { name: 'bot-assistant.json' }).click();
      await expect(page.locator('.react-flow__node')).toHaveCount(12);
      await expect(page.getByRole('button', { name: 'Auto-layout' })).toBeEnabled();
      await page.getByRole('tab', { name: 'JSON' }).click(); // the column starts on the preview
      await expect(page.locator('.monaco-editor .view-lines')).toBeVisible();
      await page.locator('.react-flow__node[data-id="langChoices"] .state-node__name').click();
      await expect(page.locator('.react-flow__node.selected')).toHaveCount(1);
      await check(page, 'canvas with a step selected, inspector, JSON tab');

      // A link selected, and the search bar open.
      await page.locator('.react-flow__edge').first().focus();
      await page.keyboard.press('Enter');
      await expect(page.locator('.react-flow__edge.selected')).toHaveCount(1);
      await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Control+F');
      await expect(page.getByRole('searchbox')).toBeFocused();
      await page.getByRole('searchbox').fill('thanks');
      await check(page, 'canvas with the search bar');
      await page.keyboard.press('Escape');

      // The preview tab, with the real widget running the draft in its frame.
      await page.getByRole('tab', { name: 'Preview' }).click();
      const widget = previewWidget(page);
      await expect(widget.locator('.ba-choice').first()).toBeEnabled();
      await check(page, 'preview tab with the widget');

      const toolbar = page.getByRole('toolbar', { name: 'File' });
      await checkDialog(page, 'rename dialog', () => toolbar.getByRole('button', { name: 'Rename…' }).click());
      await checkDialog(page, 'delete dialog', () => toolbar.getByRole('button', { name: 'Delete file…' }).click());
      await checkDialog(page, 'keyboard shortcuts dialog', () => page.getByRole('button', { name: 'Keyboard shortcuts' }).click());

      // Unsaved changes: add a step from the palette, then open another flow.
      await page.getByRole('toolbar', { name: 'Add a step' }).getByRole('button').first().click();
      await expect(page.locator('.react-flow__node')).toHaveCount(13);
      await expect(page.getByLabel('Unsaved changes')).toBeVisible();
      await showFlows(page);
      await checkDialog(page, 'unsaved changes dialog', () => flows.getByRole('button', { name: 'with-problems.json' }).click());
    });

    test(`canvas dots are named buttons: clicking one, then another, links two steps; the link menu and a toast (${colorScheme})`, async ({ page }) => {
      await page.goto(server.url);
      await flowsList(page).getByRole('button', { name: 'with-problems.json' }).click();
      await expect(page.getByRole('button', { name: 'Auto-layout' })).toBeEnabled();
      const orphan = page.locator('.react-flow__node[data-id="orphan"]');
      // every dot is announced as a button with a name that says what it links
      const dots = page.locator('.react-flow__handle');
      await expect(dots).toHaveCount(4);
      for (const dot of await dots.all()) {
        await expect(dot).toHaveRole('button');
        await expect(dot).toHaveAccessibleName(/\S/);
      }
      await orphan.getByRole('button', { name: /^Next after/ }).click();
      await page.locator('.react-flow__node[data-id="hello"]').getByRole('button', { name: /^Link into/ }).click();
      await expect(page.locator('.react-flow__edge[aria-label*="orphan"]')).toHaveCount(1);
      await expect(page.getByLabel('Unsaved changes')).toBeVisible();

      // A link dropped on empty canvas asks what comes next.
      const dot = await orphan.getByRole('button', { name: /^Next after/ }).boundingBox();
      const from = { x: dot!.x + dot!.width / 2, y: dot!.y + dot!.height / 2 };
      // an empty spot: a point where the canvas's pane itself is on top
      const to = await page.evaluate(() => {
        const box = document.querySelector('.react-flow__pane')!.getBoundingClientRect();
        for (let y = box.top + 60; y < box.bottom - 120; y += 30) {
          for (let x = box.right - 80; x > box.left + 80; x -= 30) {
            if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
          }
        }
        throw new Error('no empty spot on the canvas');
      });
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++) await page.mouse.move(from.x + ((to.x - from.x) * i) / 10, from.y + ((to.y - from.y) * i) / 10);
      await page.mouse.up();
      const menu = page.getByRole('menu');
      await expect(menu).toBeVisible();
      await check(page, 'canvas with the "what comes next" menu');
      await page.keyboard.press('Escape');
      await expect(menu).toHaveCount(0);

      // Deleting a step says what happened in a toast.
      await orphan.locator('.state-node').click();
      await page.keyboard.press('Delete');
      await expect(page.locator('.toast')).toBeVisible();
      await check(page, 'canvas with a toast');
    });

    test(`sessions: list, transcript and replay, on the canvas and in the preview (${colorScheme})`, async ({ page }) => {
      const url = server.studio.runtime.url;
      const ended = await converse(url, [
        { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' },
        { kind: 'ChoiceResponse', groupId: 'others', itemId: 'no', content: 'No' },
      ], [1, 1]);
      await converse(url, [
        { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'other', content: 'Other' },
        { kind: 'UserText', sessionId: 'langPreference', content: 'Kotlin' },
      ], [1, 2]);

      await page.goto(server.url);
      await flowsList(page).getByRole('button', { name: 'bot-assistant.json' }).click();
      await expect(page.locator('.react-flow__node')).toHaveCount(12);
      await expect(page.getByRole('button', { name: 'Auto-layout' })).toBeEnabled();
      await page.getByRole('button', { name: 'Sessions' }).click();
      const sessions = page.getByRole('complementary', { name: 'Sessions' });
      await expect(sessions.getByTestId('session-row')).not.toHaveCount(0);
      await sessions.getByLabel('Coverage', { exact: true }).check();
      await expect(sessions.getByTestId('coverage-summary')).toBeVisible();
      await check(page, 'sessions list with coverage');

      await sessions.locator(`[data-testid="session-row"][data-sid="${ended}"]`).click();
      await expect(sessions.getByTestId('replay-position')).toBeVisible();
      await sessions.getByRole('button', { name: 'Step forward' }).click();
      await expect(page.locator('.react-flow__node.is-replay-step')).not.toHaveCount(0);
      const widget = previewWidget(page);
      await expect(widget.locator('.ba-row--user')).toHaveCount(1);
      await check(page, 'a session transcript replayed on the canvas and in the preview');
    });
  });
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`widget, ${colorScheme}`, () => {
    test.use({ colorScheme });
    let runtime: WidgetRuntime;
    let site: WidgetHostSite;

    test.beforeEach(async () => {
      site = await startWidgetHostSite();
      runtime = await startWidgetRuntime({ allowedOrigins: [site.origin] });
    });
    test.afterEach(async () => {
      await site.close();
      await runtime.dispose();
    });

    test(`the demo page and the widget: closed, open, mid-conversation, chat box open, ended (${colorScheme})`, async ({ page }) => {
      await page.goto(runtime.url);
      const launcher = page.getByRole('button', { name: 'Open chat' });
      await expect(launcher).toBeVisible();
      await check(page, 'demo page, widget closed');

      await launcher.click();
      const chat = page.getByRole('dialog', { name: 'Bot Assistant' });
      await expect(chat).toBeVisible();
      await expect(page.locator('.bot-assistant')).toHaveAttribute('data-status', 'online');
      await expect(chat.locator('.ba-choice')).toHaveCount(3);
      await check(page, 'widget open, first question');

      await chat.getByRole('button', { name: 'Rust' }).click();
      await expect(chat.locator('.ba-row--user')).toHaveCount(1);
      await expect(chat.locator('.ba-choice')).toHaveCount(2);
      await chat.getByRole('button', { name: 'Yes' }).click();
      await expect(chat.locator('.ba-choice')).toHaveCount(3);
      await check(page, 'widget mid-conversation');

      await chat.getByRole('button', { name: 'Other' }).click();
      const editor = chat.getByRole('textbox', { name: 'Message' });
      await expect(editor).toBeEnabled();
      await editor.fill('Zig');
      await check(page, 'widget with the chat box open');

      await editor.press('Enter');
      await expect(chat.locator('.ba-choice')).toHaveCount(2);
      await chat.getByRole('button', { name: 'No' }).click();
      await expect(chat.locator('.ba-choice')).toHaveCount(0);
      await expect(chat.locator('.ba-row--bot').last()).toContainText('Great, thanks!');
      await check(page, 'widget, conversation ended');

      // Embedded on another site (its own page styles), opened at load.
      site.setPage('/host', hostPage(`<script src="${runtime.url}widget/assistant.js" data-open="true" defer></script>`));
      await page.goto(`${site.origin}/host`);
      await expect(page.getByRole('dialog', { name: 'Bot Assistant' })).toBeVisible();
      await expect(page.locator('.ba-choice')).toHaveCount(3);
      await check(page, 'widget on a host site, open at load');
    });
  });
}
