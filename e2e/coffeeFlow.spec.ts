/**
 * The acceptance test of authoring without the JSON: the 3-choice coffee flow with a typed-text
 * branch, built from an empty canvas with mouse and keyboard only, every branch previewed, exported,
 * and checked: the export validates, no id is a template leftover, no two steps ever overlap.
 * It counts the author's actions (clicks, fills, key presses, drags), prints the count and keeps it under 30.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { checkFlowText } from '../runtime/flow/checkFlowText.ts';
import { startStudioServer, type StudioServer } from './support/studioServer.ts';
import { previewWidget } from './support/preview.ts';

let server: StudioServer;
test.beforeEach(async () => {
  server = await startStudioServer({ flows: [] });
});
test.afterEach(async () => {
  await server.close();
});

test.setTimeout(240_000);

/** Asserts no two steps on the canvas overlap (screen boxes). */
async function noOverlap(page: Page) {
  const boxes = await page.locator('.react-flow__node').evaluateAll((nodes) =>
    nodes.map((n) => {
      const r = n.getBoundingClientRect();
      return { id: (n as HTMLElement).dataset.id, x: r.x, y: r.y, w: r.width, h: r.height };
    }),
  );
  for (const [i, a] of boxes.entries()) {
    for (const b of boxes.slice(i + 1)) {
      const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
      expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
    }
  }
}

test('builds the coffee flow from an empty canvas, previews every branch and exports it', async ({ page }) => {
  let actions = 0;
  const act = async <T>(step: Promise<T>): Promise<T> => {
    actions++;
    return step;
  };
  const fixButton = (label: string) => page.locator('.problems').getByRole('button', { name: label, exact: true });

  await page.goto(server.url);
  // a new flow from the blank template
  await act(page.locator('nav.files').getByRole('button', { name: '+ New' }).click());
  const dialog = page.getByRole('dialog');
  await act(dialog.getByLabel('File name').fill('coffee'));
  await act(dialog.getByText('Blank').click());
  await act(dialog.getByRole('button', { name: 'Create' }).click());
  await expect(page.locator('.react-flow__node')).toHaveCount(1);

  // the greeting: the new flow's first step is selected, its text field has the keyboard
  await expect(page.locator('#f-content')).toBeFocused();
  await act(page.locator('#f-content').fill('Welcome to the café!'));

  // the question, added after the selected greeting (linked from it), and its three choices
  await act(page.getByRole('button', { name: 'Add "Ask a question"' }).click());
  await expect(page.locator('.react-flow__node')).toHaveCount(2);
  await noOverlap(page);
  await expect(page.locator('#f-question')).toBeFocused();
  await act(page.locator('#f-question').fill('What would you like today?'));
  await act(page.getByLabel('Choice 1 text').fill('Espresso'));
  await act(page.getByLabel('Choice 2 text').fill('Latte'));
  await act(page.getByLabel('Choice 2 text').press('Enter')); // Enter after the last choice adds one
  await expect(page.getByLabel('Choice 3 text')).toBeFocused();
  await act(page.getByLabel('Choice 3 text').fill('Something else'));
  await expect(page.locator('.react-flow__edge')).toHaveCount(1); // greeting → question

  // Espresso and Latte: the problems offer the step that answers each
  for (const [choice, reply] of [['Espresso', 'One espresso, coming up!'], ['Latte', 'A latte it is!']]) {
    await act(fixButton(`Add a step for '${choice}'`).click());
    await noOverlap(page);
    await act(page.locator('#f-content').fill(reply));
  }

  // Something else: the reply that asks, a text box after it, then the answer to what is typed
  await act(fixButton("Add a step for 'Something else'").click());
  await noOverlap(page);
  await act(page.locator('#f-content').fill('Tell us what you would like.'));
  await act(page.getByRole('button', { name: 'Add "Let the user type"' }).click());
  await noOverlap(page);
  await act(page.locator('#f-prompt').fill('Your order'));
  await act(fixButton('Add a step for what they type').click());
  await noOverlap(page);
  await act(page.locator('#f-content').fill("Thanks! We'll get that ready."));
  // no errors or warnings (notes may stay); toHaveText([]) so that a failure prints what was left
  await expect(page.locator('.problems .problem:is(.sev-error, .sev-warning)')).toHaveText([]);

  // preview every branch: the column shows the preview from the start, following the draft
  await expect(page.getByRole('tab', { name: 'Preview' })).toHaveAttribute('aria-selected', 'true');
  const chat = previewWidget(page);
  const bot = chat.locator('.ba-row--bot .ba-bubble');
  const restart = chat.getByRole('button', { name: 'Restart conversation' });
  // Nothing was answered while the flow was built: the pane quietly follows the draft, no restart notice.
  await expect(bot).toHaveText(['Welcome to the café!', 'What would you like today?']);
  await expect(bot.last()).toHaveText('What would you like today?');
  // The last edit has reached the runtime (it goes a moment after the change): answering now does not
  // race the edit's restart of the conversation the answer ends.
  await expect(page.getByRole('region', { name: 'Preview' })).toHaveAttribute('aria-busy', 'false');
  await act(chat.getByRole('button', { name: 'Espresso' }).click());
  await expect(bot.last()).toHaveText('One espresso, coming up!');
  await act(restart.click());
  await act(chat.getByRole('button', { name: 'Latte' }).click());
  await expect(bot.last()).toHaveText('A latte it is!');
  await act(restart.click());
  await act(chat.getByRole('button', { name: 'Something else' }).click());
  await expect(bot.last()).toHaveText('Tell us what you would like.');
  await act(chat.getByRole('textbox', { name: 'Message' }).fill('A flat white'));
  await act(chat.getByRole('textbox', { name: 'Message' }).press('Enter'));
  await expect(bot.last()).toHaveText("Thanks! We'll get that ready.");
  await noOverlap(page);
  await page.screenshot({ path: 'e2e/screenshots/coffee-flow-1280x800.png' });
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'e2e/screenshots/coffee-flow-1024x700.png' });

  // export, and check what was exported
  const [download] = await Promise.all([page.waitForEvent('download'), act(page.getByRole('button', { name: 'Export…', exact: true }).click())]);
  const exported = await readFile((await download.path())!, 'utf8');
  const checked = checkFlowText(exported);
  expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const json = JSON.parse(exported) as Record<string, { sendRequest?: { choices?: { itemId: string; content: string }[] } }>;
  const choices = Object.values(json).flatMap((s) => s.sendRequest?.choices ?? []);
  expect(choices.map((c) => [c.content, c.itemId])).toEqual([['Espresso', 'espresso'], ['Latte', 'latte'], ['Something else', 'somethingElse']]);
  expect(exported).not.toMatch(/"itemId": "(yes|no)"/);
  // Step names follow their words (the greeting's stays: it is in the file saved when the flow was created).
  const names = Object.keys(json);
  expect(names).toEqual(expect.arrayContaining(['greetings', 'whatWouldYouLike', 'oneEspressoComingUp', 'aLatteItIs', 'tellUsWhatYou', 'yourOrder', 'thanksWeLlGet']));
  expect(names.filter((n) => /^(message|question|openChat)\d*$/.test(n))).toEqual([]);

  console.log(`coffee flow: ${actions} author actions`);
  expect(actions).toBeLessThan(30);
});
