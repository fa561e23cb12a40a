/**
 * Latencies of a load run, in fixed 10 µs buckets up to 10 s (slower ones fall in the last bucket;
 * the exact maximum is kept apart). Memory stays flat however many turns run, and histograms from
 * several generator processes merge by adding counts.
 */
const BUCKET_MS = 0.01;
const BUCKETS = 1_000_000;

/** A histogram as it travels between processes: the non-empty buckets only. */
export interface HistogramData {
  buckets: [index: number, count: number][];
  max: number;
}

export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  max = 0;

  record(ms: number): void {
    this.counts[Math.min(BUCKETS - 1, Math.floor(ms / BUCKET_MS))]++;
    this.count++;
    if (ms > this.max) this.max = ms;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.max = 0;
  }

  toData(): HistogramData {
    const buckets: [number, number][] = [];
    for (let i = 0; i < BUCKETS; i++) if (this.counts[i] > 0) buckets.push([i, this.counts[i]]);
    return { buckets, max: this.max };
  }

  add(data: HistogramData): void {
    for (const [index, count] of data.buckets) {
      this.counts[index] += count;
      this.count += count;
    }
    if (data.max > this.max) this.max = data.max;
  }

  /** The latency (ms, upper edge of its bucket, capped at the maximum) below which a fraction `p` of turns fall. */
  percentile(p: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(p * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(this.max, (i + 1) * BUCKET_MS);
    }
    return this.max;
  }
}
