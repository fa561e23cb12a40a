/**
 * Faults on a real Fluvio cluster (opt-in: FLUVIO_ENDPOINT or a fluvio profile):
 * - a workflow process killed with SIGKILL under load and started again answers every turn exactly once;
 * - the SPU stopped for 10 s under load: clients get `stream-unavailable`, the server stays up, and
 *   service comes back by itself. This one also needs a way to stop and start the SPU:
 *   FLUVIO_SPU_STOP_CMD and FLUVIO_SPU_START_CMD, shell commands run as given (for example
 *   `kill -STOP <spu pid>` / `kill -CONT <spu pid>`, or your own service manager's stop/start).
 */
import { execSync } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { compileFlow, type CompiledFlow } from '../flow/compileFlow.ts';
import { emptyPending } from '../flow/pendingState.ts';
import { stepSession } from '../flow/stepSession.ts';
import { clusterConfigured, clusterSuiteTitle, deleteTestTopics, FluvioTestScope } from '../testing/fluvioTestCluster.ts';
import type { MessageStream, StoredRecord } from '../stream/messageStream.ts';
import { answerFor } from '../testing/answerFor.ts';
import { loadFlowFile } from './loadFlow.ts';
import { spawnServe, whenReady, type ServeProcess } from '../testing/serveProcess.ts';
import { start } from './start.ts';
import { ARTICLE_FLOW } from '../testing/testServer.ts';
import { WsTestClient, type Frame } from '../testing/wsTestClient.ts';

const spuControl = { stop: process.env.FLUVIO_SPU_STOP_CMD, start: process.env.FLUVIO_SPU_START_CMD };
/** "Any other?" is always yes, so conversations never end; otherwise the first choice. */
const keepTalking = (count: number, frame: Frame) => (frame.groupId === 'others' ? 0 : count - 1);

async function historyOf(stream: MessageStream, sid: string): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  for await (const chunk of stream.readSession(sid)) records.push(...chunk);
  return records;
}

/**
 * Checks a session's history against the engine: each event (start marker, answer) is followed by
 * exactly the requests the flow sends for it, once. Returns how many events were answered, and
 * whether the last event is still waiting for its answer.
 */
function checkAnsweredOnce(compiled: CompiledFlow, history: StoredRecord[]): { answered: number; waiting: boolean } {
  let pending = emptyPending();
  let answered = 0;
  let i = 0;
  while (i < history.length) {
    const record = history[i].record;
    expect(record.payload?.kind, `record ${i} of ${record.sid} should be an event`).not.toBe('Request');
    const step = stepSession(compiled, pending, record.payload ? { kind: 'response', response: record.payload.message as { kind: string } } : { kind: 'start' });
    if (!step.ok) throw new Error(`event ${i} of ${record.sid} was not a valid step: ${step.message}`);
    const requests = history.slice(i + 1, i + 1 + step.requests.length).map((stored) => stored.record.payload?.message);
    if (requests.length === 0 && i + 1 === history.length) return { answered, waiting: true };
    expect(requests, `the answer to event ${i} of ${record.sid}`).toEqual(step.requests);
    pending = step.pending;
    answered += 1;
    i += 1 + step.requests.length;
  }
  return { answered, waiting: false };
}

