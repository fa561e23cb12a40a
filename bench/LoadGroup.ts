/**
 * The runtime benchmark's load generator spread over forked processes (bench/loadWorker.ts): each
 * runs a share of the visitors; the group merges their turns and latency histograms and adds up
 * their CPU, so the figures say whether the generator, not the server, was the limit.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LatencyHistogram, type HistogramData } from './LatencyHistogram.ts';

const WORKER = fileURLToPath(new URL('./loadWorker.ts', import.meta.url));

export type LoadMode = 'closed' | 'paced';

/** `serve` flags for thousands of generated visitors on one address, each answering at once: no per-client limits. */
export const LOAD_GENERATOR_LIMITS = ['--max-sockets-per-address', '0', '--max-new-sessions-per-minute', '0', '--max-frames-per-second', '1000000', '--frame-burst', '1000000'];

export type WorkerCommand =
  | { type: 'open'; url: string; count: number; mode: LoadMode }
  | { type: 'start'; mode: LoadMode; firstIndex: number; stride: number; total: number }
  | { type: 'reset' }
  | { type: 'stop' }
  | { type: 'exit' };

export type WorkerReport =
  | { type: 'ready' }
  | { type: 'opened' }
  | { type: 'reset' }
  | { type: 'progress'; turns: number }
  | { type: 'result'; histogram: HistogramData; turns: number; errors: number; cpuSeconds: number };

export interface LoadResult {
  latencies: LatencyHistogram;
  turns: number;
  errors: number;
  /** CPU seconds the generator processes used since the last reset */
  cpuSeconds: number;
}

interface Worker {
  child: ChildProcess;
  turns: number;
  next(type: WorkerReport['type']): Promise<WorkerReport>;
}

function startWorker(): Worker {
  const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<string, (report: WorkerReport) => void>();
  const worker: Worker = {
    child,
    turns: 0,
    next: (type) => new Promise((resolve) => waiting.set(type, resolve)),
  };
  child.on('message', (report: WorkerReport) => {
    if (report.type === 'progress') worker.turns = report.turns;
    const resolve = waiting.get(report.type);
    waiting.delete(report.type);
    resolve?.(report);
  });
  return worker;
}

export class LoadGroup {
  private constructor(
    private readonly workers: Worker[],
    private readonly mode: LoadMode,
    private readonly total: number,
  ) {}

  /** Fork `processes` generators and open `sessions` visitors among them (each waits for its first question). */
  static async open(url: string, sessions: number, mode: LoadMode, processes: number): Promise<LoadGroup> {
    const workers = Array.from({ length: processes }, startWorker);
    await Promise.all(workers.map((w) => w.next('ready')));
    const share = (i: number) => Math.floor(sessions / processes) + (i < sessions % processes ? 1 : 0);
    await Promise.all(
      workers.map((w, i) => {
        const opened = w.next('opened');
        w.child.send({ type: 'open', url, count: share(i), mode } satisfies WorkerCommand);
        return opened;
      }),
    );
    return new LoadGroup(workers, mode, sessions);
  }

  /** The process ids of the generators (to read their CPU from outside). */
  get pids(): number[] {
    return this.workers.map((w) => w.child.pid!);
  }

  /** Start answering: closed loop, or paced at about one answer a second per visitor. */
  start(): void {
    const stride = this.workers.length;
    this.workers.forEach((w, i) => w.child.send({ type: 'start', mode: this.mode, firstIndex: i, stride, total: this.total } satisfies WorkerCommand));
  }

  /** Zero the turns, latencies and CPU counted so far (end of a warm-up). */
  async reset(): Promise<void> {
    await Promise.all(
      this.workers.map((w) => {
        const done = w.next('reset');
        w.child.send({ type: 'reset' } satisfies WorkerCommand);
        return done;
      }),
    );
  }

  /** Turns completed so far (as last reported, every 200 ms; not reset by `reset`). */
  get turnsSoFar(): number {
    return this.workers.reduce((n, w) => n + w.turns, 0);
  }

  /** Stop answering and collect what was measured since the last reset. */
  async stop(): Promise<LoadResult> {
    const reports = await Promise.all(
      this.workers.map((w) => {
        const result = w.next('result');
        w.child.send({ type: 'stop' } satisfies WorkerCommand);
        return result;
      }),
    );
    const latencies = new LatencyHistogram();
    let turns = 0;
    let errors = 0;
    let cpuSeconds = 0;
    for (const report of reports) {
      if (report.type !== 'result') continue;
      latencies.add(report.histogram);
      turns += report.turns;
      errors += report.errors;
      cpuSeconds += report.cpuSeconds;
    }
    return { latencies, turns, errors, cpuSeconds };
  }

  /** Close every visitor and end the generator processes. */
  async close(): Promise<void> {
    await Promise.all(
      this.workers.map((w) => {
        const exited = new Promise((resolve) => w.child.once('exit', resolve));
        w.child.send({ type: 'exit' } satisfies WorkerCommand);
        return exited;
      }),
    );
  }
}
