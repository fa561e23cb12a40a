/**
 * Runs at most `limit` tasks at once; later ones wait their turn in arrival order. History replays
 * and session-state rebuilds each run behind one, so a crowd of reconnecting tabs cannot take the
 * event loop from the sessions that are talking. A freed slot passes to the next task at once (in
 * the same microtask drain), so a task that should let the event loop run before the next one
 * starts must yield inside itself, not after `run` returns.
 */
export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`ConcurrencyLimit: limit must be a positive integer, got ${limit}`);
  }

  /** Run `task` once fewer than `limit` tasks are running; settles as the task does. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next task, so a newcomer cannot jump the queue.
      if (next) next();
      else this.running--;
    }
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }
}
