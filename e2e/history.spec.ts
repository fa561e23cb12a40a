/**
 * Conversation history in the real studio: real widget conversations over `ws` are listed, stay
 * listed after the studio restarts on the same data dir, replay step by step on the canvas, and
 * the coverage overlay counts them.
 */
import { mkdir, mkdtemp, copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { WsTestClient } from '../runtime/testing/wsTestClient.ts';
import { ensureRendererBuilt } from '../scripts/ensureRendererBuilt.ts';
import { startStudio, type RunningStudio } from '../scripts/studioServer.ts';
import { selectState } from './support/canvas.ts';
import { previewWidget } from './support/preview.ts';

let root: string;
let workspace: string;
let dataDir: string;
let studio: RunningStudio;

test.beforeAll(async () => {
  await ensureRendererBuilt();
});
test.beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'history-e2e-'));
  workspace = path.join(root, 'workspace');
  dataDir = path.join(root, 'data');
  await mkdir(workspace);
  await copyFile(path.resolve(import.meta.dirname, '../state-machines/bot-assistant.json'), path.join(workspace, 'bot-assistant.json'));
  studio = await startStudio({ workspace, port: 0, dataDir, build: false });
});
test.afterEach(async () => {
  await studio.close();
  await rm(root, { recursive: true, force: true });
});

const node = (page: Page, name: string) => page.locator(`.react-flow__node[data-id="${name}"]`);
const shot = (page: Page, name: string) => page.screenshot({ path: `e2e/screenshots/history-${name}.png` });

/** One visitor's conversation through the runtime's websocket, as the widget has it; returns its sid. */
async function converse(answers: object[], framesPerAnswer: number[]): Promise<string> {
  const client = await WsTestClient.connect(studio.runtime.url);
  await client.take(2);
  for (let i = 0; i < answers.length; i++) {
    client.send(answers[i]);
    await client.take(framesPerAnswer[i]);
  }
  await client.close();
  return client.sid!;
}

