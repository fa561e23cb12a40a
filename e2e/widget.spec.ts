/// <reference lib="dom" />
/**
 * The chat widget in real Chromium against a real websocket server: the article's flow, the
 * sanitizer, replay on reload and reconnect, reset, keyboard use and where the socket goes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { hostPage, startWidgetHostSite } from './support/widgetHostSite.ts';
import { startWidgetRuntime, type WidgetRuntime } from './support/widgetRuntime.ts';
import { startWidgetTestServer } from './support/widgetTestServer.ts';

const FLOW = JSON.parse(readFileSync(join(import.meta.dirname, '../state-machines/bot-assistant.json'), 'utf8')) as Record<string, unknown>;
const SHOTS = join(import.meta.dirname, 'screenshots');

let runtime: WidgetRuntime;

test.beforeEach(async () => {
  runtime = await startWidgetRuntime();
});

test.afterEach(async () => {
  await runtime.dispose();
});

const botMessages = (page: Page) => page.locator('.ba-row--bot .ba-bubble');
const userMessages = (page: Page) => page.locator('.ba-row--user .ba-bubble');
const choices = (page: Page) => page.locator('.ba-choice');
const editor = (page: Page) => page.getByRole('textbox', { name: 'Message' });

async function openWidget(page: Page, url = runtime.url): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Open chat' }).click();
  await expect(page.getByRole('dialog', { name: 'Bot Assistant' })).toBeVisible();
  await expect(page.locator('.bot-assistant')).toHaveAttribute('data-status', 'online');
}

/** Frames the page sends on any websocket, parsed. */
function framesSent(page: Page): unknown[] {
  const sent: unknown[] = [];
  page.on('websocket', (ws) => ws.on('framesent', (frame) => sent.push(JSON.parse(String(frame.payload)))));
  return sent;
}

/** Everything the transcript shows, as "side: text" lines, to compare whole conversations. */
async function transcript(page: Page): Promise<string[]> {
  return page.locator('.ba-log .ba-row').evaluateAll((rows) =>
    rows.map((row) => {
      const side = row.classList.contains('ba-row--user') ? 'user' : row.classList.contains('ba-row--choices') ? 'choices' : 'bot';
      return `${side}: ${(row.textContent ?? '').trim()}`;
    }),
  );
}

