/**
 * A load-generator process of the runtime benchmark (forked by LoadGroup): runs its share of the
 * visitors and reports turns, a latency histogram and its own CPU over IPC, so the generator's
 * work is spread over processes and measured apart from the server's.
 */
import { LatencyHistogram } from './LatencyHistogram.ts';
import { openVisitors, type LoadVisitor } from './LoadVisitor.ts';
import type { WorkerCommand, WorkerReport } from './LoadGroup.ts';

const latencies = new LatencyHistogram();
let visitors: LoadVisitor[] = [];
let timers: NodeJS.Timeout[] = [];
let cpuAtReset = process.cpuUsage();
let turnsAtReset = 0;
let progress: NodeJS.Timeout | undefined;

const turns = () => visitors.reduce((n, v) => n + v.turns, 0);
const report = (message: WorkerReport) => process.send!(message);

process.on('message', async (command: WorkerCommand) => {
  switch (command.type) {
    case 'open':
      visitors = await openVisitors(command.url, command.count, latencies, command.mode === 'closed' ? 'closed' : 'manual');
      return report({ type: 'opened' });
    case 'start':
      if (command.mode === 'closed') {
        for (const v of visitors) {
          v.running = true;
          v.answer();
        }
      } else {
        // each visitor answers about once a second, all of them spread evenly over the second
        timers = visitors.map((v, i) =>
          setTimeout(() => {
            v.answer();
            timers[i] = setInterval(() => v.answer(), 1000);
          }, (1000 * (command.firstIndex + i * command.stride)) / command.total),
        );
      }
      progress = setInterval(() => report({ type: 'progress', turns: turns() }), 200);
      return;
    case 'reset':
      latencies.reset();
      turnsAtReset = turns();
      cpuAtReset = process.cpuUsage();
      return report({ type: 'reset' });
    case 'stop': {
      for (const v of visitors) v.running = false;
      for (const timer of timers) clearInterval(timer);
      clearInterval(progress);
      const cpu = process.cpuUsage(cpuAtReset);
      const errors = visitors.reduce((n, v) => n + v.errors, 0);
      return report({ type: 'result', histogram: latencies.toData(), turns: turns() - turnsAtReset, errors, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
    }
    case 'exit':
      for (const v of visitors) v.close();
      process.exit(0);
  }
});
report({ type: 'ready' });
