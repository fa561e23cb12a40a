/**
 * Builds the desktop `StudioHost` the preload exposes as `window.studioHost`: named functions over the
 * channels of `ipcChannels.ts`, never raw ipcRenderer. Electron's objects are injected so tests run
 * without the Electron binary.
 */
import type { FlowRef, MenuCommand, PreviewStep, StudioHost } from '../runtime/contract/studioHost.ts';
import { EVENT_CHANNELS, INVOKE_CHANNELS, SEND_CHANNELS, pathPlatformOf } from './ipcChannels.ts';
import type { InvokeMethod, PathPlatform } from './ipcChannels.ts';
import { describeError } from '../runtime/describeError.ts';

/** Every member of StudioHost; TypeScript fails here if the interface gains or loses one. */
export const STUDIO_HOST_MEMBERS = {
  kind: true, listFlows: true, openFlow: true, saveFlow: true, createFlow: true, renameFlow: true, deleteFlow: true,
  showOpenDialog: true, showSaveDialog: true, runtimeUrl: true, setDirty: true, onMenuCommand: true, onOpenFile: true,
  previewFlow: true, onPreviewStep: true, listSessions: true, getTranscript: true, getCoverage: true, readTests: true, writeTests: true,
  publishTargets: true, checkPublish: true, publish: true, publishStatus: true, rollback: true, versionText: true,
} as const satisfies Record<keyof StudioHost, true>;

/** The part of Electron's ipcRenderer the bridge uses. */
export interface BridgeIpcRenderer {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** The part of Electron's contextBridge the bridge uses. */
export interface BridgeContextBridge {
  exposeInMainWorld(key: string, api: unknown): void;
}

/** Electron prefixes errors thrown by ipcMain.handle; the studio shows the main process's own message. */
function unwrapRemoteError(error: unknown): Error {
  const message = describeError(error);
  return new Error(message.replace(/^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/, ''));
}

/** Builds the host object (not yet exposed). */
export function createDesktopStudioHost(ipc: BridgeIpcRenderer, platform: string): StudioHost {
  const pathPlatform: PathPlatform = pathPlatformOf(platform);

  function invoke<K extends InvokeMethod>(method: K, ...args: Parameters<StudioHost[K]>): ReturnType<StudioHost[K]> {
    return ipc.invoke(INVOKE_CHANNELS[method].channel, ...args).catch((error: unknown) => {
      throw unwrapRemoteError(error);
    }) as ReturnType<StudioHost[K]>;
  }

  /** Files the OS asks to open can arrive before the studio subscribes (launch with a file): keep them. */
  const pendingFiles: FlowRef[] = [];
  const fileListeners = new Set<(ref: FlowRef) => void>();
  ipc.on(EVENT_CHANNELS.openFile.channel, (_event, ...args) => {
    const [ref] = EVENT_CHANNELS.openFile.parse(args, pathPlatform);
    if (fileListeners.size === 0) pendingFiles.push(ref);
    for (const listener of fileListeners) listener(ref);
  });

  return {
    kind: 'desktop',
    listFlows: () => invoke('listFlows'),
    openFlow: (ref) => invoke('openFlow', ref),
    saveFlow: (ref, text, layout, baseVersion) => invoke('saveFlow', ref, text, layout, baseVersion),
    createFlow: (name, text) => invoke('createFlow', name, text),
    renameFlow: (ref, newName) => invoke('renameFlow', ref, newName),
    deleteFlow: (ref) => invoke('deleteFlow', ref),
    showOpenDialog: () => invoke('showOpenDialog'),
    showSaveDialog: (suggestedName) => invoke('showSaveDialog', suggestedName),
    runtimeUrl: () => invoke('runtimeUrl'),
    setDirty: (dirty) => {
      ipc.send(SEND_CHANNELS.setDirty.channel, dirty);
    },
    onMenuCommand: (listener: (command: MenuCommand) => void) => {
      const onEvent = (_event: unknown, ...args: unknown[]) => listener(EVENT_CHANNELS.menuCommand.parse(args)[0]);
      ipc.on(EVENT_CHANNELS.menuCommand.channel, onEvent);
      return () => {
        ipc.removeListener(EVENT_CHANNELS.menuCommand.channel, onEvent);
      };
    },
    previewFlow: (text, name) => (name === undefined ? invoke('previewFlow', text) : invoke('previewFlow', text, name)),
    listSessions: (query) => invoke('listSessions', query),
    getTranscript: (sid) => invoke('getTranscript', sid),
    getCoverage: (flowText, sids) => invoke('getCoverage', flowText, sids),
    readTests: (ref) => invoke('readTests', ref),
    writeTests: (ref, text) => invoke('writeTests', ref, text),
    publishTargets: () => invoke('publishTargets'),
    checkPublish: (target, flowText) => invoke('checkPublish', target, flowText),
    publish: (target, flowText) => invoke('publish', target, flowText),
    publishStatus: (target) => invoke('publishStatus', target),
    rollback: (target, hash) => invoke('rollback', target, hash),
    versionText: (target, hash) => invoke('versionText', target, hash),
    onPreviewStep: (listener: (step: PreviewStep) => void) => {
      const onEvent = (_event: unknown, ...args: unknown[]) => listener(EVENT_CHANNELS.previewStep.parse(args)[0]);
      ipc.on(EVENT_CHANNELS.previewStep.channel, onEvent);
      return () => {
        ipc.removeListener(EVENT_CHANNELS.previewStep.channel, onEvent);
      };
    },
    onOpenFile: (listener: (ref: FlowRef) => void) => {
      fileListeners.add(listener);
      for (const ref of pendingFiles.splice(0)) listener(ref);
      return () => {
        fileListeners.delete(listener);
      };
    },
  };
}

/** Exposes the host as `window.studioHost` (the preload's only job). */
export function exposeStudioHost(contextBridge: BridgeContextBridge, ipc: BridgeIpcRenderer, platform: string): void {
  contextBridge.exposeInMainWorld('studioHost', createDesktopStudioHost(ipc, platform));
}
