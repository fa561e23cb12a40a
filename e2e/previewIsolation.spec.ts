/**
 * The live preview runs in its own (opaque) origin, in real Chromium (issue 10, Electron review):
 * a script inside the preview frame reaches nothing of the studio (its page, a host object on its
 * window such as the desktop's `studioHost`, its cookies, its API), and the preview still does all
 * the studio needs: the conversation, the canvas following it, a reload replaying it, restart,
 * Save as test, and the pop-out, which is sandboxed the same way.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Frame, type Page } from '@playwright/test';
import type { StreamRecord } from '../runtime/stream/messageStream.ts';
import { startStudioServer, type StudioServer } from './support/studioServer.ts';
import { node } from './support/canvas.ts';
import { previewWidget } from './support/preview.ts';

let server: StudioServer;

test.beforeEach(async () => {
  server = await startStudioServer({ flows: ['state-machines/bot-assistant.json'] });
});
test.afterEach(async () => {
  await server.close();
});


async function openPreview(page: Page): Promise<void> {
  await page.goto(server.url);
  await page.getByRole('button', { name: 'bot-assistant.json' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(12);
  await page.getByRole('tab', { name: 'Preview' }).click();
  await expect(previewWidget(page).locator('.ba-bubble').first()).toHaveText("Hi, I'm Bot! Nice to meet you.");
}

/** The shown preview frame, as Playwright's Frame (to run a script inside it). */
async function previewFrame(page: Page): Promise<Frame> {
  const frame = await (await page.getByTestId('preview-frame').elementHandle())!.contentFrame();
  if (!frame) throw new Error('the preview frame has no document');
  return frame;
}

/** What a script in a page can reach of the studio: each probe's result, or the error it threw. */
function probeStudio(): Promise<Record<string, string>> {
  const attempt = async (probe: () => unknown): Promise<string> => {
    try {
      return `reached: ${String(await probe())}`;
    } catch (error) {
      return `refused: ${(error as Error).name}`;
    }
  };
  return (async () => ({
    origin: self.origin,
    parentDocument: await attempt(() => window.parent.document.title),
    parentStudioHost: await attempt(() => (window.parent as unknown as { studioHost?: { secret: string } }).studioHost?.secret),
    parentMeta: await attempt(() => window.parent.document.querySelector('meta[name="studio-token"]')?.getAttribute('content')),
    cookie: await attempt(() => document.cookie),
    studioPage: await attempt(async () => (await fetch('/studio/', { credentials: 'include' })).status),
    studioApi: await attempt(async () => (await fetch('/studio/api/flows', { credentials: 'include' })).status),
  }))();
}

/** Every record of the stream so far. */
async function records(): Promise<StreamRecord[]> {
  const stream = server.studio.runtime.stream;
  return (await stream.read(0, stream.endOffset())).map((stored) => stored.record);
}