describe.skipIf(!clusterConfigured)(clusterSuiteTitle('faults'), { timeout: 120_000 }, () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(() => deleteTestTopics());
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** `count` clients that answer every question as soon as it arrives. */
  async function talkers(url: string, count: number) {
    return Promise.all(
      Array.from({ length: count }, async () => {
        const client = await WsTestClient.connect(url);
        const seen: Frame[] = [];
        let last: Record<string, unknown> | undefined;
        client.onFrame((frame) => {
          seen.push(frame);
          const answer = answerFor(frame, keepTalking);
          if (answer) client.send((last = answer));
        });
        cleanups.push(() => client.close());
        return { client, seen, retry: () => last && client.send(last) };
      }),
    );
  }

  it('a workflow process killed with SIGKILL under load and started again answers every turn exactly once', async () => {
    const scope = new FluvioTestScope();
    cleanups.push(() => scope.cleanup());
    const compiled = compileFlow((await loadFlowFile(ARTICLE_FLOW)).flow);
    const workflowDir = await scope.dir();
    const runWorkflow = (): ServeProcess => {
      const spawned = spawnServe([ARTICLE_FLOW, '--port', '0', '--stream', 'fluvio', '--role', 'workflow', '--topic', scope.topic, '--data-dir', workflowDir]);
      cleanups.push(async () => spawned.child.kill('SIGKILL'));
      return spawned;
    };
    const proxyStream = await scope.open();
    cleanups.push(() => proxyStream.close());
    const proxy = await start({ flowPath: ARTICLE_FLOW, port: 0, role: 'proxy', stream: proxyStream });
    cleanups.push(() => proxy.close());

    const first = runWorkflow();
    await whenReady(first, 60_000);
    const clients = await talkers(proxy.url, 30);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    first.child.kill('SIGKILL');
    await first.exited;
    const seenAtKill = clients.map((c) => c.seen.length);
    expect(seenAtKill.reduce((a, b) => a + b)).toBeGreaterThan(60);
    // answers keep arriving at the proxy while no workflow runs; they wait in the topic
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const second = runWorkflow();
    await whenReady(second, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));

    for (const [i, { client, seen }] of clients.entries()) {
      // no turn answered twice or lost: each event is followed by its answer, once
      const { answered } = checkAnsweredOnce(compiled, await historyOf(proxyStream, client.sid!));
      // the turn each session was waiting on at the kill was answered by the restarted workflow
      expect(seen.length, `session ${i} went on after the restart`).toBeGreaterThan(seenAtKill[i]);
      expect(answered).toBeGreaterThan(1);
    }
  });

  it.skipIf(!spuControl.stop || !spuControl.start)(
    spuControl.stop && spuControl.start ? 'the SPU stopped for 10 s under load: stream-unavailable frames, the server stays up, service comes back by itself' : 'SPU stop/start: not run, set FLUVIO_SPU_STOP_CMD and FLUVIO_SPU_START_CMD',
    async () => {
      const scope = new FluvioTestScope();
      cleanups.push(() => scope.cleanup());
      const stream = await scope.open({ appendTimeoutMs: 2000 });
      cleanups.push(() => stream.close());
      const server = await start({ flowPath: ARTICLE_FLOW, port: 0, stream });
      cleanups.push(() => server.close());
      const clients = await talkers(server.url, 20);
      await new Promise((resolve) => setTimeout(resolve, 1500));

      execSync(spuControl.stop!, { stdio: 'inherit', shell: '/bin/sh' });
      let restarted = false;
      cleanups.push(async () => restarted || execSync(spuControl.start!, { stdio: 'inherit', shell: '/bin/sh' }));
      const outageStart = Date.now();
      // users retry while the cluster is away; the server answers each with an error frame and stays up,
      // and /healthz answers throughout: 503 with the reason once appends fail (so a load balancer looks elsewhere)
      const healthReasons: string[] = [];
      while (Date.now() - outageStart < 10_000) {
        for (const client of clients) client.retry();
        const health = await fetch(`${server.url}healthz`);
        expect([200, 503]).toContain(health.status);
        const body = (await health.json()) as { status: string; reason?: string };
        if (health.status === 503) healthReasons.push(`${body.status}: ${body.reason}`);
        await new Promise((resolve) => setTimeout(resolve, 2500));
      }
      expect(healthReasons.length).toBeGreaterThan(0);
      expect(healthReasons.at(-1)).toMatch(/^failing: fluvio: /);
      const unavailable = clients.filter((c) => c.seen.some((frame) => frame.kind === 'Error' && frame.code === 'stream-unavailable'));
      expect(unavailable.length).toBeGreaterThan(0);
      execSync(spuControl.start!, { stdio: 'inherit', shell: '/bin/sh' });
      restarted = true;

      // service comes back by itself: a retried answer gets the next question
      const backBy = Date.now() + 60_000;
      const resumed = new Set<number>();
      while (resumed.size < clients.length && Date.now() < backBy) {
        const counts = clients.map((c) => c.seen.length);
        for (const [i, client] of clients.entries()) if (!resumed.has(i)) client.retry();
        await new Promise((resolve) => setTimeout(resolve, 2000));
        clients.forEach((c, i) => {
          if (c.seen.slice(counts[i]).some((frame) => frame.kind === 'ChoiceRequest' || frame.kind === 'StartChatSession')) resumed.add(i);
        });
      }
      expect(resumed.size).toBe(clients.length);
      expect((await fetch(`${server.url}healthz`)).status).toBe(200);
    },
  );
});
