/**
 * Runs each session's steps one after another (so its records keep their order), while
 * different sessions run concurrently. Holds nothing for idle sessions.
 */
export class SessionQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Run `task` after every task queued before it for `sid`. Resolves or rejects with the task. */
  run<T>(sid: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(sid);
    const result = previous ? previous.then(task, task) : task();
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(sid, tail);
    void tail.then(() => {
      if (this.tails.get(sid) === tail) this.tails.delete(sid);
    });
    return result;
  }

  /** Sessions with queued or running work. */
  get size(): number {
    return this.tails.size;
  }

  /** Resolves once everything queued so far has finished. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
