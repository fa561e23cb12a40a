/**
 * A message stream that keeps nothing and acknowledges every append at once: the runtime with
 * durability taken out, for `npm run bench:runtime closed` to measure what the log costs beside
 * what the rest of a turn costs. Never for serving anyone: a restart loses every conversation.
 *
 * It keeps what the embedded log keeps in memory, each session's summary, and no records, so it
 * cannot replay: reading a session or the stream throws (in a closed-loop run nobody reconnects).
 */
import type { MessageStream, SessionSummary, StoredRecord, StreamRecord } from '../runtime/stream/messageStream.ts';

export class VolatileStream implements MessageStream {
  private next = 0;
  private readonly summaries = new Map<string, SessionSummary>();
  private readonly listeners = new Set<(records: StoredRecord[]) => void>();

  append(records: StreamRecord[]): Promise<number[]> {
    const stored = records.map((record) => ({ offset: this.next++, record }));
    for (const { offset, record } of stored) this.summarize(offset, record);
    // Listeners hear of records after the append resolves, as with the embedded log.
    if (this.listeners.size > 0) queueMicrotask(() => this.listeners.forEach((listener) => listener(stored)));
    return Promise.resolve(stored.map((s) => s.offset));
  }

  private summarize(offset: number, { sid, timestamp }: StreamRecord): void {
    const summary = this.summaries.get(sid);
    if (!summary) this.summaries.set(sid, { sid, count: 1, firstOffset: offset, lastOffset: offset, firstTimestamp: timestamp, lastTimestamp: timestamp });
    else Object.assign(summary, { count: summary.count + 1, lastOffset: offset, lastTimestamp: timestamp });
  }

  hasSession(sid: string): boolean {
    return this.summaries.has(sid);
  }

  readSession(sid: string): AsyncIterable<StoredRecord[]> {
    throw new Error(`the volatile bench stream keeps no records: session ${sid} cannot be read back`);
  }

  read(offset: number): Promise<StoredRecord[]> {
    return Promise.reject(new Error(`the volatile bench stream keeps no records: nothing to read from offset ${offset}`));
  }

  endOffset(): number {
    return this.next;
  }

  subscribe(listener: (records: StoredRecord[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  sessions(): Iterable<SessionSummary> {
    return this.summaries.values();
  }

  async close(): Promise<void> {}
}