test('walks the article flow by clicking, choices turn into the answer, the editor opens and closes', async ({ page }) => {
  const sent = framesSent(page);
  await openWidget(page);
  await expect(botMessages(page)).toHaveText(["Hi, I'm Bot! Nice to meet you.", 'What programming language do you use in your hobby projects?']);
  await expect(choices(page)).toHaveText(['Rust', 'Go', 'Other']);
  // The avatar sits only on the last of consecutive bot messages.
  await expect(page.locator('.ba-row--bot .ba-avatar')).toHaveCount(1);
  await expect(page.locator('.ba-row--bot').nth(1).locator('.ba-avatar')).toHaveCount(1);
  await expect(editor(page)).toBeDisabled();
  await page.screenshot({ path: join(SHOTS, 'widget-open.png'), animations: 'disabled' });

  await choices(page).getByText('Rust').click();
  await expect(userMessages(page)).toHaveText(['Rust']);
  await expect(page.getByRole('button', { name: 'Go' })).toHaveCount(0);
  await expect(botMessages(page).last()).toHaveText('Any other?');
  await expect(choices(page)).toHaveText(['Yes', 'No']);

  await choices(page).getByText('Yes').click();
  await expect(choices(page)).toHaveText(['Rust', 'Go', 'Other']);
  await choices(page).getByText('Other').click();
  await expect(botMessages(page).last()).toHaveText('I enabled chat editor');
  await expect(editor(page)).toBeEnabled();
  await expect(editor(page)).toHaveAttribute('placeholder', 'Type your preferred language here...');
  await expect(editor(page)).toBeFocused();
  await page.screenshot({ path: join(SHOTS, 'widget-chat.png'), animations: 'disabled' });

  await editor(page).pressSequentially('Zig');
  await editor(page).press('Shift+Enter');
  await editor(page).pressSequentially('and <b>OCaml</b>');
  await editor(page).press('Enter');
  await expect(editor(page)).toBeDisabled();
  await expect(editor(page)).toHaveValue('');
  // Typed text is shown as text: the tags stay literal and nothing is parsed into the page.
  await expect(userMessages(page).last()).toHaveText('Zig\nand <b>OCaml</b>');
  await expect(page.locator('.ba-row--user b')).toHaveCount(0);

  await expect(choices(page)).toHaveText(['Yes', 'No']);
  await choices(page).getByText('No').click();
  await expect(botMessages(page).last()).toHaveText('Great, thanks!');
  await expect(choices(page)).toHaveCount(0);
  const conversation = [
    "bot: Hi, I'm Bot! Nice to meet you.",
    'bot: What programming language do you use in your hobby projects?',
    'user: Rust',
    'bot: Any other?',
    'user: Yes',
    'bot: What programming language do you use in your hobby projects?',
    'user: Other',
    'bot: I enabled chat editor',
    'user: Zig\nand <b>OCaml</b>',
    'bot: Any other?',
    'user: No',
    'bot: Great, thanks!',
  ];
  expect(await transcript(page)).toEqual(conversation);
  expect(sent).toEqual([
    { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' },
    { kind: 'ChoiceResponse', groupId: 'others', itemId: 'yes', content: 'Yes' },
    { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'other', content: 'Other' },
    { kind: 'UserText', sessionId: 'langPreference', content: 'Zig\nand <b>OCaml</b>' },
    { kind: 'ChoiceResponse', groupId: 'others', itemId: 'no', content: 'No' },
  ]);
  await page.screenshot({ path: join(SHOTS, 'widget-done.png'), animations: 'disabled' });

  // Reload: the server replays the whole history, and it is shown exactly once, user text as text.
  await page.reload();
  await page.getByRole('button', { name: 'Open chat' }).click();
  await expect(botMessages(page).last()).toHaveText('Great, thanks!');
  await page.waitForTimeout(300); // let any duplicate burst arrive before counting
  expect(await transcript(page)).toEqual(conversation);
  await expect(page.locator('.ba-row--user b')).toHaveCount(0);
});

test('bot HTML is sanitized: payloads never run, safe markup renders, also on replay', async ({ page }) => {
  const payloads = [
    '<img src=x onerror="window.__pwned=1">',
    '<script>window.__pwned=2</script>after script',
    '<a href="javascript:window.__pwned=3">js link</a>',
    '<svg onload="window.__pwned=4"><circle r="1"/></svg>svg gone',
    '<a href="java&#x09;script:window.__pwned=5">tab link</a>',
    '<a href="&#106;avascript:window.__pwned=6">entity link</a>',
    '<a href="data:text/html,<script>parent.__pwned=7</script>">data link</a>',
    '<p style="position:fixed;inset:0" onclick="window.__pwned=8">styled</p>',
    '<iframe src="javascript:parent.__pwned=9"></iframe>iframe gone',
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=10">',
    '<b>bold</b> and <a href="https://example.com/x?a=1" onclick="window.__pwned=11">safe link</a>',
  ];
  const flow: Record<string, unknown> = {};
  payloads.forEach((content, i) => {
    flow[`say${i}`] = { sendRequest: { kind: 'BotText', content }, next: i + 1 < payloads.length ? `say${i + 1}` : 'ask' };
  });
  Object.assign(flow, {
    ask: {
      sendRequest: {
        kind: 'ChoiceRequest', groupId: 'x', question: '<img src=x onerror="window.__pwned=12">Pick',
        choices: [{ itemId: 1, content: '<img src=x onerror="window.__pwned=13">One' }, { itemId: 2, content: '<i>Two</i>' }],
      },
    },
    pickOne: { matchResponse: { kind: 'ChoiceResponse', groupId: 'x', itemId: 1 }, next: 'chat' },
    pickTwo: { matchResponse: { kind: 'ChoiceResponse', groupId: 'x', itemId: 2 }, next: 'chat' },
    chat: { sendRequest: { kind: 'StartChatSession', sessionId: 's', chatText: '<svg><animate onbegin="window.__pwned=14" attributeName="x" dur="1s"/></svg>chat on' } },
    typed: { matchResponse: { kind: 'UserText', sessionId: 's' }, next: 'bye' },
    bye: { sendRequest: { kind: 'EndChatSession', sessionId: 's' } },
  });
  await runtime.dispose();
  runtime = await startWidgetRuntime({ flowJson: flow });

  const pwned = () => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
  await openWidget(page);
  await expect(page.locator('.ba-row--choices').last().locator('.ba-choice')).toHaveText(['One', 'Two']);
  await expect(choices(page).locator('i')).toHaveText('Two');
  await page.locator('.ba-choice').getByText('One').click();
  await expect(botMessages(page).last()).toHaveText('chat on');
  await expect(userMessages(page)).toHaveText(['One']);
  await page.waitForTimeout(300);
  expect(await pwned()).toBeUndefined();

  const checkLog = async () => {
    const log = page.locator('.ba-log');
    await expect(log.locator('img:not(.ba-avatar), script, svg, iframe, style, math, [style], [onclick], [onerror], [onload]')).toHaveCount(0);
    await expect(log.locator('a')).toHaveCount(1);
    const link = log.locator('a');
    await expect(link).toHaveText('safe link');
    await expect(link).toHaveAttribute('href', 'https://example.com/x?a=1');
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    await expect(log.locator('b')).toHaveText('bold');
    await expect(botMessages(page).filter({ hasText: 'js link' })).toHaveCount(1); // unwrapped to text
    await expect(botMessages(page).filter({ hasText: 'entity link' })).toHaveCount(1);
  };
  await checkLog();
  await page.screenshot({ path: join(SHOTS, 'widget-sanitized.png'), animations: 'disabled' });

  await page.reload();
  await page.getByRole('button', { name: 'Open chat' }).click();
  await expect(botMessages(page).last()).toHaveText('chat on');
  await page.waitForTimeout(300);
  await checkLog();
  expect(await pwned()).toBeUndefined();

  // The sanitizer itself, as exposed for tests.
  const results = await page.evaluate(() => {
    const sanitize = (window as unknown as { BotAssistant: { sanitizeHtml(html: string): string } }).BotAssistant.sanitizeHtml;
    return {
      list: sanitize('<ul><li>one</li><li><code>two</code></li></ul><ol><li><em>x</em><u>y</u><strong>z</strong></li></ol>'),
      mailto: sanitize('<a href="mailto:a@example.com" title="t">mail</a>'),
      attrs: sanitize('<p class="c" id="i" data-x="1">para<br>line</p>'),
      unknown: sanitize('<div><span>text</span><h1>head</h1></div>'),
      vbscript: sanitize('<a href="vbscript:msgbox(1)">v</a>'),
      newline: sanitize('<a href=" jav&#10;ascript:alert(1)">n</a>'),
      upper: sanitize('<A HREF="JAVASCRIPT:alert(1)">u</A>'),
      comment: sanitize('a<!-- <img src=x onerror=alert(1)> -->b'),
      form: sanitize('<form><input value="x"><button>btn</button></form>'),
      nonString: sanitize(42 as unknown as string),
    };
  });
  expect(results).toEqual({
    list: '<ul><li>one</li><li><code>two</code></li></ul><ol><li><em>x</em><u>y</u><strong>z</strong></li></ol>',
    mailto: '<a href="mailto:a@example.com" target="_blank" rel="noopener noreferrer">mail</a>',
    attrs: '<p>para<br>line</p>',
    unknown: 'texthead',
    vbscript: 'v',
    newline: 'n',
    upper: 'u',
    comment: 'ab',
    form: 'btn',
    nonString: '42',
  });
  expect(await pwned()).toBeUndefined();
});

test('Error frames, unknown kinds and junk are ignored with a console warning', async ({ page }) => {
  // The production server never sends these on demand: a small scriptable server does.
  const server = await startWidgetTestServer(FLOW, { '/': hostPage('<script src="/widget/assistant.js" defer></script>') });
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  try {
    await openWidget(page, server.url);
    await expect(choices(page)).toHaveCount(3);
    const before = await transcript(page);
    server.push({ kind: 'Error', code: 'not-pending', message: 'nothing to answer' });
    server.push({ kind: 'Mystery', content: 'boo' });
    server.push('not json at all');
    server.push([1, 2]);
    await expect.poll(() => warnings.length).toBeGreaterThanOrEqual(4);
    expect(warnings.join('\n')).toContain('not-pending');
    expect(warnings.join('\n')).toContain('Mystery');
    expect(await transcript(page)).toEqual(before);
    // Still working afterwards.
    await choices(page).getByText('Go').click();
    await expect(botMessages(page).last()).toHaveText('Any other?');
    expect(server.received).toEqual([{ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'go', content: 'Go' }]);
  } finally {
    await server.close();
  }
});

test('when the server goes down the widget shows offline, then reconnects and replays without duplicates', async ({ page }) => {
  await openWidget(page);
  await choices(page).getByText('Rust').click();
  await expect(choices(page)).toHaveText(['Yes', 'No']);
  const before = await transcript(page);

  await runtime.stop();
  const root = page.locator('.bot-assistant');
  await expect(root).toHaveAttribute('data-status', /offline|connecting/);
  await expect(page.locator('.ba-status')).toHaveText(/Offline|Connecting/);
  await expect(choices(page).first()).toBeDisabled();
  await expect(editor(page)).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Restart conversation' })).toBeDisabled();
  await expect(root).toHaveAttribute('data-status', 'offline');
  await page.screenshot({ path: join(SHOTS, 'widget-offline.png'), animations: 'disabled' });
  expect(await transcript(page)).toEqual(before); // the transcript stays while offline

  await runtime.resume();
  await expect(root).toHaveAttribute('data-status', 'online', { timeout: 20_000 });
  await expect(page.locator('.ba-status')).toHaveText('Online');
  await page.waitForTimeout(300);
  expect(await transcript(page)).toEqual(before);
  await expect(choices(page).first()).toBeEnabled();
  await choices(page).getByText('No').click();
  await expect(botMessages(page).last()).toHaveText('Great, thanks!');
});

test('the reset button starts a fresh conversation', async ({ page }) => {
  const sent = framesSent(page);
  await openWidget(page);
  await choices(page).getByText('Go').click();
  await expect(choices(page)).toHaveText(['Yes', 'No']);
  await page.getByRole('button', { name: 'Restart conversation' }).click();
  await expect(choices(page)).toHaveText(['Rust', 'Go', 'Other']);
  await expect(page.locator('.bot-assistant')).toHaveAttribute('data-status', 'online');
  await page.waitForTimeout(300);
  const fresh = [
    "bot: Hi, I'm Bot! Nice to meet you.",
    'bot: What programming language do you use in your hobby projects?',
    'choices: RustGoOther',
  ];
  expect(await transcript(page)).toEqual(fresh);
  expect(sent).toContainEqual({ kind: 'ResetSession' });
  // The fresh session is the one kept: a reload replays it, not the old one.
  await page.reload();
  await page.getByRole('button', { name: 'Open chat' }).click();
  await expect(choices(page)).toHaveText(['Rust', 'Go', 'Other']);
  await page.waitForTimeout(300);
  expect(await transcript(page)).toEqual(fresh);
});

test('says when the conversation has ended and offers Restart in place of the send button', async ({ page }) => {
  await openWidget(page);
  await expect(choices(page)).toHaveText(['Rust', 'Go', 'Other']);
  await page.waitForTimeout(1_000); // longer than the widget's settle time: an open question is no ending
  await expect(editor(page)).toHaveAttribute('placeholder', 'Choose an option');
  await expect(page.getByRole('button', { name: 'Restart', exact: true })).toBeHidden();
  await choices(page).getByText('Go').click();
  await choices(page).getByText('No').click();
  await expect(botMessages(page).last()).toHaveText('Great, thanks!');
  await expect(editor(page)).toHaveAttribute('placeholder', 'Conversation ended');
  await expect(editor(page)).toBeDisabled();
  const restart = page.getByRole('button', { name: 'Restart', exact: true });
  await expect(restart).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send message' })).toBeHidden();
  await page.screenshot({ path: join(SHOTS, 'widget-ended.png'), animations: 'disabled' });
  await restart.click();
  await expect(choices(page)).toHaveText(['Rust', 'Go', 'Other']);
  await expect(editor(page)).toHaveAttribute('placeholder', 'Choose an option');
  await expect(restart).toBeHidden();
  expect(await transcript(page)).toHaveLength(3);
});

test('a second tab of the same session follows live, each answer shown once', async ({ context }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  await openWidget(first);
  await openWidget(second); // same cookie: same session
  await choices(first).getByText('Other').click();
  await expect(botMessages(second).last()).toHaveText('I enabled chat editor');
  await expect(editor(second)).toBeEnabled();
  await editor(first).fill('Elixir');
  await editor(first).press('Enter');
  await expect(choices(second)).toHaveText(['Yes', 'No']);
  await expect(choices(first)).toHaveText(['Yes', 'No']);
  await first.waitForTimeout(300);
  const expected = [
    "bot: Hi, I'm Bot! Nice to meet you.",
    'bot: What programming language do you use in your hobby projects?',
    'user: Other',
    'bot: I enabled chat editor',
    'user: Elixir',
    'bot: Any other?',
    'choices: YesNo',
  ];
  expect(await transcript(first)).toEqual(expected);
  expect(await transcript(second)).toEqual(expected);
});

test('works with the keyboard only', async ({ page }) => {
  await page.goto(runtime.url);
  await expect(page.getByRole('button', { name: 'Open chat' })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Open chat' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Bot Assistant' })).toBeVisible();
  await expect(choices(page)).toHaveCount(3);
  await page.keyboard.press('Tab');
  await expect(choices(page).first()).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Go' })).toBeFocused();
  await page.keyboard.press('Space');
  await expect(userMessages(page)).toHaveText(['Go']);
  // Focus follows the conversation: the next question's first choice.
  await expect(page.getByRole('button', { name: 'Yes' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(botMessages(page).last()).toHaveText('Great, thanks!');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Open chat' })).toBeFocused();
});

test('the socket goes to the server the script came from, or to data-server', async ({ page }) => {
  // The page comes from a third origin; both runtimes allow it.
  const site = await startWidgetHostSite();
  await runtime.dispose();
  runtime = await startWidgetRuntime({ allowedOrigins: [site.origin] });
  const other = await startWidgetRuntime({ allowedOrigins: [site.origin] });
  const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');
  // The article's markup: an existing <div class="assistant"> hosts the widget.
  site.setPage('/derived', hostPage(`<div class="assistant"></div><script src="${runtime.url}widget/assistant.js" defer></script>`));
  site.setPage('/override', hostPage(`<script src="${runtime.url}widget/assistant.js" data-server="${wsUrl(other.url)}" data-title="Help desk" defer></script>`));
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  try {
    await page.goto(`${site.origin}/derived`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await expect(choices(page)).toHaveCount(3);
    expect(sockets).toEqual([wsUrl(runtime.url)]);
    await expect(page.locator('.bot-assistant')).toHaveCount(1);
    await expect(page.locator('div.assistant.bot-assistant .ba-dialog')).toBeVisible();

    await page.goto(`${site.origin}/override`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await expect(page.getByRole('dialog', { name: 'Help desk' })).toBeVisible();
    await expect(page.locator('.ba-title')).toHaveText('Help desk');
    await expect(choices(page)).toHaveCount(3);
    expect(sockets).toEqual([wsUrl(runtime.url), wsUrl(other.url)]);
  } finally {
    await other.dispose();
    await site.close();
  }
});

test('data-open opens at load without taking focus; narrow and dark screens look right', async ({ browser }) => {
  const site = await startWidgetHostSite();
  await runtime.dispose();
  runtime = await startWidgetRuntime({ allowedOrigins: [site.origin] });
  site.setPage('/open', hostPage(`<script src="${runtime.url}widget/assistant.js" data-open="true" defer></script>`));
  const phone = await browser.newContext({ viewport: { width: 375, height: 700 }, colorScheme: 'dark', reducedMotion: 'reduce' });
  const page = await phone.newPage();
  try {
    await page.goto(`${site.origin}/open`);
    await expect(page.getByRole('dialog', { name: 'Bot Assistant' })).toBeVisible();
    await expect(choices(page)).toHaveCount(3);
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
    const box = await page.getByRole('dialog').boundingBox();
    expect(box && [Math.round(box.width), Math.round(box.height)]).toEqual([375, 700]);
    await page.screenshot({ path: join(SHOTS, 'widget-phone-dark.png'), animations: 'disabled' });
  } finally {
    await phone.close();
    await site.close();
  }
});

test('the demo page shows the launcher and looks tidy', async ({ page }) => {
  await page.goto(runtime.url);
  await expect(page.getByRole('heading', { name: 'Bot Assistant' })).toBeVisible();
  const launcher = page.getByRole('button', { name: 'Open chat' });
  await expect(launcher).toBeVisible();
  await expect(page.getByRole('dialog')).toBeHidden();
  const box = await launcher.boundingBox();
  // Bottom-right corner of the 1280x800 viewport.
  expect(box && box.x + box.width).toBeGreaterThan(1200);
  expect(box && box.y + box.height).toBeGreaterThan(740);
  await page.screenshot({ path: join(SHOTS, 'widget-closed.png'), animations: 'disabled' });
});
