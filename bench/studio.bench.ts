/**
 * Studio benchmark (npm run bench:studio): a generated 2,000-state flow in real Chromium.
 * Prints: time to open until the canvas is interactive; time for one rename to show on the
 * canvas and in the JSON; frame times (requestAnimationFrame deltas) while dragging a node.
 * Figures on a shared machine are noisy: compare runs on the same machine.
 */
import { chromium } from '@playwright/test';
import { startStudioServer } from '../e2e/support/studioServer.ts';

const STATES = 2000;

/** A flow of `count` states: rounds of message → question (2 choices) → one answer per choice. */
function generateFlow(count: number): string {
  const flow: Record<string, unknown> = {};
  let i = 0;
  while (Object.keys(flow).length < count) {
    const round = i++;
    flow[`say${round}`] = { sendRequest: { kind: 'BotText', content: `Message number ${round}` }, next: `ask${round}` };
    flow[`ask${round}`] = {
      sendRequest: { kind: 'ChoiceRequest', groupId: `g${round}`, question: `Question ${round}?`, choices: [{ itemId: 'a', content: 'A' }, { itemId: 'b', content: 'B' }] },
    };
    flow[`ans${round}a`] = { matchResponse: { kind: 'ChoiceResponse', groupId: `g${round}`, itemId: 'a' }, next: `say${round + 1}` };
    flow[`ans${round}b`] = { matchResponse: { kind: 'ChoiceResponse', groupId: `g${round}`, itemId: 'b' }, next: `say${round + 1}` };
  }
  const names = Object.keys(flow).slice(0, count);
  const trimmed = Object.fromEntries(names.map((n) => [n, flow[n]]));
  return `${JSON.stringify(trimmed, null, 4)}\n`;
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1], n: sorted.length };
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

const server = await startStudioServer({ files: { 'big.json': generateFlow(STATES) } });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url);
  await page.getByRole('button', { name: 'big.json' }).waitFor();

  // 1. open until interactive: the first state is on the canvas and a click selects it
  const openStart = Date.now();
  await page.getByRole('button', { name: 'big.json' }).click();
  const first = page.locator('.react-flow__node[data-id="say0"] .state-node__name');
  await first.waitFor();
  await first.click();
  await page.locator('#f-name').waitFor();
  const openMs = Date.now() - openStart;

  // 2. one rename until the canvas and the JSON show it
  await page.locator('.monaco-editor .view-lines').waitFor();
  await page.waitForFunction(() => !document.querySelector('button[aria-label="Auto-layout"]')?.hasAttribute('disabled'), null, { timeout: 120_000 });
  await page.locator('.react-flow__node[data-id="say0"] .state-node__name').click();
  await page.locator('#f-name').fill('welcome0');
  // (scripts are strings: tsx's name helpers do not exist inside the page)
  const renameMs = await page.evaluate<number>(`new Promise((resolve) => {
    const input = document.querySelector('#f-name');
    const start = performance.now();
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    const check = () => {
      const onCanvas = document.querySelector('.react-flow__node[data-id="welcome0"]');
      const inJson = document.querySelector('.json-pane .view-lines')?.textContent?.includes('"welcome0"');
      if (onCanvas && inJson) resolve(performance.now() - start);
      else requestAnimationFrame(check);
    };
    check();
  })`);

  // 3. drag a node across the canvas, recording frame times
  const target = page.locator('.react-flow__node[data-id="ask0"] .state-node__name');
  const box = (await target.boundingBox())!;
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await page.mouse.move(box.x + 20, box.y + 5);
  await page.mouse.down();
  for (let i = 1; i <= 90; i++) await page.mouse.move(box.x + 20 + i * 4, box.y + 5 + i * 2);
  await page.mouse.up();
  const frames = await page.evaluate<number[]>(`(() => {
    window.__recording = false;
    return window.__frames.slice(1);
  })()`);
  const f = stats(frames);

  console.log(`studio bench (${STATES} states, Chromium headless, noisy shared machine)`);
  console.log(`  open until interactive: ${ms(openMs)}`);
  console.log(`  rename shown on canvas + JSON: ${ms(renameMs)}`);
  console.log(`  drag frame time: median ${ms(f.median)}, p95 ${ms(f.p95)}, max ${ms(f.max)} over ${f.n} frames`);
} finally {
  await browser.close();
  await server.close();
}
