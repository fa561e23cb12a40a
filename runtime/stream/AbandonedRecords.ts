/**
 * Records whose append was reported as failed (the produce timed out or errored, or they did not come
 * back in time) but that the cluster may still take later: Fluvio's producer keeps what it buffered.
 * The caller told its visitor the turn failed and may retry it, so if one of them lands after all, the
 * stream drops it instead of caching and delivering it: no turn answered twice, none shown that the
 * visitor was told was lost. Keyed by the record's JSON text (sid + timestamp to the millisecond +
 * payload), counted, and forgotten after a while so a record that never lands does not stay forever.
 */
const KEEP_MS = 10 * 60_000;

export class AbandonedRecords {
  private readonly texts = new Map<string, { count: number; since: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  add(text: string): void {
    const now = this.now();
    for (const [key, entry] of this.texts) if (now - entry.since > KEEP_MS) this.texts.delete(key);
    const entry = this.texts.get(text);
    if (entry) entry.count += 1;
    else this.texts.set(text, { count: 1, since: now });
  }

  /** True (and forgets one) when `text` is an abandoned record's. */
  take(text: string): boolean {
    const entry = this.texts.get(text);
    if (!entry) return false;
    if (--entry.count === 0) this.texts.delete(text);
    return true;
  }

  get size(): number {
    return this.texts.size;
  }
}