async function openArticleFlow(page: Page) {
  await page.goto(studio.url);
  await page.getByRole('button', { name: 'bot-assistant.json' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(12);
  await expect(page.getByRole('button', { name: 'Auto-layout' })).toBeEnabled();
}

test('lists real conversations, keeps them across a restart, replays one on the canvas and counts coverage', async ({ page }) => {
  // How many bot requests each answer brings back.
  const toEnd = await converse([
    { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' },
    { kind: 'ChoiceResponse', groupId: 'others', itemId: 'no', content: 'No' },
  ], [1, 1]);
  const chat = await converse([
    { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'other', content: 'Other' },
    { kind: 'UserText', sessionId: 'langPreference', content: 'Kotlin' },
  ], [1, 2]);
  // A visitor who opens the chat and never answers is not recorded (a handshake costs nothing).
  const neverAnswered = await converse([], []);

  await openArticleFlow(page);
  await page.getByRole('button', { name: 'Sessions' }).click();
  await page.getByLabel('Kind').selectOption('real');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByTestId('session-row')).toHaveCount(2);
  await expect(page.getByTestId('sessions-total')).toHaveText('2 sessions · page 1');
  const row = (sid: string) => page.locator(`[data-testid="session-row"][data-sid="${sid}"]`);
  // Rows name their flow and where the conversation is, in the author's words.
  await expect(row(toEnd)).toContainText('Ended at Great, thanks!');
  await expect(row(chat)).toContainText('Waits at Any other?');
  await expect(row(toEnd).getByTestId('session-flow')).toHaveText('bot-assistant.json');
  await expect(row(neverAnswered)).toHaveCount(0);
  await shot(page, 'list');

  // Restart on the same workspace and data dir: a new port and token, the same sessions.
  await studio.close();
  studio = await startStudio({ workspace, port: 0, dataDir, build: false });
  await openArticleFlow(page);
  await page.getByRole('button', { name: 'Sessions' }).click();
  await page.getByLabel('Kind').selectOption('real');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByTestId('session-row')).toHaveCount(2);
  await expect(row(toEnd)).toBeVisible();

  // Replay the conversation that reached the end: the highlight moves with each step.
  await row(toEnd).click();
  await expect(page.getByTestId('replay-position')).toHaveText('Step 1 of 3');
  const highlighted = () => page.locator('.react-flow__node.is-replay-step');
  await expect(highlighted()).toHaveCount(2);
  await expect(node(page, 'greetings')).toHaveClass(/is-replay-step/);
  await expect(node(page, 'langChoices')).toHaveClass(/is-replay-step/);
  await expect(page.getByTestId('bubble-bot')).toHaveCount(2);
  await expect(page.getByTestId('bubble-user')).toHaveCount(0);

  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(page.getByTestId('replay-position')).toHaveText('Step 2 of 3');
  await expect(node(page, 'langChoiceRust')).toHaveClass(/is-replay-step/);
  await expect(node(page, 'anyOtherChoices')).toHaveClass(/is-replay-step/);
  await expect(node(page, 'greetings')).not.toHaveClass(/is-replay-step/);
  await expect(page.getByTestId('bubble-user')).toHaveText([/^Rust/]);
  await expect(page.locator('.bubble__choices li.is-chosen').first()).toHaveText('Rust');

  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(node(page, 'done')).toHaveClass(/is-replay-step/);
  await expect(page.getByTestId('bubble-user')).toHaveCount(2);
  await expect(page.getByTestId('bubble-bot').last()).toContainText('Great, thanks!');
  await expect(page.getByTestId('route-differs')).toHaveCount(0);
  await shot(page, 'replay');

  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(page.getByTestId('replay-position')).toHaveText('Step 2 of 3');
  await expect(node(page, 'done')).not.toHaveClass(/is-replay-step/);
  await page.getByRole('button', { name: 'Step back' }).click();
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('replay-position')).toHaveText('Step 3 of 3', { timeout: 5000 });
  await expect(node(page, 'done')).toHaveClass(/is-replay-step/);

  // Coverage of this flow's real sessions (the preview pane recorded none: nobody answered it).
  await page.getByLabel('Coverage').check();
  await expect(page.getByTestId('coverage-summary')).toContainText('2 real sessions of bot-assistant.json replayed on this draft');
  await expect(page.getByTestId('coverage-greetings')).toHaveText('2 passed');
  await expect(page.getByTestId('coverage-langChoiceRust')).toHaveText('1 passed');
  await expect(page.getByTestId('coverage-langChoiceOther')).toHaveText('1 passed');
  await expect(page.getByTestId('coverage-done')).toHaveText('1 passed');
  await expect(page.getByTestId('coverage-anyOtherChoices')).toContainText(`1 stopped here`);
  await expect(page.getByTestId('coverage-langChoices')).not.toContainText('stopped here');
  await expect(page.getByTestId('never-visited')).toHaveText("When the user picks 'Go' · When the user picks 'Yes'");
  await expect(page.locator('.react-flow__edge.edge-covered')).not.toHaveCount(0);
  await shot(page, 'coverage');
});

test('flags replay steps the current draft routes differently', async ({ page }) => {
  const sid = await converse([{ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'go', content: 'Go' }], [1]);
  await openArticleFlow(page);
  await page.getByRole('button', { name: 'Sessions' }).click();
  await page.locator(`[data-testid="session-row"][data-sid="${sid}"]`).click();
  await expect(page.getByTestId('replay-position')).toHaveText('Step 1 of 2');
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(page.getByTestId('route-differs')).toHaveCount(0);
  // Renaming a state that sends nothing changes no route; renaming one the recording sent from does.
  // Find selects (and centres) the step: the drawer may cover it on the canvas.
  await selectState(page, 'langChoiceGo');
  // Names are ids: folded away by default (the keyboard reaches the fold under the Sessions drawer).
  await page.getByText('Advanced: ids').press('Enter');
  await page.locator('#f-name').fill('langChoiceGolang');
  await page.locator('#f-name').press('Enter');
  await expect(page.getByTestId('route-differs')).toHaveCount(0);
  await selectState(page, 'anyOtherChoices');
  await page.locator('#f-name').fill('moreChoices');
  await page.locator('#f-name').press('Enter');
  await expect(page.getByTestId('route-differs')).toHaveCount(1);
  await expect(page.getByTestId('route-differs')).toContainText('Step 2 routes differently in the current draft: The draft sends from moreChoices where the recording sent from anyOtherChoices.');
  await expect(node(page, 'moreChoices')).toHaveClass(/is-replay-differs/);
  await shot(page, 'differs');
});

