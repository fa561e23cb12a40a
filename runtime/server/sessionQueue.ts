/**
 * Runs each session's steps one after another (so its records keep their order), while
 * different sessions run concurrently. Holds nothing for idle sessions.
 *
 * A busy session has a list of the tasks waiting behind its running one; a task starts when the
 * one before it settles. (One promise per task: this runs for every turn of every session.)
 */
export class SessionQueue {
  /** per session with a running task: the tasks waiting behind it, in order (NONE: no task waits) */
  private readonly waiting = new Map<string, (() => void)[]>();
  private readonly idleWaiters: (() => void)[] = [];

  /** Run `task` after every task queued before it for `sid`. Resolves or rejects with the task. */
  run<T>(sid: string, task: () => Promise<T>): Promise<T> {
    const queue = this.waiting.get(sid);
    if (!queue) {
      this.waiting.set(sid, NONE);
      return this.start(sid, task);
    }
    return new Promise<T>((resolve, reject) => {
      const waiter = () => void this.start(sid, task).then(resolve, reject);
      if (queue === NONE) this.waiting.set(sid, [waiter]);
      else queue.push(waiter);
    });
  }

  /** Sessions with queued or running work. */
  get size(): number {
    return this.waiting.size;
  }

  /** Resolves once everything queued so far has finished. */
  idle(): Promise<void> {
    if (this.waiting.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private start<T>(sid: string, task: () => Promise<T>): Promise<T> {
    let result: Promise<T>;
    try {
      result = task();
    } catch (error) {
      result = Promise.reject(error);
    }
    result.then(
      () => this.next(sid),
      () => this.next(sid),
    );
    return result;
  }

  /** The running task of `sid` settled: start the next one, or forget the session. */
  private next(sid: string): void {
    const following = this.waiting.get(sid)!.shift();
    if (following) return following();
    this.waiting.delete(sid);
    if (this.waiting.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

/** The queue of a session whose running task has nothing waiting behind it (shared: most turns never queue). */
const NONE: (() => void)[] = [];
