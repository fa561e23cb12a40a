/**
 * The Electron main process (bundled to dist/electron/main.mjs): composes the small modules of this
 * folder. It owns windows, menus, dialogs and files; everything about flows lives in the studio and
 * the runtime.
 */
import { BrowserWindow, Menu, app, dialog, ipcMain, screen, session, shell } from 'electron';
import type { Event as ElectronEvent } from 'electron';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MenuCommand } from '../runtime/contract/studioHost.ts';
import { buildMenuTemplate } from './buildMenuTemplate.ts';
import type { MenuState } from './buildMenuTemplate.ts';
import { askToSaveChanges, createCloseGuard } from './closeGuard.ts';
import type { CloseGuard } from './closeGuard.ts';
import { installContentSecurityPolicy } from './contentSecurityPolicy.ts';
import { createFileService } from './fileService.ts';
import { createStudioPublishing } from '../runtime/server/publish/studioPublishing.ts';
import type { FileService } from './fileService.ts';
import { EVENT_CHANNELS, pathPlatformOf } from './ipcChannels.ts';
import { installNavigationGuards, isStudioUrl } from './navigationGuards.ts';
import { parseFileArgs } from './parseFileArgs.ts';
import { loadRecentFiles } from './recentFiles.ts';
import type { RecentFiles } from './recentFiles.ts';
import { registerIpcHandlers } from './registerIpcHandlers.ts';
import { closeRuntimeBeforeQuit } from './shutdown.ts';
import { claimSingleInstance } from './singleInstance.ts';
import { startEmbeddedRuntime } from './startEmbeddedRuntime.ts';
import { loadWindowState, saveWindowState } from './windowState.ts';
import { describeError } from '../runtime/describeError.ts';

const PRODUCT_NAME = 'Bot Assistant Studio';
/** dist/electron/main.mjs → the app root (the repository, or the packaged app). */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PRELOAD = join(ROOT, 'dist', 'electron', 'preload.cjs');
/** Linux shows this in the title bar and task switcher; macOS and Windows take the packaged app's icon. */
const LINUX_ICON = join(ROOT, 'build', 'icons', '512x512.png');

// Same userData in development (`electron dist/electron/main.mjs` would say "Electron") and packaged.
app.setName(PRODUCT_NAME);
app.setPath('userData', join(app.getPath('appData'), PRODUCT_NAME));

const warn = (message: string): void => console.warn(`[studio] ${message}`);

let files: FileService | undefined;
let recentFiles: RecentFiles | undefined;
let studioWindow: BrowserWindow | undefined;
let closeGuard: CloseGuard | undefined;
let windowReady = false;
/** Quit was asked for (Cmd+Q, the Quit item): once the unsaved-changes prompt lets the window close, go on quitting. */
let quitRequested = false;
const menuState: MenuState = { hasDocument: false };
/** Files to hand to the studio once its page has loaded (command line, second launch, Finder). */
const pendingFiles: string[] = parseFileArgs(process.argv, process.cwd());

function sendCommand(command: MenuCommand): void {
  if (command === 'file.new') setHasDocument(true);
  studioWindow?.webContents.send(EVENT_CHANNELS.menuCommand.channel, command);
}

