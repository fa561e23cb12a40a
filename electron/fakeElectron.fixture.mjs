/**
 * A stand-in for the `electron` module, for the main-process composition test only (the real one
 * needs the Electron binary). Records what main does in globalThis.__electronFake.
 */
import { EventEmitter } from 'node:events';
import path from 'node:path';

const home = process.env.FAKE_ELECTRON_HOME;
const state = (globalThis.__electronFake ??= {
  windows: [], handlers: new Map(), listeners: new Map(), menus: [], sent: [], external: [], errors: [],
  quitCalls: 0, exited: false, csp: undefined,
});

class App extends EventEmitter {
  paths = { appData: path.join(home, 'appData'), documents: path.join(home, 'Documents') };
  setName(name) { this.name = name; }
  getName() { return this.name; }
  setPath(key, value) { this.paths[key] = value; }
  getPath(key) { return this.paths[key]; }
  requestSingleInstanceLock() { return true; }
  whenReady() { return Promise.resolve(); }
  addRecentDocument() {}
  clearRecentDocuments() {}
  quit() {
    state.quitCalls++;
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    this.emit('before-quit', event);
    this.emit('will-quit', event);
    if (!event.defaultPrevented) state.exited = true;
  }
  exit(code) { state.exitCode = code; }
}
// One app for every copy of this module (the bundle inlines its own copy).
export const app = (state.app ??= new App());

class WebContents extends EventEmitter {
  send(channel, ...args) { state.sent.push([channel, ...args]); }
  setWindowOpenHandler(handler) { this.openHandler = handler; }
}

export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    state.windows.push(this);
  }
  async loadURL(url) {
    this.url = url;
    this.webContents.emit('did-finish-load');
  }
  isMinimized() { return false; }
  restore() {}
  show() {}
  focus() {}
  maximize() {}
  isMaximized() { return false; }
  getNormalBounds() { return { x: 10, y: 20, width: 900, height: 700 }; }
  setDocumentEdited() {}
  setRepresentedFilename() {}
}

export const Menu = { buildFromTemplate: (template) => template, setApplicationMenu: (menu) => void state.menus.push(menu) };
export const dialog = {
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showSaveDialog: async () => ({ canceled: true }),
  showMessageBox: async () => ({ response: 2 }),
  showErrorBox: (title, message) => void state.errors.push(`${title}: ${message}`),
};
export const ipcMain = {
  handle: (channel, handler) => void state.handlers.set(channel, handler),
  on: (channel, listener) => void state.listeners.set(channel, listener),
};
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };
export const session = {
  defaultSession: {
    webRequest: { onHeadersReceived: (filter, listener) => void (state.csp = { filter, listener }) },
    setPermissionRequestHandler: (handler) => void (state.permissionRequest = handler),
    setPermissionCheckHandler: (handler) => void (state.permissionCheck = handler),
  },
};
export const shell = { openExternal: async (url) => void state.external.push(url), trashItem: async () => {} };
