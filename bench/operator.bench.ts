/**
 * Operator handoff latency on loopback: `npm run bench:operator [-- --stream fluvio]`
 * A real runtime (embedded log, fsync on) with the operator service; a signed-in console socket and
 * real widget sockets. With `--stream fluvio` (FLUVIO_ENDPOINT or a fluvio profile): three real
 * `serve` processes on a fresh topic (deleted after), workflow, proxy (the visitors' sockets) and
 * operator (the console), talking only through the cluster. For each of 40 visitors, one after another:
 * - handoff: the visitor's "Talk to a person" answer is sent → the console is told the visitor waits
 *   (the answer's and the handoff's records are durable, the service saw them, the console got them);
 * - operator message: the operator's `say` is sent → the visitor's widget socket has the OperatorText.
 * Prints median, p95 and max of each, with the machine's load average.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleClient, testAccounts } from '../runtime/testing/operatorConsole.ts';
import { spawnServe, whenReady } from '../runtime/testing/serveProcess.ts';
import { start } from '../runtime/server/start.ts';
import { WsTestClient } from '../runtime/testing/wsTestClient.ts';
import { FluvioTestScope } from '../runtime/testing/fluvioTestCluster.ts';

const VISITORS = 40;
const FLOW = 'state-machines/talk-to-a-person.json';
const streamAt = process.argv.indexOf('--stream');
const fluvio = streamAt >= 0 && process.argv[streamAt + 1] === 'fluvio';
if (streamAt >= 0 && !fluvio && process.argv[streamAt + 1] !== 'embedded') throw new Error(`--stream must be embedded or fluvio, got ${process.argv[streamAt + 1]}`);
const dataDir = mkdtempSync(join(tmpdir(), 'operator-bench-'));
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');

/** Where visitors connect and where the console is, and how to stop it all. */
async function startRuntime(): Promise<{ visitorUrl: string; operatorUrl: string; stop: () => Promise<void> }> {
  const accounts = await testAccounts();
  if (!fluvio) {
    const server = await start({ flowPath: FLOW, port: 0, dataDir, operators: { accounts } });
    return { visitorUrl: server.url, operatorUrl: server.url, stop: () => server.close() };
  }
  const scope = new FluvioTestScope();
  const accountsFile = join(dataDir, 'operators.json');
  writeFileSync(accountsFile, JSON.stringify({ operators: accounts }));
  const children: ReturnType<typeof spawnServe>[] = [];
  const stop = async () => {
    for (const child of children) child.child.kill('SIGTERM');
    await Promise.all(children.map((child) => child.exited));
    await scope.cleanup();
  };
  try {
    const urls: string[] = [];
    for (const role of ['workflow', 'proxy', 'operator']) {
      const extra = role === 'operator' ? ['--operators', accountsFile] : [];
      const child = spawnServe([FLOW, '--port', '0', '--stream', 'fluvio', '--topic', scope.topic, '--data-dir', join(dataDir, role), '--role', role, ...extra]);
      children.push(child);
      urls.push(await whenReady(child, 60_000));
    }
    return { visitorUrl: urls[1], operatorUrl: urls[2], stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

const runtime = await startRuntime();
const console_ = await ConsoleClient.open(runtime.operatorUrl, 'sam');
const handoff: number[] = [];
const message: number[] = [];
const loadBefore = load();
try {
  for (let i = 0; i < VISITORS; i++) {
    const visitor = await WsTestClient.connect(runtime.visitorUrl);
    await visitor.take(2);
    const sid = visitor.sid!;
    let t0 = performance.now();
    visitor.send({ kind: 'ChoiceResponse', groupId: 'menu', itemId: 'person', content: 'Talk to a person' });
    await console_.conversation(sid, 'waiting');
    handoff.push(performance.now() - t0);
    await visitor.next();
    console_.send({ type: 'claim', sid });
    await console_.until((m) => m.action === 'claim' && m.sid === sid);
    await visitor.next();
    t0 = performance.now();
    console_.send({ type: 'say', sid, text: `Hello visitor ${i}, I'm Sam` });
    const frame = await visitor.next();
    message.push(performance.now() - t0);
    if (frame.kind !== 'OperatorText') throw new Error(`expected OperatorText, got ${JSON.stringify(frame)}`);
    console_.send({ type: 'release', sid, resume: { end: true } });
    await visitor.next();
    await visitor.close();
  }
} finally {
  await console_.close();
  await runtime.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
  return `median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`;
};
const where = fluvio ? 'Fluvio, workflow/proxy/operator as 3 processes' : 'embedded log, one process';
console.log(`operator handoff, ${VISITORS} visitors on loopback, ${where} (load average before: ${loadBefore})`);
console.log(`  "Talk to a person" sent → console shows the visitor waiting: ${stats(handoff)}  (target < 200 ms)`);
console.log(`  operator message sent  → widget socket has it:              ${stats(message)}  (target < 100 ms)`);
console.log(`  load average after: ${load()}`);