function rebuildMenu(): void {
  const template = buildMenuTemplate({
    platform: process.platform,
    appName: PRODUCT_NAME,
    recentFiles: recentFiles?.list() ?? [],
    state: menuState,
    actions: {
      command: sendCommand,
      nativeEdit: (action) => studioWindow?.webContents[action](),
      openRecent: (path) => openFiles([path]),
      clearRecent: () => void recentFiles?.clear().catch((error: unknown) => warn(`Could not clear recent files: ${String(error)}`)),
    },
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function setHasDocument(hasDocument: boolean): void {
  if (menuState.hasDocument === hasDocument) return;
  menuState.hasDocument = hasDocument;
  rebuildMenu();
}

function focusWindow(): void {
  if (!studioWindow) return;
  if (studioWindow.isMinimized()) studioWindow.restore();
  studioWindow.show();
  studioWindow.focus();
}

/** Queues files until the studio's page has loaded, then sends them one by one. */
function openFiles(paths: string[]): void {
  pendingFiles.push(...paths);
  if (!files || !studioWindow || !windowReady) return;
  for (const path of pendingFiles.splice(0)) {
    files.grant(path);
    studioWindow.webContents.send(EVENT_CHANNELS.openFile.channel, path);
  }
  focusWindow();
}

async function createWindow(studioUrl: string): Promise<void> {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const state = await loadWindowState(stateFile, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    ...state,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: PRODUCT_NAME,
    icon: process.platform === 'linux' && existsSync(LINUX_ICON) ? LINUX_ICON : undefined,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  studioWindow = win;
  windowReady = false;
  setHasDocument(false);

  const guard = createCloseGuard({
    ask: async () => {
      const choice = await askToSaveChanges((options) => dialog.showMessageBox(win, options), files?.currentFlow() ?? null, process.platform);
      if (choice === 'cancel') quitRequested = false;
      return choice;
    },
    requestSave: () => sendCommand('file.save'),
    close: () => {
      win.close();
      if (quitRequested) app.quit();
    },
  });
  closeGuard = guard;
  win.on('close', (event: ElectronEvent) => {
    guard.onClose(event);
    saveWindowState(stateFile, win.getNormalBounds(), win.isMaximized()).catch((error: unknown) => warn(`Could not save the window state: ${String(error)}`));
  });
  win.on('closed', () => {
    if (studioWindow === win) studioWindow = undefined;
  });
  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    win.show();
  });

  installNavigationGuards(win.webContents, {
    studioOrigin: new URL(studioUrl).origin,
    openExternal: (url) => shell.openExternal(url),
    warn,
  });
  win.webContents.on('did-finish-load', () => {
    windowReady = true;
    openFiles([]);
  });
  await win.loadURL(studioUrl);
}

function setDirty(dirty: boolean): void {
  closeGuard?.setDirty(dirty);
  if (dirty) setHasDocument(true);
  if (process.platform === 'darwin') studioWindow?.setDocumentEdited(dirty);
}

async function launch(): Promise<void> {
  const userData = app.getPath('userData');
  const flowsFolder = join(app.getPath('documents'), PRODUCT_NAME);
  await mkdir(flowsFolder, { recursive: true });
  recentFiles = await loadRecentFiles(join(userData, 'recent-files.json'), app, rebuildMenu);
  rebuildMenu();

  const runtime = await startEmbeddedRuntime({
    root: ROOT,
    dataDir: join(userData, 'runtime-data'),
    logger: { info: () => {}, warn, error: warn },
  });
  closeRuntimeBeforeQuit(app, () => runtime.close(), warn);
  const origin = new URL(runtime.url).origin;
  const studioUrl = runtime.studioUrl;

  installContentSecurityPolicy(session.defaultSession.webRequest, origin);
  // The studio needs no camera, location, notifications…: only writing to the clipboard.
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'clipboard-sanitized-write'));
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => permission === 'clipboard-sanitized-write');

  files = createFileService({
    dialogs: {
      showOpenDialog: (options) => (studioWindow ? dialog.showOpenDialog(studioWindow, options) : dialog.showOpenDialog(options)),
      showSaveDialog: (options) => (studioWindow ? dialog.showSaveDialog(studioWindow, options) : dialog.showSaveDialog(options)),
    },
    recentFiles,
    trashItem: (path) => shell.trashItem(path),
    defaultFolder: flowsFolder,
    onDocument: (ref) => {
      setHasDocument(true);
      if (process.platform === 'darwin') studioWindow?.setRepresentedFilename(ref);
    },
    onSaveAborted: () => closeGuard?.saveAborted(),
  });
  registerIpcHandlers(ipcMain, {
    handlers: {
      ...files,
      runtimeUrl: async () => runtime.url,
      previewFlow: (text, name) => runtime.previewFlow(text, name),
      ...runtime.history,
      ...createStudioPublishing({ targetsFile: join(userData, 'publish-targets.json') }),
    },
    setDirty,
    platform: pathPlatformOf(process.platform),
    isTrustedSender: (url) => isStudioUrl(url, origin),
    warn,
  });

  runtime.onPreviewStep((step) => studioWindow?.webContents.send(EVENT_CHANNELS.previewStep.channel, step));

  app.on('activate', () => {
    if (!studioWindow) createWindow(studioUrl).catch(fail);
  });
  await createWindow(studioUrl);
}

function fail(error: unknown): void {
  const message = describeError(error);
  dialog.showErrorBox(`${PRODUCT_NAME} could not start`, message);
  app.exit(1);
}

// macOS hands files over by event (Finder, Dock, file association), possibly before 'ready'.
app.on('open-file', (event, path) => {
  event.preventDefault();
  openFiles(parseFileArgs(['', path], process.cwd()));
});

if (claimSingleInstance(app, { focus: focusWindow, openFiles })) {
  app.on('before-quit', () => {
    quitRequested = true;
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.whenReady().then(launch).catch(fail);
}
