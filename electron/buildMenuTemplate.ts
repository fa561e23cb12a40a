/**
 * The application menu as a plain template: a pure function of the platform, the recent files and the
 * document state, so it is unit-tested without Electron. Every studio item sends a MenuCommand; its
 * label and accelerator come from the studio's one action table (`runtime/contract/studioActions.ts`).
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../runtime/contract/studioHost.ts';
import { actionSpec, keysOn, menuMayRegister, toAccelerator } from '../runtime/contract/studioActions.ts';

/** What the menu needs to know about the open document. */
export interface MenuState {
  /** A flow is open (opened, created or saved through the host, or started with File › New). */
  hasDocument: boolean;
}

/** What menu items do when chosen; main wires these to the window. */
export interface MenuActions {
  /** Sends a command to the studio. */
  command(command: MenuCommand): void;
  /** Performs the native text-editing action in the focused field (text boxes, the JSON editor). */
  nativeEdit(action: 'cut' | 'copy' | 'paste' | 'selectAll'): void;
  openRecent(path: string): void;
  clearRecent(): void;
}

export interface MenuTemplateOptions {
  platform: string;
  appName: string;
  recentFiles: readonly string[];
  state: MenuState;
  actions: MenuActions;
}

/** The file name and its folder, so two recent files with the same name stay distinguishable. */
function recentLabel(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut < 0 ? path : `${path.slice(cut + 1)} — ${path.slice(0, cut) || path.slice(0, 1)}`;
}

/** Builds the menu bar template for `platform` ('darwin', 'win32', 'linux', …). */
export function buildMenuTemplate({ platform, appName, recentFiles, state, actions }: MenuTemplateOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  /** A studio action: the table's label and first key; its other keys as hidden aliases. */
  const item = (command: MenuCommand, enabled = true, label = actionSpec(command).label): MenuItemConstructorOptions => {
    const [key] = keysOn(command, platform);
    return {
      id: command,
      label,
      accelerator: key === undefined ? undefined : toAccelerator(key),
      // Shown, not registered, for keys without ⌘/Ctrl: a global Delete would swallow the key in text fields.
      ...(key !== undefined && !menuMayRegister(key) ? { registerAccelerator: false } : {}),
      enabled,
      click: () => actions.command(command),
    };
  };
  /** A second shortcut for a command: hidden, but its accelerator still works. */
  const aliases = (command: MenuCommand): MenuItemConstructorOptions[] =>
    keysOn(command, platform)
      .slice(1)
      .filter(menuMayRegister)
      .map((key) => ({
        ...item(command),
        id: `${command}#${toAccelerator(key)}`,
        label: '',
        accelerator: toAccelerator(key),
        visible: false,
        acceleratorWorksWhenHidden: true,
      }));
  /** Clipboard items act natively in text fields and also tell the studio (which acts when the canvas has focus). */
  const clipboardItem = (command: MenuCommand, action: 'cut' | 'copy' | 'paste' | 'selectAll'): MenuItemConstructorOptions => ({
    ...item(command),
    click: () => {
      actions.nativeEdit(action);
      actions.command(command);
    },
  });

  const recentItems: MenuItemConstructorOptions[] = recentFiles.length === 0
    ? [{ id: 'file.recent.empty', label: 'No Recent Files', enabled: false }]
    : recentFiles.map((path, index) => ({ id: `file.recent.${index}`, label: recentLabel(path), click: () => actions.openRecent(path) }));

  const doc = state.hasDocument;
  const fileMenu: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      item('file.new'),
      item('file.open'),
      {
        id: 'file.recent',
        label: 'Open Recent',
        submenu: [
          ...recentItems,
          { type: 'separator' },
          { id: 'file.recent.clear', label: 'Clear Recent', enabled: recentFiles.length > 0, click: () => actions.clearRecent() },
        ],
      },
      { type: 'separator' },
      item('file.save', doc),
      item('file.saveAs', doc),
      item('file.export', doc),
      item('file.publish', doc),
      { type: 'separator' },
      item('file.close', doc),
      ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit', label: platform === 'win32' ? 'E&xit' : '&Quit' } as const]),
    ],
  };

  const editMenu: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      item('edit.undo'),
      item('edit.redo'),
      ...aliases('edit.redo'),
      { type: 'separator' },
      clipboardItem('edit.cut', 'cut'),
      clipboardItem('edit.copy', 'copy'),
      clipboardItem('edit.paste', 'paste'),
      item('edit.delete'),
      clipboardItem('edit.selectAll', 'selectAll'),
      { type: 'separator' },
      item('edit.find', doc),
    ],
  };

  const viewMenu: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      item('view.fit', doc),
      item('view.zoomIn', doc),
      ...aliases('view.zoomIn'),
      item('view.zoomOut', doc),
      item('view.zoomReset', doc),
      { type: 'separator' },
      item('view.toggleJson', doc),
      item('view.togglePreview', doc),
      item('view.toggleSessions'),
      { type: 'separator' },
      { id: 'view.devTools', role: 'toggleDevTools', accelerator: mac ? 'Alt+Cmd+I' : 'Ctrl+Shift+I' },
    ],
  };

  const helpMenu: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [
      item('help.docs'),
      ...(mac ? [] : [{ type: 'separator' } as const, item('help.about', true, `About ${appName}`)]),
    ],
  };

  if (!mac) return [fileMenu, editMenu, viewMenu, helpMenu];

  const appMenu: MenuItemConstructorOptions = {
    label: appName,
    submenu: [
      item('help.about', true, `About ${appName}`),
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
  return [appMenu, fileMenu, editMenu, viewMenu, { role: 'windowMenu' }, helpMenu];
}
