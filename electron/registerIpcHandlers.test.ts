import { describe, expect, it } from 'vitest';
import type { StudioHost } from '../runtime/contract/studioHost.ts';
import { INVOKE_CHANNELS, SEND_CHANNELS } from './ipcChannels.ts';
import type { InvokeHandlers } from './ipcChannels.ts';
import { registerIpcHandlers } from './registerIpcHandlers.ts';
import type { IpcSenderEvent } from './registerIpcHandlers.ts';

const STUDIO = 'http://127.0.0.1:5000/studio/';

function setup() {
  const handled = new Map<string, (event: IpcSenderEvent, ...args: unknown[]) => unknown>();
  const listened = new Map<string, (event: IpcSenderEvent, ...args: unknown[]) => void>();
  const calls: unknown[][] = [];
  const dirty: boolean[] = [];
  const warnings: string[] = [];
  const record = (name: string) => async (...args: unknown[]) => (calls.push([name, ...args]), null);
  const handlers = Object.fromEntries(Object.keys(INVOKE_CHANNELS).map((name) => [name, record(name)])) as unknown as InvokeHandlers;
  registerIpcHandlers(
    { handle: (channel, listener) => void handled.set(channel, listener), on: (channel, listener) => listened.set(channel, listener) },
    { handlers, setDirty: (d) => void dirty.push(d), platform: 'posix', isTrustedSender: (url) => url.startsWith(STUDIO), warn: (m) => void warnings.push(m) },
  );
  const from = (url: string | null): IpcSenderEvent => ({ senderFrame: url === null ? null : { url } });
  const invoke = (method: keyof StudioHost, args: unknown[], url: string | null = STUDIO) =>
    Promise.resolve().then(() => handled.get(INVOKE_CHANNELS[method as keyof typeof INVOKE_CHANNELS].channel)!(from(url), ...args));
  const send = (args: unknown[], url: string = STUDIO) => listened.get(SEND_CHANNELS.setDirty.channel)!(from(url), ...args);
  return { handled, calls, dirty, warnings, invoke, send };
}

describe('IPC handlers in the main process', () => {
  it('handles every invoke channel of the table', () => {
    expect([...setup().handled.keys()].sort()).toEqual(Object.values(INVOKE_CHANNELS).map((s) => s.channel).sort());
  });

  it('passes validated arguments to the handler', async () => {
    const { invoke, calls } = setup();
    await invoke('saveFlow', ['/f/a.json', '{}', null, null]);
    expect(calls).toEqual([['saveFlow', '/f/a.json', '{}', null, null]]);
  });

  it('refuses bad arguments with a clear error before any handler runs', async () => {
    const { invoke, calls } = setup();
    await expect(invoke('openFlow', ['relative.json'])).rejects.toThrow('openFlow: argument 1 (ref) must be an absolute path; got "relative.json" (a relative path).');
    await expect(invoke('deleteFlow', ['/etc/shadow'])).rejects.toThrow(/must be a path to a \.json file/);
    await expect(invoke('saveFlow', ['/a.json', 7, null, null])).rejects.toThrow(/argument 2 \(text\) must be a string; got number 7/);
    await expect(invoke('showSaveDialog', ['x'.repeat(300)])).rejects.toThrow(/at most 255 characters; got 300/);
    expect(calls).toEqual([]);
  });

  it('refuses requests that do not come from the studio page', async () => {
    const { invoke, calls } = setup();
    await expect(invoke('listFlows', [], 'http://127.0.0.1:5000/preview/')).rejects.toThrow('listFlows: refused, the request came from http://127.0.0.1:5000/preview/, not the studio.');
    await expect(invoke('listFlows', [], null)).rejects.toThrow(/\(unknown sender\)/);
    expect(calls).toEqual([]);
  });

  it('applies setDirty only with a boolean from the studio, warning otherwise', () => {
    const { send, dirty, warnings } = setup();
    send([true]);
    send(['true']);
    send([false], 'https://evil.example/');
    expect(dirty).toEqual([true]);
    expect(warnings).toEqual([
      'setDirty: argument 1 (dirty) must be a boolean; got "true".',
      'setDirty: ignored a message from https://evil.example/, not the studio.',
    ]);
  });
});
