/**
 * Sends to a Fluvio topic one producer call at a time. The native producer of @fluvio/client 0.14.9
 * stops answering when `sendAll`/`flush` calls overlap: on a real 0.18 cluster, 100 sessions
 * appending at once made every flush hang until its timeout, and every later one on a new producer
 * too. So appends that arrive while a send is in flight wait, and go out together in the next
 * `sendAll` + `flush` (also fewer round trips under load, like the embedded log's group commit).
 */
import { withTimeout, type FluvioConnection, type FluvioProducer } from './fluvioClient.ts';

interface Waiting {
  pairs: [string, string][];
  resolve(): void;
  reject(error: unknown): void;
}

export class FluvioProduceQueue {
  private waiting: Waiting[] = [];
  private running = false;
  private producer?: Promise<FluvioProducer>;

  constructor(
    private readonly connection: FluvioConnection,
    private readonly topic: string,
    /** how long one sendAll + flush may take before its appends fail */
    private readonly timeoutMs: number,
  ) {}

  /** Resolves once the cluster acknowledged the `[key, value]` pairs; rejects with the client's error or a timeout. */
  send(pairs: [string, string][]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ pairs, resolve, reject });
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        await withTimeout(this.produce(batch.flatMap((w) => w.pairs)), this.timeoutMs, () => new Error(`no answer within ${this.timeoutMs} ms`));
        for (const w of batch) w.resolve();
      } catch (error) {
        // A producer that failed or hung may be tied to a dead connection: the next batch makes a new one.
        this.producer = undefined;
        for (const w of batch) w.reject(error);
      }
    }
    this.running = false;
  }

  private async produce(pairs: [string, string][]): Promise<void> {
    this.producer ??= this.connection.topicProducer(this.topic);
    const producer = await this.producer;
    await producer.sendAll(pairs);
    await producer.flush();
  }
}
