/**
 * Connects the channels of `ipcChannels.ts` to the main process: every message must come from the
 * studio page and every argument passes its validator before a handler runs.
 */
import { INVOKE_CHANNELS, SEND_CHANNELS } from './ipcChannels.ts';
import type { InvokeHandlers, InvokeMethod, PathPlatform } from './ipcChannels.ts';
import { describeError } from '../runtime/describeError.ts';

/** What Electron tells a handler about the sender. */
export interface IpcSenderEvent {
  senderFrame: { url: string } | null;
}

/** The part of Electron's ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcSenderEvent, ...args: unknown[]) => unknown): void;
  on(channel: string, listener: (event: IpcSenderEvent, ...args: unknown[]) => void): unknown;
}

export interface IpcHandlerOptions {
  handlers: InvokeHandlers;
  setDirty(dirty: boolean): void;
  platform: PathPlatform;
  /** True for the studio page's URL; anything else (a preview frame, a stray page) is refused. */
  isTrustedSender(url: string): boolean;
  warn(message: string): void;
}

/** Registers every invoke and send channel on `ipcMain`. */
export function registerIpcHandlers(ipcMain: IpcMainLike, options: IpcHandlerOptions): void {
  const senderUrl = (event: IpcSenderEvent): string => event.senderFrame?.url ?? '(unknown sender)';

  for (const method of Object.keys(INVOKE_CHANNELS) as InvokeMethod[]) {
    const spec = INVOKE_CHANNELS[method];
    const handler = options.handlers[method] as (...args: unknown[]) => Promise<unknown>;
    ipcMain.handle(spec.channel, async (event, ...args) => {
      const url = senderUrl(event);
      if (!options.isTrustedSender(url)) throw new Error(`${method}: refused, the request came from ${url}, not the studio.`);
      const parsed: unknown[] = spec.parse(args, options.platform);
      return handler(...parsed);
    });
  }

  ipcMain.on(SEND_CHANNELS.setDirty.channel, (event, ...args) => {
    const url = senderUrl(event);
    if (!options.isTrustedSender(url)) {
      options.warn(`setDirty: ignored a message from ${url}, not the studio.`);
      return;
    }
    try {
      options.setDirty(SEND_CHANNELS.setDirty.parse(args)[0]);
    } catch (error) {
      options.warn(describeError(error));
    }
  });
}