test('replays a recorded session in the preview pane with the real widget, read-only, step by step', async ({ page }) => {
  const sid = await converse([
    { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' },
    { kind: 'ChoiceResponse', groupId: 'others', itemId: 'no', content: 'No' },
  ], [1, 1]);
  await openArticleFlow(page);
  await page.getByRole('button', { name: 'Sessions' }).click();
  await page.getByLabel('Kind').selectOption('real');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.locator(`[data-testid="session-row"][data-sid="${sid}"]`).click();

  const bar = page.getByTestId('preview-replay-bar');
  const widget = previewWidget(page);
  const bubbles = async (bot: number, user: number) => {
    await expect(widget.locator('.ba-row--bot')).toHaveCount(bot);
    await expect(widget.locator('.ba-row--user')).toHaveCount(user);
  };
  await expect(bar).toContainText(`Replaying session ${sid.slice(0, 6)}… step 1 of 3 — read-only`);
  await expect(page.getByTestId('preview-frame')).toHaveAttribute('src', new RegExp(`preview/\\?access=[0-9a-f]{64}&replay=${sid}&upto=\\d+$`));
  // Step 1: the greeting and the question, its choices shown but not usable.
  await bubbles(2, 0);
  await expect(widget.locator('.ba-choice')).toHaveCount(3);
  await expect(widget.locator('.ba-choice').first()).toBeDisabled();
  await expect(widget.locator('.ba-input')).toBeDisabled();
  await expect(widget.locator('.ba-input')).toHaveAttribute('placeholder', 'Replay: read-only');

  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(bar).toContainText('step 2 of 3');
  await bubbles(3, 1);
  await expect(widget.locator('.ba-row--user')).toHaveText(['Rust']);
  // Answering does nothing: the click is refused, nothing is shown or recorded.
  const before = (await page.evaluate(transcriptLength, sid));
  await widget.getByRole('button', { name: 'No', exact: true }).click({ force: true });
  await expect(widget.locator('.ba-row--user')).toHaveCount(1);
  await page.waitForTimeout(300);
  expect(await page.evaluate(transcriptLength, sid)).toBe(before);
  await shot(page, 'replay-preview');

  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(bar).toContainText('step 3 of 3');
  await bubbles(4, 2);
  await expect(widget.locator('.ba-row--bot').last()).toContainText('Great, thanks!');
  await expect(widget.locator('.ba-choice')).toHaveCount(0);

  // Stepping back shows the conversation up to that step again, in one swap (one frame on screen).
  await page.getByRole('button', { name: 'Step back' }).click();
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(bar).toContainText('step 1 of 3');
  await bubbles(2, 0);
  await expect(page.getByTestId('preview-frame')).toHaveCount(1);
  await expect(page.getByTestId('preview-frame-loading')).toHaveCount(0);

  await page.getByRole('button', { name: 'Back to live preview' }).click();
  await expect(bar).toHaveCount(0);
  await expect(page.getByTestId('preview-frame')).not.toHaveAttribute('src', /replay=/);
  await expect(widget.locator('.ba-choice').first()).toBeEnabled();
  await shot(page, 'replay-back-to-live');

  // The page itself, for a session that does not exist, says so.
  await page.goto(new URL('preview/?replay=no-such-session', studio.runtime.url).href);
  await expect(page.getByRole('alert')).toHaveText('No recorded session has the id "no-such-session": it cannot be replayed.');
});

test('filters sessions by what the user typed and restricts coverage to the filtered sessions', async ({ page }) => {
  const refund = await converse([
    { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'other', content: 'Other' },
    { kind: 'UserText', sessionId: 'langPreference', content: 'I want a REFUND now' },
  ], [1, 2]);
  await converse([
    { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'other', content: 'Other' },
    { kind: 'UserText', sessionId: 'langPreference', content: 'Kotlin' },
  ], [1, 2]);
  await converse([{ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' }], [1]);

  await openArticleFlow(page);
  await page.getByRole('button', { name: 'Sessions' }).click();
  await page.getByLabel('Search sessions').fill('refund');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByTestId('session-row')).toHaveCount(1);
  await expect(page.getByTestId('session-row')).toHaveAttribute('data-sid', refund);
  await expect(page.getByTestId('sessions-total')).toHaveText('1 session · page 1');

  await page.getByLabel('Coverage', { exact: true }).check();
  const all = await page.getByTestId('coverage-greetings').textContent();
  expect(Number.parseInt(all!, 10)).toBeGreaterThanOrEqual(3);
  await page.getByLabel('Coverage of').selectOption('filtered');
  await expect(page.getByTestId('coverage-summary')).toContainText('1 filtered session of bot-assistant.json replayed on this draft');
  await expect(page.getByTestId('coverage-greetings')).toHaveText('1 passed');
  await expect(page.getByTestId('coverage-getLangPrefResponse')).toHaveText('1 passed');
  await expect(page.getByTestId('coverage-langChoiceRust')).toHaveText('0 passed');
  await shot(page, 'filtered-coverage');

  // Coverage follows the filter: "rust" (a picked choice's label) now.
  await page.getByLabel('Search sessions').fill('rust');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByTestId('session-row')).toHaveCount(1);
  await expect(page.getByTestId('coverage-langChoiceRust')).toHaveText('1 passed');
  await expect(page.getByTestId('coverage-getLangPrefResponse')).toHaveText('0 passed');
  await page.getByLabel('Coverage of').selectOption('all');
  await expect(page.getByTestId('coverage-greetings')).toHaveText(all!);
});

test('lists the open flow\'s sessions by default, each naming its flow; previews marked and counted only when asked; nothing recorded until the author answers', async ({ page }) => {
  // A second flow in the workspace (the runtime runs the first): its greeting differs, so its versions hash apart.
  const article = await readFile(path.join(workspace, 'bot-assistant.json'), 'utf8');
  await writeFile(path.join(workspace, 'coffee.json'), article.replace("Hi, I'm Bot! Nice to meet you.", 'Welcome to the café!'));
  const real = await converse([{ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' }], [1]);

  // Opening a flow shows its greeting in the preview and records nothing.
  await page.goto(studio.url);
  await page.getByRole('button', { name: 'coffee.json' }).click();
  const chat = previewWidget(page);
  await expect(chat.locator('.ba-row--bot .ba-bubble').first()).toHaveText('Welcome to the café!');
  await page.getByRole('button', { name: 'Sessions' }).click();
  await expect(page.getByLabel('Sessions of')).toHaveValue('this');
  await expect(page.getByTestId('sessions-total')).toHaveText('0 sessions · page 1');

  // The author answers: now it is a preview session of coffee.json.
  await chat.getByRole('button', { name: 'Go' }).click();
  await expect(chat.locator('.ba-row--bot .ba-bubble').last()).toHaveText('Any other?');
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByTestId('sessions-total')).toHaveText('1 session · page 1');
  const row = page.getByTestId('session-row');
  await expect(row.locator('.session-badge')).toHaveText('Preview');
  await expect(row.getByTestId('session-flow')).toHaveText('coffee.json');
  await expect(row).toContainText('Waits at Any other?');

  // Coverage leaves previews out unless asked.
  await page.getByLabel('Coverage', { exact: true }).check();
  await expect(page.getByTestId('coverage-summary')).toContainText('0 real sessions of coffee.json replayed on this draft');
  await page.getByLabel('Previews').check();
  await expect(page.getByTestId('coverage-summary')).toContainText('1 session of coffee.json replayed on this draft');
  await expect(page.getByTestId('coverage-langChoiceGo')).toHaveText('1 passed');
  await page.screenshot({ path: 'e2e/screenshots/sessions-one-flow-1280x800.png' });
  await page.setViewportSize({ width: 1024, height: 700 });
  await expect(page.getByTestId('session-row')).toBeInViewport();
  await page.screenshot({ path: 'e2e/screenshots/sessions-one-flow-1024x700.png' });

  // All flows: the visitor's session on the running flow is there too, named by its flow.
  await page.getByLabel('Sessions of').selectOption('all');
  await expect(page.getByTestId('sessions-total')).toHaveText('2 sessions · page 1');
  await expect(page.locator(`[data-testid="session-row"][data-sid="${real}"]`).getByTestId('session-flow')).toHaveText('bot-assistant.json');

  // A row says what the bot said there as recorded, also once the draft says something else.
  const preview = await page.locator('[data-testid="session-row"]', { has: page.locator('.session-badge.is-preview') }).getAttribute('data-sid');
  await page.getByRole('button', { name: 'Close sessions' }).click();
  await selectState(page, 'anyOtherChoices');
  await page.locator('#f-question').fill('Anything else?');
  await page.getByRole('button', { name: 'Sessions' }).click();
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.locator(`[data-testid="session-row"][data-sid="${preview}"]`)).toContainText('Waits at Any other?');
});

/** Records of one session, read through the studio's API (runs in the page). */
async function transcriptLength(sid: string): Promise<number> {
  const token = document.querySelector<HTMLMetaElement>('meta[name="studio-token"]')!.content;
  const answer = await fetch(`/studio/api/sessions/${encodeURIComponent(sid)}`, { headers: { 'X-Studio-Token': token } });
  return ((await answer.json()) as { entries: unknown[] }).entries.length;
}
