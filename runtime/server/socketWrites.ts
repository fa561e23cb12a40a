/** Writes to a websocket or to a raw upgrade socket that never throw on a socket already gone. */
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import { SESSION_RESET_FRAME } from './frames.ts';

/** Send a frame if the socket is still open (a closed one just drops it). */
export function send(ws: WebSocket, frame: string): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(frame);
}

/** Run `write` with the sockets corked: the frames it sends leave in one write per socket. */
export function corked(sockets: Duplex[], write: () => void): void {
  for (const socket of sockets) socket.cork();
  try {
    write();
  } finally {
    for (const socket of sockets) socket.uncork();
  }
}

/** Tell a reset session's sockets (SessionReset) and close them; the widget reconnects to a new session. */
export function closeForReset(sockets: WebSocket[]): void {
  for (const ws of sockets) {
    send(ws, SESSION_RESET_FRAME);
    ws.close(1000, 'session reset');
  }
}

/** Refuse an upgrade with a plain HTTP status, then close the socket. */
export function reject(socket: Duplex, status: number, reason: string, headers: Record<string, string> = {}): void {
  if (socket.destroyed || !socket.writable) return void socket.destroy();
  socket.once('finish', () => socket.destroy());
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n${extra}Content-Type: text/plain\r\nContent-Length: ${reason.length + 1}\r\n\r\n${reason}\n`);
}

/**
 * Close with `code` and `reason`; a peer that doesn't answer the close (one that reads nothing)
 * is cut off after a second, so its unread bytes leave memory.
 */
export function closeFirmly(ws: WebSocket, code: number, reason: string): void {
  if (ws.readyState === WebSocket.CLOSED) return;
  if (ws.readyState !== WebSocket.CLOSING) ws.close(code, reason);
  setTimeout(() => {
    if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
  }, 1000).unref();
}

/** Close every socket (1001) and wait for them, at most a second; the ones still open are cut off. */
export async function closeAll(sockets: WebSocket[]): Promise<void> {
  const closed = Promise.all(sockets.map((ws) => new Promise<void>((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve() : ws.once('close', () => resolve())))));
  for (const ws of sockets) ws.close(1001, 'server shutting down');
  await Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, 1000).unref())]);
  for (const ws of sockets) if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
}
