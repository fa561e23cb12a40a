/** Writes to a websocket or to a raw upgrade socket that never throw on a socket already gone. */
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';

/** Send a frame if the socket is still open (a closed one just drops it). */
export function send(ws: WebSocket, frame: string): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(frame);
}

/** Refuse an upgrade with a plain HTTP status, then close the socket. */
export function reject(socket: Duplex, status: number, reason: string): void {
  if (socket.destroyed || !socket.writable) return void socket.destroy();
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length + 1}\r\n\r\n${reason}\n`);
}
