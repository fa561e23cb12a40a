import { describe, expect, it } from 'vitest';
import type { StudioHost } from '../runtime/contract/studioHost.ts';
import { EVENT_CHANNELS, INVOKE_CHANNELS, SEND_CHANNELS } from './ipcChannels.ts';
import { STUDIO_HOST_MEMBERS, exposeStudioHost } from './studioHostBridge.ts';
import type { BridgeIpcRenderer } from './studioHostBridge.ts';

type Listener = (event: unknown, ...args: unknown[]) => void;

/** Records what the preload does with Electron's ipcRenderer; `reply` decides what invoke returns. */
function fakeIpc(reply: (channel: string, args: unknown[]) => Promise<unknown> = async () => undefined) {
  const invoked: Array<{ channel: string; args: unknown[] }> = [];
  const sent: Array<{ channel: string; args: unknown[] }> = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipc: BridgeIpcRenderer = {
    invoke: (channel, ...args) => {
      invoked.push({ channel, args });
      return reply(channel, args);
    },
    send: (channel, ...args) => void sent.push({ channel, args }),
    on: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  const emit = (channel: string, ...args: unknown[]) => listeners.get(channel)?.forEach((l) => l({}, ...args));
  return { ipc, invoked, sent, listeners, emit };
}

function expose(ipc: BridgeIpcRenderer): { key: string; host: StudioHost } {
  const exposed: Array<{ key: string; api: unknown }> = [];
  exposeStudioHost({ exposeInMainWorld: (key, api) => void exposed.push({ key, api }) }, ipc, 'linux');
  expect(exposed).toHaveLength(1);
  return { key: exposed[0].key, host: exposed[0].api as StudioHost };
}

describe('preload', () => {
  it('exposes exactly the StudioHost members as window.studioHost, and functions only besides kind', () => {
    const { ipc } = fakeIpc();
    const { key, host } = expose(ipc);
    expect(key).toBe('studioHost');
    expect(Object.keys(host).sort()).toEqual(Object.keys(STUDIO_HOST_MEMBERS).sort());
    expect(host.kind).toBe('desktop');
    for (const [name, value] of Object.entries(host)) {
      if (name !== 'kind') expect(typeof value, name).toBe('function');
    }
    expect(Object.values(host)).not.toContain(ipc);
  });

  it('invokes one channel of the table per method, with the arguments as given', async () => {
    const { ipc, invoked } = fakeIpc(async (channel) => (channel === INVOKE_CHANNELS.runtimeUrl.channel ? 'http://127.0.0.1:1/' : null));
    const { host } = expose(ipc);
    const layout = { positions: { a: { x: 1, y: 2 } } };
    await host.listFlows();
    await host.openFlow('/f/a.json');
    await host.saveFlow('/f/a.json', '{}', layout, 'abc123');
    await host.createFlow('b', '{}');
    await host.renameFlow('/f/a.json', 'c.json');
    await host.deleteFlow('/f/c.json');
    await host.showOpenDialog();
    await host.showSaveDialog('d.json');
    expect(await host.runtimeUrl()).toBe('http://127.0.0.1:1/');
    await host.previewFlow('{"a": {}}');
    await host.listSessions({ query: 'lang', limit: 10 });
    await host.getTranscript('sid-1');
    await host.getCoverage('{}', 'all');
    await host.readTests('/a.json');
    await host.writeTests('/a.json', '{"tests": []}');
    const target = { serverUrl: 'https://bots.example.com/', tokenFile: '/etc/bot/token' };
    await host.publishTargets();
    await host.checkPublish(target, '{}');
    await host.publish(target, '{}');
    await host.publishStatus(target);
    await host.rollback(target, '0123456789abcdef');
    await host.versionText(target, '0123456789abcdef');
    expect(invoked).toEqual([
      { channel: 'studio:listFlows', args: [] },
      { channel: 'studio:openFlow', args: ['/f/a.json'] },
      { channel: 'studio:saveFlow', args: ['/f/a.json', '{}', layout, 'abc123'] },
      { channel: 'studio:createFlow', args: ['b', '{}'] },
      { channel: 'studio:renameFlow', args: ['/f/a.json', 'c.json'] },
      { channel: 'studio:deleteFlow', args: ['/f/c.json'] },
      { channel: 'studio:showOpenDialog', args: [] },
      { channel: 'studio:showSaveDialog', args: ['d.json'] },
      { channel: 'studio:runtimeUrl', args: [] },
      { channel: 'studio:previewFlow', args: ['{"a": {}}'] },
      { channel: 'studio:listSessions', args: [{ query: 'lang', limit: 10 }] },
      { channel: 'studio:getTranscript', args: ['sid-1'] },
      { channel: 'studio:getCoverage', args: ['{}', 'all'] },
      { channel: 'studio:readTests', args: ['/a.json'] },
      { channel: 'studio:writeTests', args: ['/a.json', '{"tests": []}'] },
      { channel: 'studio:publishTargets', args: [] },
      { channel: 'studio:checkPublish', args: [target, '{}'] },
      { channel: 'studio:publish', args: [target, '{}'] },
      { channel: 'studio:publishStatus', args: [target] },
      { channel: 'studio:rollback', args: [target, '0123456789abcdef'] },
      { channel: 'studio:versionText', args: [target, '0123456789abcdef'] },
    ]);
    expect(new Set(invoked.map((i) => i.channel))).toEqual(new Set(Object.values(INVOKE_CHANNELS).map((s) => s.channel)));
  });

  it("rejects with the main process's own message, without Electron's prefix", async () => {
    const { host } = expose(fakeIpc(async () => {
      throw new Error("Error invoking remote method 'studio:openFlow': IpcArgumentError: openFlow: argument 1 (ref) must be an absolute path.");
    }).ipc);
    await expect(host.openFlow('x.json')).rejects.toThrow(/^openFlow: argument 1 \(ref\) must be an absolute path\.$/);
  });

  it('sends setDirty one way', () => {
    const { ipc, sent } = fakeIpc();
    expose(ipc).host.setDirty(true);
    expect(sent).toEqual([{ channel: SEND_CHANNELS.setDirty.channel, args: [true] }]);
  });

  it('delivers menu commands until unsubscribed', () => {
    const { ipc, emit } = fakeIpc();
    const { host } = expose(ipc);
    const seen: string[] = [];
    const unsubscribe = host.onMenuCommand((command) => seen.push(command));
    emit(EVENT_CHANNELS.menuCommand.channel, 'file.save');
    unsubscribe();
    emit(EVENT_CHANNELS.menuCommand.channel, 'file.open');
    expect(seen).toEqual(['file.save']);
  });

  it('delivers checked preview steps until unsubscribed, and refuses malformed ones', () => {
    const { ipc, emit } = fakeIpc();
    const { host } = expose(ipc);
    const seen: unknown[] = [];
    const unsubscribe = host.onPreviewStep((step) => seen.push(step));
    const step = { sid: 'a', event: 'response', visited: ['x', 'y'], waiting: ['y'], resumedAt: 'x', flowHash: '0123456789abcdef' };
    emit(EVENT_CHANNELS.previewStep.channel, step);
    expect(() => emit(EVENT_CHANNELS.previewStep.channel, { ...step, visited: 'x' })).toThrow(/previewStep: argument 1 \(step\)/);
    unsubscribe();
    emit(EVENT_CHANNELS.previewStep.channel, step);
    expect(seen).toEqual([step]);
  });

  it('keeps files opened before the studio subscribed, then delivers them once', () => {
    const { ipc, emit } = fakeIpc();
    const { host } = expose(ipc);
    emit(EVENT_CHANNELS.openFile.channel, '/f/early.json');
    const first: string[] = [];
    const second: string[] = [];
    const unsubscribe = host.onOpenFile((ref) => first.push(ref));
    host.onOpenFile((ref) => second.push(ref));
    emit(EVENT_CHANNELS.openFile.channel, '/f/late.json');
    unsubscribe();
    emit(EVENT_CHANNELS.openFile.channel, '/f/last.json');
    expect(first).toEqual(['/f/early.json', '/f/late.json']);
    expect(second).toEqual(['/f/late.json', '/f/last.json']);
  });
});
