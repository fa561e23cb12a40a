/**
 * Sends a session's recorded frames to a socket that just connected (a reconnecting widget, or the
 * studio's read-only replay view), chunk by chunk, with the event loop running between chunks and
 * only a few replays reading at a time. Backpressure: before each chunk the replay waits until
 * the socket's unread bytes are at most `maxBufferedBytes`; a socket that stays above it for
 * `slowSocketMs` is closed (CLOSE_SLOW_READER). So a socket that never reads holds at most
 * `maxBufferedBytes` plus one chunk of frames, however long the session.
 */
import type { Duplex } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { WebSocket } from 'ws';
import type { MessageStream, StoredRecord } from '../stream/messageStream.ts';
import { ConcurrencyLimit } from './ConcurrencyLimit.ts';
import { CLOSE_SLOW_READER, DEFAULT_LIMITS, type ConnectionLimits } from './connectionLimits.ts';
import { widgetFrameOf } from './records.ts';
import { closeFirmly } from './socketWrites.ts';

/**
 * History replays reading at once. A replay is CPU work (decode, send) between reads; a few at a
 * time keep the CPU busy while one waits for the disk, and the sessions that are talking wait
 * behind at most a few replay chunks. A replay waiting for its socket to drain holds no slot.
 */
const PARALLEL_REPLAYS = 4;
/** A paused replay looks again at least this often, in case a drain was missed. */
const RECHECK_MS = 250;

export type ReplayLimits = Pick<ConnectionLimits, 'maxBufferedBytes' | 'slowSocketMs'>;

export class HistoryReplayer {
  private readonly replays = new ConcurrencyLimit(PARALLEL_REPLAYS);

  constructor(
    private readonly stream: MessageStream,
    /** records per replay chunk; the event loop runs between chunks */
    private readonly chunkSize = 256,
    private readonly limits: ReplayLimits = DEFAULT_LIMITS,
  ) {}

  /**
   * Sends `sid`'s recorded frames with offsets up to `upto` to `ws`; `tcp` (the socket under `ws`)
   * is corked while a chunk is sent, one write instead of one per frame. Returns the offset of the
   * last record sent (-1 for none); stops early when the socket closes.
   */
  async send(ws: WebSocket, tcp: Duplex, sid: string, upto: number): Promise<number> {
    let through = -1;
    const chunks = this.stream.readSession(sid, { chunkSize: this.chunkSize })[Symbol.asyncIterator]();
    try {
      for (;;) {
        if (!(await this.roomOn(ws, tcp))) return through;
        const sent = await this.replays.run(async () => {
          const next = await chunks.next();
          const result = next.done ? undefined : this.sendChunk(ws, tcp, next.value, upto);
          // The slot is held across a turn of the event loop. Reads mostly complete at once, so a
          // slot handed over without one would let every waiting replay send a chunk before the
          // sessions that are talking run again.
          await yieldToEventLoop();
          return result;
        });
        if (sent === undefined) return through;
        if (sent.through >= 0) through = sent.through;
        if (sent.finished) return through;
      }
    } finally {
      await chunks.return?.();
    }
  }

  private sendChunk(ws: WebSocket, tcp: Duplex, chunk: StoredRecord[], upto: number): { through: number; finished: boolean } {
    let through = -1;
    if (ws.readyState !== WebSocket.OPEN) return { through, finished: true };
    tcp.cork();
    try {
      for (const stored of chunk) {
        if (stored.offset > upto) return { through, finished: true };
        const frame = widgetFrameOf(stored.record);
        if (frame !== undefined) ws.send(frame);
        through = stored.offset;
      }
    } finally {
      tcp.uncork();
    }
    return { through, finished: false };
  }

  /** Wait until `ws` has room for another chunk; false when it closed, or was closed for reading too slowly. */
  private async roomOn(ws: WebSocket, tcp: Duplex): Promise<boolean> {
    const { maxBufferedBytes, slowSocketMs } = this.limits;
    const deadline = Date.now() + slowSocketMs;
    while (ws.readyState === WebSocket.OPEN && ws.bufferedAmount > maxBufferedBytes) {
      const left = deadline - Date.now();
      if (left <= 0) {
        closeFirmly(ws, CLOSE_SLOW_READER, `too slow: ${ws.bufferedAmount} bytes unread for ${Math.round(slowSocketMs / 1000)} s`);
        return false;
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          tcp.off('drain', done);
          ws.off('close', done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, RECHECK_MS));
        tcp.once('drain', done);
        ws.once('close', done);
      });
    }
    return ws.readyState === WebSocket.OPEN;
  }
}
