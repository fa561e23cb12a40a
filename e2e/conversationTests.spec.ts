import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { WsTestClient } from '../runtime/testing/wsTestClient.ts';
import { startStudioServer, type StudioServer } from './support/studioServer.ts';
import { node, selectState } from './support/canvas.ts';
import { previewWidget } from './support/preview.ts';

let server: StudioServer;

test.beforeEach(async () => {
  server = await startStudioServer({ flows: ['state-machines/bot-assistant.json'] });
});
test.afterEach(async () => {
  await server.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: `e2e/screenshots/tests-${name}.png` });
/** The tests file beside the flow ({ tests: [] } until the studio writes it). */
const testsFile = async () => JSON.parse(await readFile(path.join(server.workspace, 'bot-assistant.tests.json'), 'utf8').catch(() => '{ "tests": [] }'));

test('a preview conversation saved as a test fails after an edit, shows where on the canvas, and accepts the new behaviour', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('button', { name: 'bot-assistant.json' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(12);
  await page.getByRole('tab', { name: 'Preview' }).click();
  const chat = previewWidget(page);
  await chat.getByRole('button', { name: 'Rust' }).click();
  await chat.getByRole('button', { name: 'No' }).click();
  await expect(chat.getByText('Great, thanks!')).toBeVisible();
  await expect(node(page, 'done')).toHaveClass(/is-preview-visited/);

  // Save as test: the Tests tab lists the new test, passing; the file is written beside the flow.
  await page.locator('.preview').getByTestId('save-as-test').click();
  await expect(page.getByTestId('tests-toggle')).toHaveAccessibleName('Tests: all 1 passing');
  await page.getByRole('tab', { name: 'Tests' }).click();
  const panel = page.getByTestId('tests-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('test-row')).toHaveCount(1);
  await expect(panel.getByTestId('test-status')).toHaveText('✓ passed');
  await expect.poll(async () => (await testsFile()).tests[0]?.turns.map((t: { pick?: string }) => t.pick ?? null)).toEqual([null, 'Rust', 'No']);
  expect((await testsFile()).tests[0].turns[2].bot).toEqual([{ kind: 'BotText', content: 'Great, thanks!' }]);
  // Steps no test reaches carry a badge.
  await expect(node(page, 'langChoiceGo').getByTestId('test-untested-langChoiceGo')).toBeVisible();
  await expect(node(page, 'done').getByTestId('test-untested-done')).toHaveCount(0);

  await shot(page, 'saved');
  // Edit the flow so the test breaks: it fails at once, says where, and marks the step on the canvas.
  await selectState(page, 'done');
  await page.locator('#f-content').fill('Bye now.');
  await expect(panel.getByTestId('test-status')).toHaveText('✗ failed');
  await expect(page.getByTestId('tests-toggle')).toHaveAccessibleName('Tests: 1 of 1 failing');
  // The saved test is the one shown: its failure is open.
  await expect(panel.getByRole('button', { name: /^Preview conversation/ })).toHaveAttribute('aria-expanded', 'true');
  await expect(panel.getByTestId('failure-expected')).toHaveText('text "Great, thanks!"');
  await expect(panel.getByTestId('failure-said')).toHaveText('text "Bye now."');
  await expect(panel.getByTestId('test-failure')).toContainText('Turn 3 (pick "No"), bot message 1 (state "done")');
  await expect(node(page, 'done')).toHaveClass(/is-test-diverged/);
  await expect(node(page, 'done').getByTestId('test-diverged-done')).toBeVisible();
  await panel.getByRole('button', { name: 'Show done on the canvas' }).click();
  await shot(page, 'failing');

  // Accept the new behaviour: the expectation is updated (on disk too) and the test passes.
  await panel.getByTestId('accept-behaviour').click();
  await expect(panel.getByTestId('test-status')).toHaveText('✓ passed');
  await expect(node(page, 'done')).not.toHaveClass(/is-test-diverged/);
  await expect.poll(async () => (await testsFile()).tests[0].turns[2].bot).toEqual([{ kind: 'BotText', content: 'Bye now.' }]);
  await shot(page, 'accepted');

  // One undo step brings the old expectation back.
  await panel.getByRole('button', { name: /^Undo Accept the new behaviour/ }).click();
  await expect(panel.getByTestId('test-status')).toHaveText('✗ failed');
  await expect.poll(async () => (await testsFile()).tests[0].turns[2].bot).toEqual([{ kind: 'BotText', content: 'Great, thanks!' }]);
});

test('an expectation loosened in the editor keeps passing when the text changes around it', async ({ page }) => {
  const tests = { tests: [{ name: 'Thanks at the end', turns: [{ bot: [{ kind: 'BotText', content: "Hi, I'm Bot! Nice to meet you." }, { kind: 'ChoiceRequest', question: 'What programming language do you use in your hobby projects?', choices: ['Rust', 'Go', 'Other'] }] }, { pick: 'Go', bot: [{ kind: 'ChoiceRequest', question: 'Any other?', choices: ['Yes', 'No'] }] }, { pick: 'No', bot: [{ kind: 'BotText', content: 'Great, thanks!' }] }] }] };
  await server.close();
  server = await startStudioServer({ flows: ['state-machines/bot-assistant.json'], files: { 'bot-assistant.tests.json': JSON.stringify(tests, null, 4) } });
  await page.goto(server.url);
  await page.getByRole('button', { name: 'bot-assistant.json' }).click();
  await page.getByTestId('tests-toggle').click();
  const panel = page.getByTestId('tests-panel');
  await expect(panel.getByTestId('test-status')).toHaveText('✓ passed');

  // Keyboard only: open the editor, loosen the last text to "contains", save.
  await panel.getByRole('button', { name: 'Edit Thanks at the end' }).focus();
  await page.keyboard.press('Enter');
  const editor = panel.getByRole('form', { name: 'Edit test Thanks at the end' });
  await editor.getByRole('combobox', { name: 'How text is compared' }).last().selectOption('contains');
  await editor.getByRole('textbox', { name: 'Text text' }).last().fill('thanks');
  await editor.getByRole('button', { name: 'Save test' }).click();
  await expect.poll(async () => (await testsFile()).tests[0].turns[2].bot).toEqual([{ kind: 'BotText', content: { contains: 'thanks' } }]);

  await selectState(page, 'done');
  await page.locator('#f-content').fill('Many thanks, bye!');
  await page.locator('#f-content').blur();
  await expect(panel.getByTestId('test-status')).toHaveText('✓ passed');
  await page.locator('#f-content').fill('Bye!');
  await expect(panel.getByTestId('test-status')).toHaveText('✗ failed');
  await expect(panel.getByRole('button', { name: 'Thanks at the end', exact: true })).toHaveAttribute('aria-expanded', 'true');
  await expect(panel.getByTestId('failure-expected')).toHaveText('text containing "thanks"');
});

test('a real visitor\'s recorded session becomes a test, and the draft is checked against recorded sessions', async ({ page }) => {
  // A visitor's conversation over the runtime's websocket, as the widget has it.
  const client = await WsTestClient.connect(server.studio.runtime.url);
  await client.take(2);
  client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'go', content: 'Go' });
  await client.take(1);
  client.send({ kind: 'ChoiceResponse', groupId: 'others', itemId: 'no', content: 'No' });
  await client.take(1);
  await client.close();
  const sid = client.sid!;

  await page.goto(server.url);
  await page.getByRole('button', { name: 'bot-assistant.json' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(12);
  await page.getByRole('button', { name: 'Show/hide sessions', exact: true }).click();
  await page.locator(`[data-testid="session-row"][data-sid="${sid}"]`).click();
  await page.locator('.sessions').getByTestId('save-as-test').click();
  await expect(page.getByTestId('tests-toggle')).toHaveAccessibleName('Tests: all 1 passing');
  await expect.poll(async () => (await testsFile()).tests[0]?.turns.map((t: { pick?: string }) => t.pick ?? null)).toEqual([null, 'Go', 'No']);

  // Reroute the Go answer: the test fails, and the recorded session would go another way.
  await page.getByRole('button', { name: 'Close sessions' }).click();
  await page.getByTestId('tests-toggle').click();
  await selectState(page, 'langChoiceGo');
  await page.locator('#f-next').selectOption('done');
  const panel = page.getByTestId('tests-panel');
  await expect(panel.getByTestId('test-status')).toHaveText('✗ failed');
  await panel.getByRole('button', { name: 'Check against visitor history' }).click();
  await expect(panel.getByTestId('replay-check')).toContainText('1 recorded session replayed: 1 would now go another way.');
  await expect(panel.getByTestId('replay-check')).toContainText(`${sid.slice(0, 12)} at answer 1`);
});
