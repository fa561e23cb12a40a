/**
 * Preload (sandboxed, bundled to dist/electron/preload.cjs): exposes the desktop StudioHost as
 * `window.studioHost` and nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { exposeStudioHost } from './studioHostBridge.ts';

exposeStudioHost(contextBridge, ipcRenderer, process.platform);
