/**
 * Sends a session's recorded frames to a socket that just connected (a reconnecting widget, or the
 * studio's read-only replay view), chunk by chunk, with the event loop running between chunks and
 * only a few replays at a time.
 */
import type { Duplex } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { WebSocket } from 'ws';
import type { MessageStream } from '../stream/MessageStream.ts';
import { ConcurrencyLimit } from './ConcurrencyLimit.ts';
import { widgetFrameOf } from './records.ts';

/**
 * History replays running at once. A replay is CPU work (decode, send) between reads; a few at a
 * time keep the CPU busy while one waits for the disk, and the sessions that are talking wait
 * behind at most a few replay chunks.
 */
const PARALLEL_REPLAYS = 4;

export class HistoryReplayer {
  private readonly replays = new ConcurrencyLimit(PARALLEL_REPLAYS);

  constructor(
    private readonly stream: MessageStream,
    /** records per replay chunk; the event loop runs between chunks */
    private readonly chunkSize = 256,
  ) {}

  /**
   * Sends `sid`'s recorded frames with offsets up to `upto` to `ws` once a replay slot is free;
   * `tcp` (the socket under `ws`) is corked while a chunk is sent, one write instead of one per
   * frame. Returns the offset of the last record read (-1 for none).
   */
  send(ws: WebSocket, tcp: Duplex | undefined, sid: string, upto: number): Promise<number> {
    return this.replays.run(async () => {
      let through = -1;
      for await (const chunk of this.stream.readSession(sid, { chunkSize: this.chunkSize })) {
        if (ws.readyState !== WebSocket.OPEN) break;
        tcp?.cork();
        try {
          for (const stored of chunk) {
            if (stored.offset > upto) return through;
            const frame = widgetFrameOf(stored.record);
            if (frame !== undefined) ws.send(frame);
            through = stored.offset;
          }
        } finally {
          tcp?.uncork();
        }
        await yieldToEventLoop();
      }
      return through;
    });
  }
}
