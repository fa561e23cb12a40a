/**
 * Read-only views of recorded sessions, for the studio's replay (`/preview-socket?replay=SID&upto=N`):
 * the session's frames through offset `upto`, sent exactly as a reconnect replays them, then
 * nothing. A view joins no session (no cookie, no live records, no restart); every frame it sends
 * is refused and nothing is recorded.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { MessageStream } from '../../stream/messageStream.ts';
import { errorFrame } from '../frames.ts';
import type { HistoryReplayer } from '../historyReplayer.ts';
import { describeError } from '../../describeError.ts';
import type { Logger } from '../logger.ts';
import { closeAll, send } from '../socketWrites.ts';

/** A widget frame sent to a replay view is refused with this error code. */
export const REPLAY_READ_ONLY = 'replay-read-only';

export class ReplayViews {
  private readonly wss: WebSocketServer;
  private readonly views = new Set<WebSocket>();

  constructor(
    private readonly stream: MessageStream,
    private readonly history: HistoryReplayer,
    private readonly logger: Logger,
    maxFrameBytes: number,
  ) {
    this.wss = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false, maxPayload: maxFrameBytes });
  }

  /** Upgrade `req` (already checked for path and Origin) to a view of `sid` through offset `upto`. */
  open(req: IncomingMessage, socket: Duplex, head: Buffer, sid: string, upto: number): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.show(ws, socket, sid, upto));
  }

  /** Close every view (1001). */
  async close(): Promise<void> {
    await closeAll([...this.views]);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private show(ws: WebSocket, tcp: Duplex, sid: string, upto: number): void {
    this.views.add(ws);
    ws.on('close', () => this.views.delete(ws));
    ws.on('error', (error) => this.logger.warn(`replay ${sid.slice(0, 8)}: ${error.message}`));
    ws.on('message', () => send(ws, errorFrame(REPLAY_READ_ONLY, 'This is a replay of a recorded session: it is read-only. Go back to the live preview to talk to the bot.')));
    if (!this.stream.hasSession(sid)) {
      send(ws, errorFrame('replay-unknown-session', `No recorded session has the id ${JSON.stringify(sid)}.`));
      return;
    }
    void this.history.send(ws, tcp, sid, upto).catch((error: unknown) => {
      this.logger.error(`replay ${sid.slice(0, 8)}: ${describeError(error)}`);
      send(ws, errorFrame('stream-unavailable', 'The conversation history could not be read: reload to try again.'));
    });
  }
}
