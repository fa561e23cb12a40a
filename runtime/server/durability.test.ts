import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { answerFor } from '../testing/answerFor.ts';
import { spawnServe, whenReady, type ServeProcess } from '../testing/serveProcess.ts';
import { ARTICLE_FLOW } from '../testing/testServer.ts';
import { WsTestClient, type Frame } from '../testing/wsTestClient.ts';

const REQUEST_KINDS = new Set(['BotText', 'ChoiceRequest', 'StartChatSession', 'EndChatSession']);

/** Never ends the conversation ("Any other?" is always yes); otherwise a random language. */
const pick = (count: number, frame: Frame) => (frame.groupId === 'others' ? 0 : Math.floor(Math.random() * count));

describe('durability: kill -9 during a busy run', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('keeps every message a client saw, and every session resumes at its pending question', { timeout: 90_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'bot-durability-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const run = (): ServeProcess => {
      const serve = spawnServe([ARTICLE_FLOW, '--port', '0', '--data-dir', dataDir]);
      cleanups.push(async () => serve.child.kill('SIGKILL'));
      return serve;
    };

    const first = run();
    const url = await whenReady(first);
    const sessions = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const client = await WsTestClient.connect(url);
        const seen: Frame[] = [];
        client.onFrame((frame) => {
          seen.push(frame);
          const answer = answerFor(frame, pick);
          if (answer) client.send(answer);
        });
        return { client, seen };
      }),
    );
    await new Promise((r) => setTimeout(r, 1500));
    first.child.kill('SIGKILL');
    await first.exited;
    await Promise.all(sessions.map(({ client }) => client.whenClosed()));
    const turns = sessions.reduce((n, s) => n + s.seen.length, 0);
    expect(turns).toBeGreaterThan(200);

    const second = run();
    const url2 = await whenReady(second);
    await Promise.all(sessions.map(async ({ client, seen }) => {
      const again = await WsTestClient.connect(url2, { sid: client.sid });
      expect(again.cookieSet).toBe(false);
      // replays run a few at a time, so a session may wait its turn before the first frame
      const replay = await again.drain(300, 20_000);
      const replayedRequests = replay.filter((f) => REQUEST_KINDS.has(f.kind));
      const seenRequests = seen.filter((f) => REQUEST_KINDS.has(f.kind));
      expect(seenRequests.length).toBeGreaterThan(0);
      // everything the client was shown is in the stream, in order
      expect(replayedRequests.slice(0, seenRequests.length)).toEqual(seenRequests);
      // the session waits on its last question, and answering it moves on
      const last = replay.at(-1)!;
      expect(['ChoiceRequest', 'StartChatSession']).toContain(last.kind);
      again.send(answerFor(last, pick));
      expect(REQUEST_KINDS.has((await again.next()).kind)).toBe(true);
      await again.close();
    }));
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
