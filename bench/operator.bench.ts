/**
 * Operator handoff latency on loopback: `npm run bench:operator`
 * A real runtime (embedded log, fsync on) with the operator service; a signed-in console socket and
 * real widget sockets. For each of 40 visitors, one after another:
 * - handoff: the visitor's "Talk to a person" answer is sent → the console is told the visitor waits
 *   (the answer's and the handoff's records are durable, the service saw them, the console got them);
 * - operator message: the operator's `say` is sent → the visitor's widget socket has the OperatorText.
 * Prints median, p95 and max of each, with the machine's load average.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleClient, testAccounts } from '../runtime/testing/operatorConsole.ts';
import { start } from '../runtime/server/start.ts';
import { WsTestClient } from '../runtime/testing/wsTestClient.ts';

const VISITORS = 40;
const dataDir = mkdtempSync(join(tmpdir(), 'operator-bench-'));
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');

const server = await start({ flowPath: 'state-machines/talk-to-a-person.json', port: 0, dataDir, operators: { accounts: await testAccounts() } });
const console_ = await ConsoleClient.open(server.url, 'sam');
const handoff: number[] = [];
const message: number[] = [];
const loadBefore = load();
try {
  for (let i = 0; i < VISITORS; i++) {
    const visitor = await WsTestClient.connect(server.url);
    await visitor.take(2);
    const sid = visitor.sid!;
    let t0 = performance.now();
    visitor.send({ kind: 'ChoiceResponse', groupId: 'menu', itemId: 'person', content: 'Talk to a person' });
    await console_.conversation(sid, 'waiting');
    handoff.push(performance.now() - t0);
    await visitor.next();
    console_.send({ type: 'claim', sid });
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
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
  return `median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`;
};
console.log(`operator handoff, ${VISITORS} visitors on loopback, embedded log (load average before: ${loadBefore})`);
console.log(`  "Talk to a person" sent → console shows the visitor waiting: ${stats(handoff)}  (target < 200 ms)`);
console.log(`  operator message sent  → widget socket has it:              ${stats(message)}  (target < 100 ms)`);
console.log(`  load average after: ${load()}`);
