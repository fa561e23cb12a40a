/**
 * The application menu as a plain template: a pure function of the platform, the recent files and the
 * document state, so it is unit-tested without Electron. Every studio item sends a MenuCommand.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../runtime/contract/studioHost.ts';

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
  const item = (command: MenuCommand, label: string, accelerator?: string, enabled = true): MenuItemConstructorOptions => ({
    id: command,
    label,
    accelerator,
    enabled,
    click: () => actions.command(command),
  });
  /** Clipboard items act natively in text fields and also tell the studio (which acts when the canvas has focus). */
  const clipboardItem = (command: MenuCommand, action: 'cut' | 'copy' | 'paste' | 'selectAll', label: string, accelerator: string): MenuItemConstructorOptions => ({
    ...item(command, label, accelerator),
    click: () => {
      actions.nativeEdit(action);
      actions.command(command);
    },
  });
  /** A second shortcut for a command: hidden, but its accelerator still works. */
  const alias = (command: MenuCommand, accelerator: string): MenuItemConstructorOptions => ({
    ...item(command, '', accelerator),
    id: `${command}#${accelerator}`,
    visible: false,
    acceleratorWorksWhenHidden: true,
  });

  const recentItems: MenuItemConstructorOptions[] = recentFiles.length === 0
    ? [{ id: 'file.recent.empty', label: 'No Recent Files', enabled: false }]
    : recentFiles.map((path, index) => ({ id: `file.recent.${index}`, label: recentLabel(path), click: () => actions.openRecent(path) }));

  const doc = state.hasDocument;
  const fileMenu: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      item('file.new', 'New', 'CmdOrCtrl+N'),
      item('file.open', 'Open…', 'CmdOrCtrl+O'),
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
      item('file.save', 'Save', 'CmdOrCtrl+S', doc),
      item('file.saveAs', 'Save As…', 'CmdOrCtrl+Shift+S', doc),
      item('file.export', 'Export…', 'CmdOrCtrl+E', doc),
      item('file.publish', 'Publish…', undefined, doc),
      { type: 'separator' },
      item('file.close', 'Close', 'CmdOrCtrl+W', doc),
      ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit', label: platform === 'win32' ? 'E&xit' : '&Quit' } as const]),
    ],
  };

  const editMenu: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      item('edit.undo', 'Undo', 'CmdOrCtrl+Z'),
      item('edit.redo', 'Redo', mac ? 'Cmd+Shift+Z' : 'Ctrl+Y'),
      ...(mac ? [] : [alias('edit.redo', 'Ctrl+Shift+Z')]),
      { type: 'separator' },
      clipboardItem('edit.cut', 'cut', 'Cut', 'CmdOrCtrl+X'),
      clipboardItem('edit.copy', 'copy', 'Copy', 'CmdOrCtrl+C'),
      clipboardItem('edit.paste', 'paste', 'Paste', 'CmdOrCtrl+V'),
      // Shown, not registered: a global Delete/Backspace shortcut would swallow the key in text fields.
      { ...item('edit.delete', 'Delete', mac ? undefined : 'Delete'), registerAccelerator: false },
      clipboardItem('edit.selectAll', 'selectAll', 'Select All', 'CmdOrCtrl+A'),
      { type: 'separator' },
      item('edit.find', 'Find', 'CmdOrCtrl+F', doc),
    ],
  };

  const viewMenu: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      item('view.fit', 'Fit to Window', 'CmdOrCtrl+1', doc),
      item('view.zoomIn', 'Zoom In', 'CmdOrCtrl+Plus', doc),
      alias('view.zoomIn', 'CmdOrCtrl+='),
      item('view.zoomOut', 'Zoom Out', 'CmdOrCtrl+-', doc),
      item('view.zoomReset', 'Actual Size', 'CmdOrCtrl+0', doc),
      { type: 'separator' },
      item('view.toggleJson', 'Toggle JSON', 'CmdOrCtrl+J', doc),
      item('view.togglePreview', 'Toggle Preview', 'CmdOrCtrl+Shift+P', doc),
      item('view.toggleSessions', 'Toggle Sessions', 'CmdOrCtrl+Shift+H'),
      { type: 'separator' },
      { id: 'view.devTools', role: 'toggleDevTools', accelerator: mac ? 'Alt+Cmd+I' : 'Ctrl+Shift+I' },
    ],
  };

  const helpMenu: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [
      item('help.docs', 'Documentation', mac ? undefined : 'F1'),
      ...(mac ? [] : [{ type: 'separator' } as const, item('help.about', `About ${appName}`)]),
    ],
  };

  if (!mac) return [fileMenu, editMenu, viewMenu, helpMenu];

  const appMenu: MenuItemConstructorOptions = {
    label: appName,
    submenu: [
      item('help.about', `About ${appName}`),
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
