/**
 * Follows one partition of a Fluvio topic from an absolute offset, for as long as it runs: when the
 * stream fails (the SPU went away, the connection dropped) it says so once and starts a new stream
 * where it stopped, so service comes back by itself when the cluster does. The client gives records
 * without their offset, so it counts from where it started.
 */
import type { ConsumedRecord, FluvioClientModule, FluvioConnection } from './fluvioClient.ts';
import { sleep } from './fluvioClient.ts';
import { fluvioErrorText } from './describeFluvioError.ts';
import type { StreamLogger } from './messageStream.ts';

const RETRY_MS = [200, 500, 1000, 2000];

export class PartitionFollower {
  private stopped = false;
  private iterator?: AsyncIterator<ConsumedRecord>;
  private running?: Promise<void>;
  /** the last failure, until records flow again */
  failure?: string;

  constructor(
    private readonly connection: FluvioConnection,
    private readonly Offset: FluvioClientModule['Offset'],
    private readonly topic: string,
    readonly partition: number,
    /** Fluvio offset of the next record to deliver */
    public next: number,
    /** takes one record; a promise it returns means "too many waiting to be stored": the next read waits for it */
    private readonly deliver: (partition: number, offset: number, text: string) => Promise<void> | undefined,
    private readonly logger: StreamLogger,
  ) {}

  start(): void {
    this.running ??= this.run();
  }

  private async run(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        const consumer = await this.connection.partitionConsumer(this.topic, this.partition);
        const records = await consumer.createStream(new this.Offset({ index: this.next, from: 'beginning' }));
        if (this.stopped) break;
        this.iterator = records[Symbol.asyncIterator]();
        for (;;) {
          const item = await this.iterator.next();
          if (item.done || this.stopped) break;
          if (this.failure) {
            this.logger.info(`fluvio: consuming partition ${this.partition} of ${this.topic} again from offset ${this.next}`);
            this.failure = undefined;
          }
          attempt = 0;
          const offset = this.next++;
          const full = this.deliver(this.partition, offset, item.value.valueString());
          if (full) await full;
        }
        if (this.stopped) break;
        throw new Error('the stream ended');
      } catch (error) {
        if (this.stopped) break;
        const text = fluvioErrorText(error);
        if (this.failure === undefined) this.logger.warn(`fluvio: consuming partition ${this.partition} of ${this.topic} stopped at offset ${this.next} (${text}); retrying`);
        this.failure = text;
        await sleep(RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]);
      }
    }
  }

  /** Stops following; resolves once the stream is released. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.iterator?.return?.().catch(() => {});
  }
}
