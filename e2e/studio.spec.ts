import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startStudioServer, type StudioServer } from './support/studioServer.ts';
import { node, selectState } from './support/canvas.ts';

let server: StudioServer;

test.beforeEach(async ({ context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  server = await startStudioServer({ flows: ['state-machines/bot-assistant.json'] });
});
test.afterEach(async () => {
  await server.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: `e2e/screenshots/studio-${name}.png` });

/** Opens the sample flow; with `json` (most tests read or type the JSON) its tab is brought forward (the column starts on the preview). */
async function openArticleFlow(page: Page, { json = true } = {}) {
  await page.goto(server.url);
  await page.getByRole('button', { name: 'bot-assistant.json' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(12);
  if (json) {
    await page.getByRole('tab', { name: 'JSON' }).click();
    await expect(page.locator('.monaco-editor .view-lines')).toBeVisible({ timeout: 30_000 }); // Monaco loads slowly on a loaded machine
  }
  // wait for the first auto-layout (no sidecar) to settle
  await expect(page.getByRole('button', { name: 'Auto-layout' })).toBeEnabled({ timeout: 30_000 }); // the first auto-layout, slow under load
}

/** The JSON pane's whole text, read the way an author would copy it. */
async function jsonText(page: Page): Promise<string> {
  await page.locator('.json-pane .monaco-editor').click({ position: { x: 120, y: 40 } });
  await expect(page.locator('.monaco-editor.focused')).toBeVisible();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  const text = await page.evaluate(() => navigator.clipboard.readText());
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  return text;
}

/** Replaces the JSON pane's text the way an author would: select all, paste (typing would auto-indent). */
async function typeJson(page: Page, text: string) {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.locator('.json-pane .monaco-editor').click({ position: { x: 120, y: 40 } });
  await expect(page.locator('.monaco-editor.focused')).toBeVisible();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
}

async function centre(page: Page, selector: ReturnType<Page['locator']>) {
  const box = (await selector.boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Zooms the canvas out (Ctrl+−) until every locator's box is inside the canvas pane. */
async function zoomOutUntilInView(page: Page, targets: Locator[]) {
  const inside = async () => {
    const pane = (await page.locator('.react-flow').boundingBox())!;
    for (const target of targets) {
      const box = await target.boundingBox();
      if (!box || box.x < pane.x || box.y < pane.y || box.x + box.width > pane.x + pane.width || box.y + box.height > pane.y + pane.height) return false;
    }
    return true;
  };
  const transform = () => page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
  const settled = async () => {
    // the zoom animates: wait until the view stops moving before measuring
    for (let last = await transform(), i = 0; i < 20; i++) {
      await page.waitForTimeout(150);
      const now = await transform();
      if (now === last) return;
      last = now;
    }
  };
  // pan so the middle of the targets is the middle of the pane, then zoom out around it
  const pane = (await page.locator('.react-flow').boundingBox())!;
  const boxes = await Promise.all(targets.map(async (t) => (await t.boundingBox())!));
  const left = Math.min(...boxes.map((b) => b.x));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const top = Math.min(...boxes.map((b) => b.y));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  const grab = { x: pane.x + 8, y: pane.y + 8 }; // an empty corner of the pane (the zoom controls sit bottom left)
  await page.mouse.move(grab.x, grab.y);
  await page.mouse.down();
  const dx = pane.x + pane.width / 2 - (left + right) / 2;
  const dy = pane.y + pane.height / 2 - (top + bottom) / 2;
  for (let i = 1; i <= 8; i++) await page.mouse.move(grab.x + (dx * i) / 8, grab.y + (dy * i) / 8);
  await page.mouse.up();
  await settled();
  for (let i = 0; i < 10 && !(await inside()); i++) {
    await page.keyboard.press('Control+-');
    await settled();
  }
  expect(await inside()).toBe(true);
}

/**
 * Selects a state by clicking its title. Under load the first click can land while the view still
 * glides to its fitted place after auto-layout (the click then hits the pane), so it is retried
 * until the inspector shows the state.
 */
test('opens the article flow and shows all 12 states', async ({ page }) => {
  await openArticleFlow(page, { json: false });
  await expect(page.getByLabel("Bot says: “Hi, I'm Bot! Nice to meet you.”, step greetings")).toBeVisible();
  await expect(page.getByLabel('Ask a question: “What programming language do you use in your hobby projects?”, step langChoices')).toBeVisible();
  await expect(node(page, 'greetings').locator('.state-node__start')).toHaveText('Start');
  await expect(page.locator('.react-flow__edge.edge-answer')).toHaveCount(6);
  await expect(page.locator('.react-flow__edge.edge-next')).toHaveCount(8);
  // Three panes at 1280×800, canvas first: canvas | inspector+problems | preview (the JSON is the column's other tab).
  await expect(page.getByRole('tab', { name: 'Preview' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab', { name: 'JSON' })).toHaveAttribute('aria-selected', 'false');
  await expect(page.getByTestId('preview-frame')).toBeVisible();
  await expect(page.locator('.json-pane')).toBeHidden();
  expect((await page.locator('.canvas').boundingBox())!.width).toBeGreaterThan(540);
  await shot(page, 'overview');
  // the whole layered layout, left to right, on a wide screen with the JSON pane folded away
  await page.setViewportSize({ width: 1920, height: 800 });
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+J'); // the JSON comes forward…
  await expect(page.getByRole('tab', { name: 'JSON' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+J'); // …and folds away
  await expect(page.getByRole('tab', { name: 'JSON' })).toBeHidden();
  await page.keyboard.press('Shift+1');
  await page.waitForTimeout(400); // the fit animates
  await shot(page, 'layout');
});

test('adds a choice, links it by dragging, edits the JSON, and undoes/redoes all of it', async ({ page }) => {
  await openArticleFlow(page);
  await selectState(page, 'langChoices');
  await page.getByRole('button', { name: '+ Add a choice' }).click();
  const handle = node(page, 'langChoices').locator('[data-handleid="choice:choice4"]');
  await expect(handle).toBeVisible();
  await shot(page, 'inspector');

  // zoom out until the new choice's dot and "done" are both in view (Fit view stays readable), then drag
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await zoomOutUntilInView(page, [handle, node(page, 'done')]);
  const from = await centre(page, handle);
  const to = await centre(page, node(page, 'done'));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(from.x + ((to.x - from.x) * i) / 12, from.y + ((to.y - from.y) * i) / 12);
  await page.mouse.up();
  await expect(node(page, 'langChoicesChoice4')).toBeVisible();
  let json = JSON.parse(await jsonText(page));
  expect(json.langChoices.sendRequest.choices[3]).toEqual({ itemId: 'choice4', content: 'Choice 4' });
  expect(json.langChoicesChoice4).toEqual({ matchResponse: { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'choice4' }, next: 'done' });

  // a JSON edit that parses updates the canvas
  json.done.sendRequest.content = 'Bye for now!';
  await typeJson(page, JSON.stringify(json, null, 4));
  await expect(node(page, 'done').locator('.state-node__preview')).toHaveText('Bye for now!');

  // undo: the JSON edit, then the link, then the added choice; redo all
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+Z');
  await expect(node(page, 'done').locator('.state-node__preview')).toHaveText('Great, thanks!');
  await page.keyboard.press('Control+Z');
  await expect(node(page, 'langChoicesChoice4')).toHaveCount(0);
  await page.keyboard.press('Control+Z');
  await expect(handle).toHaveCount(0);
  for (let i = 0; i < 3; i++) await page.keyboard.press('Control+Shift+Z');
  await expect(node(page, 'done').locator('.state-node__preview')).toHaveText('Bye for now!');
  await expect(node(page, 'langChoicesChoice4')).toBeVisible();
  json = JSON.parse(await jsonText(page));
  expect(json.langChoicesChoice4.next).toBe('done');
});

test('drops a link on empty canvas and picks what comes next', async ({ page }) => {
  await openArticleFlow(page);
  const handle = node(page, 'greetings').locator('[data-handleid="next"]');
  const from = await centre(page, handle);
  // an empty spot of the canvas: a point where the pane itself is on top
  const to = await page.evaluate(() => {
    const box = document.querySelector('.react-flow__pane')!.getBoundingClientRect();
    for (let y = box.bottom - 120; y > box.top + 40; y -= 30) {
      for (let x = box.right - 80; x > box.left + 80; x -= 30) {
        const found = document.elementFromPoint(x, y);
        if (found?.classList.contains('react-flow__pane')) return { x, y };
      }
    }
    throw new Error('no empty spot on the canvas');
  });
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(from.x + ((to.x - from.x) * i) / 10, from.y + ((to.y - from.y) * i) / 10);
  await page.mouse.up();
  const menu = page.getByRole('menu', { name: 'What comes next?' });
  await expect(menu).toBeVisible();
  await shot(page, 'connect-menu');
  await menu.getByRole('menuitem', { name: 'Bot says' }).click();
  await expect(node(page, 'message')).toBeVisible();
  const json = JSON.parse(await jsonText(page));
  expect(json.greetings.next).toBe('message');
  expect(json.message.sendRequest.kind).toBe('BotText');
});

test('a broken JSON shows a problem and keeps the canvas; fixing it clears the problem', async ({ page }) => {
  await openArticleFlow(page);
  const original = await jsonText(page);
  await typeJson(page, original.replace('"next": "langChoices"', '"next": "langChoices",,'));
  // what is wrong and where: the line of the stray comma, in the banner and in the problem
  const line = original.split('\n').findIndex((text) => text.includes('"next": "langChoices"')) + 1;
  await expect(page.locator('.stale-banner')).toContainText(`The JSON has a syntax error at line ${line}:`);
  await expect(page.locator('.json-pane__state')).toHaveText(`syntax error at line ${line}: canvas paused`);
  await expect(page.locator('.problems .problem.sev-error').first()).toContainText(`Unexpected ',' at line ${line}, column`);
  await expect(page.locator('.react-flow__node')).toHaveCount(12);
  await shot(page, 'broken-json');
  await typeJson(page, original);
  await expect(page.locator('.stale-banner')).toHaveCount(0);
  await expect(page.locator('.problems .problem.sev-error')).toHaveCount(0);

  // a semantic problem: a link to a missing state, shown in Problems, on the node and in the inspector
  await typeJson(page, original.replace('"next": "done"', '"next": "dnoe"'));
  const problem = page.locator('.problems .problem.sev-error').first();
  // in the author's words: the step is named by the answer it reacts to, with a fix
  await expect(problem).toContainText(`“When the user picks 'No'” goes on to "dnoe", which is not a step`);
  const row = page.locator('.problems .problem-row').filter({ hasText: 'dnoe' });
  await expect(row.getByRole('button', { name: 'Remove the broken link' })).toBeVisible();
  await expect(node(page, 'anyOtherNo').locator('.badge-error')).toBeVisible();
  await problem.click();
  await expect(page.locator('#f-name')).toHaveValue('anyOtherNo');
  // the cursor lands in the field the problem is about
  await expect(page.locator('#f-next')).toBeFocused();
  await expect(page.locator('.inspector .field-problem.sev-error').first()).toBeVisible();
  await shot(page, 'problems');
  // the fix is one undo step
  await row.getByRole('button', { name: 'Remove the broken link' }).click();
  await expect(page.locator('.problems .problem', { hasText: 'dnoe' })).toHaveCount(0);
  await page.locator('.react-flow__pane').click();
  await page.keyboard.press('Control+Z');
  await expect(page.locator('.problems .problem', { hasText: 'dnoe' })).toHaveCount(1);
});

test('renaming a state updates every link to it, in the JSON and on the canvas', async ({ page }) => {
  await openArticleFlow(page);
  await selectState(page, 'anyOtherChoices');
  await page.getByText('Advanced: ids').click(); // names are ids: folded away by default
  await page.locator('#f-name').fill('moreLanguages');
  await page.locator('#f-name').press('Enter');
  await expect(node(page, 'moreLanguages')).toBeVisible();
  const text = await jsonText(page);
  expect(text).not.toContain('anyOtherChoices');
  const json = JSON.parse(text);
  expect([json.langChoiceRust.next, json.langChoiceGo.next, json.endLangPrefSession.next]).toEqual(['moreLanguages', 'moreLanguages', 'moreLanguages']);
  for (const from of ['langChoiceRust', 'langChoiceGo', 'endLangPrefSession']) {
    await expect(page.locator(`.react-flow__edge.edge-next[aria-label="Then, from ${from} to moreLanguages"]`)).toHaveCount(1);
  }
  await expect(page.locator('.react-flow__edge.edge-answer[aria-label$=", from moreLanguages to anyOtherYes"]')).toHaveCount(1);
  await expect(page.locator('.react-flow__edge[aria-label*="anyOtherChoices"]')).toHaveCount(0);
});

test('saves the flow and its layout, and a reload finds everything as saved', async ({ page }) => {
  await openArticleFlow(page);
  await selectState(page, 'done');
  await page.locator('#f-content').fill('See you <b>soon</b>!');
  await expect(page.locator('.html-preview b')).toHaveText('soon');
  // move a node by dragging it
  const start = await centre(page, node(page, 'greetings').locator('.state-node__name'));
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(start.x + i * 10, start.y + i * 8);
  await page.mouse.up();
  await expect(page.getByLabel('Unsaved changes')).toBeVisible();
  await page.keyboard.press('Control+S');
  await expect(page.getByLabel('Unsaved changes')).toHaveCount(0);

  const saved = await readFile(path.join(server.workspace, 'bot-assistant.json'), 'utf8');
  expect(JSON.parse(saved).done.sendRequest.content).toBe('See you <b>soon</b>!');
  expect(Object.keys(JSON.parse(saved))).toHaveLength(12);
  const layout = JSON.parse(await readFile(path.join(server.workspace, 'bot-assistant.layout.json'), 'utf8'));
  const before = await node(page, 'greetings').evaluate((el) => (el as HTMLElement).style.transform);
  expect(before).toBe(`translate(${layout.positions.greetings.x}px, ${layout.positions.greetings.y}px)`);

  await page.reload();
  await expect(node(page, 'greetings')).toBeVisible();
  await expect(node(page, 'done').locator('.state-node__preview')).toHaveText('See you soon!');
  expect(await node(page, 'greetings').evaluate((el) => (el as HTMLElement).style.transform)).toBe(before);
  await expect(page.getByLabel('Unsaved changes')).toHaveCount(0);
});

test('deletes the selected state with the Delete key and says what happened to its links', async ({ page }) => {
  await openArticleFlow(page);
  await selectState(page, 'done');
  await page.locator('.react-flow__pane').focus();
  await node(page, 'done').locator('.state-node__name').click();
  await page.keyboard.press('Delete');
  await expect(node(page, 'done')).toHaveCount(0);
  await expect(page.locator('.toast')).toContainText("Deleted 1 step; the link into it from “When the user picks 'No'” was removed.");
  expect(JSON.parse(await jsonText(page)).anyOtherNo).toEqual({ matchResponse: { kind: 'ChoiceResponse', groupId: 'others', itemId: 'no' } });
});

test('finds a state by its text and jumps to it', async ({ page }) => {
  await openArticleFlow(page);
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+F');
  const search = page.getByRole('searchbox', { name: 'Find a state by name or text' });
  await expect(search).toBeFocused();
  await search.fill('thanks');
  await expect(node(page, 'done').locator('.state-node')).toHaveClass(/is-highlighted/);
  await search.press('Enter');
  await expect(page.locator('#f-name')).toHaveValue('done');
  await expect(page.locator('.search-bar__count')).toHaveText('1 of 1');
  await shot(page, 'search');
});

test('looks right in dark mode', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openArticleFlow(page);
  await selectState(page, 'startLangPrefSession');
  await shot(page, 'dark');
});

test('selects a link by clicking it and deletes it with Delete; an answer link by keyboard, saying what happened', async ({ page }) => {
  await openArticleFlow(page);
  const next = page.locator('.react-flow__edge[aria-label="Then, from greetings to langChoices"]');
  await next.locator('.react-flow__edge-interaction').click({ force: true });
  await expect(next).toHaveClass(/selected/);
  await shot(page, 'link-selected');
  await page.keyboard.press('Delete');
  await expect(next).toHaveCount(0);
  await expect(page.locator('.toast')).toHaveText('Removed the link from “Hi, I\'m Bot! Nice to meet you.” to “What programming language do you use in your…”.');
  expect(JSON.parse(await jsonText(page)).greetings).toEqual({ sendRequest: { kind: 'BotText', content: "Hi, I'm Bot! Nice to meet you." } });
  await page.keyboard.press('Control+Z');
  await expect(next).toHaveCount(1);

  // Tab to an answer link, Enter selects it, Backspace removes it: the state that only matched it goes
  const answer = page.locator('.react-flow__edge[aria-label$=", from langChoices to langChoiceRust"]');
  // A screen reader hears which choice takes the link, not only the step names.
  await expect(answer).toHaveAttribute('aria-label', 'Answer “Rust”, from langChoices to langChoiceRust');
  await answer.focus();
  await page.keyboard.press('Enter');
  await expect(answer).toHaveClass(/selected/);
  await page.keyboard.press('Backspace');
  await expect(answer).toHaveCount(0);
  await expect(node(page, 'langChoiceRust')).toHaveCount(0);
  await expect(page.locator('.toast')).toHaveText('Removed the answer \'Rust\' to “What programming language do you use in your…”, and the step that only waited for it.');
  const json = JSON.parse(await jsonText(page));
  expect(json.langChoiceRust).toBeUndefined();
  expect(json.langChoices.sendRequest.choices[0]).toEqual({ itemId: 'rust', content: 'Rust' });
  await page.keyboard.press('Control+Z');
  await expect(node(page, 'langChoiceRust')).toHaveCount(1);
  await expect(answer).toHaveCount(1);
});
