import { describe, expect, it } from 'vitest';
import { SessionQueue } from './sessionQueue.ts';

/** A task that records its start and finishes when `finish` is called. */
function gate(log: string[], name: string) {
  let finish!: (value: string) => void;
  let fail!: (error: Error) => void;
  const done = new Promise<string>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const task = () => {
    log.push(`start ${name}`);
    return done;
  };
  return { task, finish: () => finish(name), fail: (message: string) => fail(new Error(message)) };
}

describe('SessionQueue', () => {
  it("runs a session's tasks one after another in order, and other sessions' tasks meanwhile", async () => {
    const queue = new SessionQueue();
    const log: string[] = [];
    const a1 = gate(log, 'a1');
    const a2 = gate(log, 'a2');
    const b1 = gate(log, 'b1');
    const first = queue.run('a', a1.task);
    const second = queue.run('a', a2.task);
    const other = queue.run('b', b1.task);
    expect(log).toEqual(['start a1', 'start b1']);
    expect(queue.size).toBe(2);
    b1.finish();
    await expect(other).resolves.toBe('b1');
    expect(log).toEqual(['start a1', 'start b1']);
    a1.finish();
    await expect(first).resolves.toBe('a1');
    await Promise.resolve();
    expect(log).toEqual(['start a1', 'start b1', 'start a2']);
    a2.finish();
    await expect(second).resolves.toBe('a2');
    await queue.idle();
    expect(queue.size).toBe(0);
  });

  it('goes on after a task that rejects or throws, and hands each caller its own outcome', async () => {
    const queue = new SessionQueue();
    const log: string[] = [];
    const failing = gate(log, 'x');
    const rejected = queue.run('a', failing.task);
    const thrown = queue.run('a', () => {
      throw new Error('thrown at once');
    });
    const after = queue.run('a', async () => 'after');
    failing.fail('disk full');
    await expect(rejected).rejects.toThrow('disk full');
    await expect(thrown).rejects.toThrow('thrown at once');
    await expect(after).resolves.toBe('after');
  });

  it('idle() waits for the queued tasks, including ones queued while it waits', async () => {
    const queue = new SessionQueue();
    await queue.idle();
    const log: string[] = [];
    const a1 = gate(log, 'a1');
    void queue.run('a', a1.task);
    let idle = false;
    const waiting = queue.idle().then(() => (idle = true));
    const a2 = gate(log, 'a2');
    void queue.run('a', a2.task);
    a1.finish();
    await new Promise((r) => setTimeout(r, 5));
    expect(idle).toBe(false);
    a2.finish();
    await waiting;
    expect(log).toEqual(['start a1', 'start a2']);
  });
});