test('a script in the preview frame reaches nothing of the studio; the preview still works end to end', async ({ page }) => {
  await openPreview(page);
  // The desktop puts its host object on the studio's window; web mode has none, so plant one.
  await page.evaluate(() => ((window as unknown as { studioHost: { secret: string } }).studioHost = { secret: 'host object' }));
  // Control: the studio page itself reaches all of it (so the refusals below are the frame's origin at work).
  const fromStudio = await page.evaluate(probeStudio);
  expect(fromStudio).toMatchObject({ parentStudioHost: 'reached: host object', studioPage: 'reached: 200', studioApi: 'reached: 403' });
  expect(fromStudio.parentMeta).toMatch(/^reached: [0-9a-f]{64}$/);
  await expect(page.getByTestId('preview-frame')).toHaveAttribute('sandbox', 'allow-scripts allow-popups allow-popups-to-escape-sandbox');

  const frame = await previewFrame(page);
  // Requests the frame makes to the studio, as the server answered them (a browser hides the answer from the frame).
  const studioAnswers: { url: string; status: number | undefined; cookie: string | undefined }[] = [];
  page.context().on('response', async (response) => {
    const request = response.request();
    if (new URL(request.url()).pathname !== '/studio/') return;
    studioAnswers.push({ url: request.frame().url(), status: response.status(), cookie: (await request.allHeaders()).cookie });
  });
  const inFrame = await frame.evaluate(probeStudio);
  expect(inFrame).toEqual({
    origin: 'null',
    parentDocument: 'refused: SecurityError',
    parentStudioHost: 'refused: SecurityError',
    parentMeta: 'refused: SecurityError',
    cookie: 'refused: SecurityError',
    studioPage: 'refused: TypeError',
    studioApi: 'refused: TypeError',
  });
  // A request the browser lets through unread (no-cors) reaches the server without the studio's
  // cookie and with `Origin: null`: refused, never the page with its token (unreadable anyway).
  expect(await frame.evaluate(async () => (await fetch('/studio/', { mode: 'no-cors', credentials: 'include' })).type)).toBe('opaque');
  await expect.poll(() => studioAnswers.length).toBeGreaterThan(0);
  for (const answer of studioAnswers) expect(answer).toEqual({ url: expect.stringContaining('/preview/'), status: 403, cookie: undefined });
  // Nor can the frame take the studio's place: it cannot navigate the studio window.
  expect(await frame.evaluate(() => { try { window.top!.location.href = '/studio/api/flows'; return 'navigated'; } catch (error) { return (error as Error).name; } })).toBe('SecurityError');
  await expect(page).toHaveURL(/\/studio\/(#.*)?$/);

  // The preview works: answer, the canvas follows.
  const chat = previewWidget(page);
  await chat.getByRole('button', { name: 'Rust' }).click();
  await expect(chat.getByText('Any other?')).toBeVisible();
  await expect(node(page, 'anyOtherChoices')).toHaveClass(/is-preview-waiting/);
  const previewStarts = async () => (await records()).filter((r) => r.preview === true);
  const [start] = await previewStarts();

  // A reload of the frame replays the same conversation (its key, not a cookie, names the session).
  await (await previewFrame(page)).evaluate(() => location.reload());
  await expect(chat.locator('.ba-row--user .ba-bubble')).toHaveText(['Rust']);
  await expect(chat.getByText('Any other?')).toBeVisible();
  await chat.getByRole('button', { name: 'No' }).click();
  await expect(chat.getByText('Great, thanks!')).toBeVisible();
  await expect(node(page, 'done')).toHaveClass(/is-preview-visited/);
  expect((await previewStarts()).map((r) => r.sid)).toEqual([start.sid]);

  // Save as test takes that conversation.
  await page.locator('.preview').getByTestId('save-as-test').click();
  await expect(page.getByTestId('tests-toggle')).toHaveAccessibleName('Tests: all 1 passing');
  // The tests file is written after the panel shows the new test: wait for it on disk.
  const savedPicks = async () => {
    const text = await readFile(path.join(server.workspace, 'bot-assistant.tests.json'), 'utf8').catch(() => '{ "tests": [] }');
    return (JSON.parse(text) as { tests: { turns: { pick?: string }[] }[] }).tests[0]?.turns.map((t) => t.pick ?? null);
  };
  await expect.poll(savedPicks).toEqual([null, 'Rust', 'No']);

  // Restart: a fresh conversation in a new session; the canvas starts over. The new frame says when
  // its widget is ready (the studio cannot look into it), and is swapped in then.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { previewSaid: string[] }).previewSaid = seen;
    window.addEventListener('message', (event) => seen.push(`${event.origin} ${JSON.stringify(event.data)}`));
  });
  await page.getByRole('tab', { name: 'Preview' }).click();
  await page.getByRole('button', { name: 'Restart conversation' }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { previewSaid: string[] }).previewSaid)).toContain('null {"source":"bot-preview","settled":true}');
  await expect(chat.getByRole('button', { name: 'Rust' })).toBeEnabled();
  await expect(chat.locator('.ba-row--user')).toHaveCount(0);
  await expect(node(page, 'langChoices')).toHaveClass(/is-preview-waiting/);
  // The new conversation is recorded from the author's first answer, in a session of its own.
  expect(await previewStarts()).toHaveLength(1);
  await chat.getByRole('button', { name: 'Rust' }).click();
  await expect(chat.getByText('Any other?')).toBeVisible();
  await expect.poll(async () => (await previewStarts()).length).toBe(2);
  expect(new Set((await previewStarts()).map((r) => r.sid)).size).toBe(2);
});

test('the popped-out preview is sandboxed too: no cookie, no studio page, and its conversation is the pane\u2019s', async ({ page, context }) => {
  await openPreview(page);
  await previewWidget(page).getByRole('button', { name: 'Rust' }).click();
  await expect(previewWidget(page).getByText('Any other?')).toBeVisible();
  const popup = context.waitForEvent('page');
  await page.getByRole('button', { name: 'Pop out the preview' }).click();
  const popped = await popup;
  // The same key: the popped-out page resumes the pane's conversation.
  await expect(popped.locator('.ba-row--user .ba-bubble')).toHaveText(['Rust']);
  const probe = await popped.evaluate(probeStudio);
  expect(probe).toMatchObject({ origin: 'null', cookie: 'refused: SecurityError', studioPage: 'refused: TypeError', studioApi: 'refused: TypeError' });
  await popped.close();
});
