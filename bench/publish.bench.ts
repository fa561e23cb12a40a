/**
 * Publishing figures: `npm run bench:publish`
 * A real `serve` (child process, embedded log, publish token) and 200 live sessions walking the
 * article's flow in a closed loop. Each round runs the same load twice, 3 s each: once quiet and
 * once with a publish of a changed version in the middle, and prints
 * - publish → first new session greeted with the new version (target < 200 ms on loopback),
 * - the live sessions' turn p99 with and without the publish (same round, same machine).
 * Median of 3 rounds; the load average is printed because this machine is shared.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { callPublishApi, type PublishServer } from '../runtime/server/publish/publishClient.ts';
import { spawnServe, whenReady } from '../runtime/testing/serveProcess.ts';
import { WsTestClient } from '../runtime/testing/wsTestClient.ts';
import { LatencyHistogram } from './LatencyHistogram.ts';

const SESSIONS = 200;
const PHASE_MS = 3000;
const ROUNDS = 3;
const TOKEN = 'bench-publish-token-0123456789abcdef';
const article = readFileSync(new URL('../state-machines/bot-assistant.json', import.meta.url), 'utf8');

/** One visitor's next answer for a frame of the article's flow (rust, then "yes, another" forever). */
function answerTo(frame: { kind: string; groupId?: unknown }): object | undefined {
  if (frame.kind !== 'ChoiceRequest') return undefined;
  return frame.groupId === 'lang' ? { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' } : { kind: 'ChoiceResponse', groupId: frame.groupId, itemId: 'yes', content: 'Yes' };
}

/** Run the closed loop for `ms`; `during` runs halfway. Returns the turn latencies. */
async function closedLoop(url: string, ms: number, during?: () => Promise<void>): Promise<LatencyHistogram> {
  const histogram = new LatencyHistogram();
  const clients = await Promise.all(Array.from({ length: SESSIONS }, () => WsTestClient.connect(url)));
  let running = true;
  let dropped = 0;
  const loops = clients.map(async (client) => {
    let sentAt = 0;
    while (running) {
      const frame = await client.next(10_000);
      const answer = answerTo(frame);
      if (!answer) continue;
      if (sentAt > 0) histogram.record(performance.now() - sentAt);
      sentAt = performance.now();
      client.send(answer);
    }
  }).map((loop) => loop.catch(() => {
    if (running) dropped++; // a socket lost mid-run (closing at the end is expected)
  }));
  const midway = new Promise<void>((resolve) => setTimeout(resolve, ms / 2)).then(() => during?.());
  await new Promise((resolve) => setTimeout(resolve, ms));
  await midway;
  running = false;
  await Promise.all(clients.map((client) => client.close()));
  await Promise.all(loops);
  if (dropped > 0) console.log(`  ${dropped} of ${SESSIONS} sockets were lost during the run`);
  return histogram;
}

/** Publish `text`, then open sessions until one is greeted with `greeting`; ms from the publish request. */
async function publishToFirstGreeting(server: PublishServer, url: string, text: string, greeting: string): Promise<number> {
  const t0 = performance.now();
  await callPublishApi(server, 'POST', 'publish', text);
  for (;;) {
    const client = await WsTestClient.connect(url);
    const first = await client.next(10_000);
    await client.close();
    if (first.content === greeting) return performance.now() - t0;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const dir = mkdtempSync(join(tmpdir(), 'bench-publish-'));
writeFileSync(join(dir, 'token'), TOKEN);
writeFileSync(join(dir, 'bot.json'), article);
const serve = spawnServe([join(dir, 'bot.json'), '--port', '0', '--data-dir', join(dir, 'data'), '--publish-token-file', join(dir, 'token'),
  // every simulated visitor shares 127.0.0.1 and answers at once: the per-client limits are for real visitors
  '--max-new-sessions-per-minute', '0', '--max-sockets-per-address', '0', '--max-frames-per-second', '100000', '--frame-burst', '100000']);
try {
  const url = await whenReady(serve);
  const server: PublishServer = { url, token: TOKEN, publisher: 'bench' };
  const rounds: { toGreeting: number; quietP99: number; publishP99: number; turns: number }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const greeting = `Hi, I'm Bot (round ${round})!`;
    const quiet = await closedLoop(url, PHASE_MS);
    let toGreeting = 0;
    const withPublish = await closedLoop(url, PHASE_MS, async () => {
      toGreeting = await publishToFirstGreeting(server, url, article.replace("Hi, I'm Bot! Nice to meet you.", greeting), greeting);
    });
    rounds.push({ toGreeting, quietP99: quiet.percentile(0.99), publishP99: withPublish.percentile(0.99), turns: withPublish.count });
    console.log(
      `round ${round}: publish → first new session greeted ${toGreeting.toFixed(1)} ms; ` +
        `live p99 ${withPublish.percentile(0.99).toFixed(2)} ms with the publish vs ${quiet.percentile(0.99).toFixed(2)} ms without ` +
        `(${withPublish.count} / ${quiet.count} turns; load ${loadavg()[0].toFixed(1)})`,
    );
  }
  const toGreeting = median(rounds.map((r) => r.toGreeting));
  console.log(
    `\nmedian of ${ROUNDS}: publish → first new session ${toGreeting.toFixed(1)} ms (target < 200: ${toGreeting < 200 ? 'PASS' : 'MISS'}); ` +
      `${SESSIONS} live sessions' p99 ${median(rounds.map((r) => r.publishP99)).toFixed(2)} ms with a publish vs ${median(rounds.map((r) => r.quietP99)).toFixed(2)} ms without`,
  );
} finally {
  serve.child.kill('SIGTERM');
  await serve.exited;
  rmSync(dir, { recursive: true, force: true });
}
