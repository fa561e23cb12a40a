import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { MENU_COMMANDS } from '../runtime/contract/studioHost.ts';
import type { MenuCommand } from '../runtime/contract/studioHost.ts';
import { buildMenuTemplate } from './buildMenuTemplate.ts';
import { displayKey, keysOn, menuMayRegister, shortcutRows, STUDIO_ACTIONS, toAccelerator } from '../runtime/contract/studioActions.ts';
import type { MenuState } from './buildMenuTemplate.ts';

function build(platform: string, state: MenuState = { hasDocument: true }, recentFiles: string[] = []) {
  const log: string[] = [];
  const template = buildMenuTemplate({
    platform,
    appName: 'Bot Assistant Studio',
    recentFiles,
    state,
    actions: {
      command: (command) => void log.push(`command ${command}`),
      nativeEdit: (action) => void log.push(`native ${action}`),
      openRecent: (path) => void log.push(`recent ${path}`),
      clearRecent: () => void log.push('clear recent'),
    },
  });
  return { template, log };
}

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

function byId(items: MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions {
  const found = flatten(items).find((item) => item.id === id);
  if (!found) throw new Error(`no menu item ${id}`);
  return found;
}

function click(item: MenuItemConstructorOptions): void {
  (item.click as () => void)();
}

const labels = (items: MenuItemConstructorOptions[]) => items.map((item) => item.label ?? item.role);

describe('menu template', () => {
  it('has File, Edit, View, Help on Windows and Linux, plus the app and Window menus on macOS', () => {
    expect(labels(build('win32').template)).toEqual(['&File', '&Edit', '&View', '&Help']);
    expect(labels(build('linux').template)).toEqual(['&File', '&Edit', '&View', '&Help']);
    const mac = build('darwin').template;
    expect(labels(mac)).toEqual(['Bot Assistant Studio', '&File', '&Edit', '&View', 'windowMenu', '&Help']);
    const appMenu = mac[0].submenu as MenuItemConstructorOptions[];
    expect(appMenu.map((i) => i.role ?? i.id ?? i.type)).toEqual(['help.about', 'separator', 'services', 'separator', 'hide', 'hideOthers', 'unhide', 'separator', 'quit']);
  });

  it('puts Quit in the File menu off macOS only', () => {
    expect(flatten(build('win32').template).filter((i) => i.role === 'quit').map((i) => i.label)).toEqual(['E&xit']);
    expect(flatten(build('linux').template).filter((i) => i.role === 'quit').map((i) => i.label)).toEqual(['&Quit']);
    const macFile = build('darwin').template[1].submenu as MenuItemConstructorOptions[];
    expect(macFile.some((i) => i.role === 'quit')).toBe(false);
  });

  it('offers every MenuCommand on every platform, each item sending its own command', () => {
    for (const platform of ['darwin', 'win32', 'linux']) {
      const { template, log } = build(platform);
      for (const command of MENU_COMMANDS) {
        log.length = 0;
        const item = byId(template, command);
        expect(item.visible, `${platform} ${command}`).not.toBe(false);
        click(item);
        expect(log.filter((l) => l.startsWith('command')), `${platform} ${command}`).toEqual([`command ${command}`]);
      }
    }
  });

  it('uses the platform accelerators, with Redo on Ctrl+Y and Ctrl+Shift+Z off macOS', () => {
    const mac = build('darwin').template;
    const win = build('win32').template;
    expect(byId(mac, 'file.save').accelerator).toBe('CmdOrCtrl+S');
    expect(byId(mac, 'file.saveAs').accelerator).toBe('CmdOrCtrl+Shift+S');
    expect(byId(mac, 'edit.undo').accelerator).toBe('CmdOrCtrl+Z');
    expect(byId(mac, 'edit.redo').accelerator).toBe('CmdOrCtrl+Shift+Z');
    expect(flatten(mac).filter((i) => i.id?.startsWith('edit.redo'))).toHaveLength(1);
    expect(byId(win, 'edit.redo').accelerator).toBe('CmdOrCtrl+Y');
    const alias = byId(win, 'edit.redo#CmdOrCtrl+Shift+Z');
    expect(alias).toMatchObject({ accelerator: 'CmdOrCtrl+Shift+Z', visible: false });
    const { template, log } = build('linux');
    click(byId(template, 'edit.redo#CmdOrCtrl+Shift+Z'));
    expect(log).toEqual(['command edit.redo']);
    expect(byId(mac, 'view.devTools')).toMatchObject({ role: 'toggleDevTools', accelerator: 'Alt+Cmd+I' });
    expect(byId(win, 'view.devTools')).toMatchObject({ role: 'toggleDevTools', accelerator: 'Ctrl+Shift+I' });
    expect(byId(win, 'help.docs').accelerator).toBe('F1');
  });

  it('takes every studio item\'s label and keys from the action table, so the menu and the shortcuts list agree', () => {
    for (const platform of ['darwin', 'win32', 'linux']) {
      const items = flatten(build(platform).template);
      const shortcuts = new Map(shortcutRows(platform, true).map((row) => [row.name, row]));
      for (const command of MENU_COMMANDS) {
        const item = byId(items, command);
        const keys = keysOn(command, platform);
        if (command !== 'help.about') expect(item.label, `${platform} ${command}`).toBe(STUDIO_ACTIONS[command].label);
        expect(item.accelerator, `${platform} ${command}`).toBe(keys[0] && toAccelerator(keys[0]));
        // What the in-app list shows for the action is the menu's accelerator, key for key.
        const listed = shortcuts.get(command)?.keys ?? [];
        expect(listed, `${platform} ${command}`).toEqual(keys.map((key) => displayKey(key, platform)));
        const hidden = items.filter((i) => i.id?.startsWith(`${command}#`)).map((i) => i.accelerator);
        expect(hidden, `${platform} ${command}`).toEqual(keys.slice(1).filter(menuMayRegister).map(toAccelerator));
      }
    }
  });

  it('fits the view with the same key in the menu and the studio, and gives Toggle Preview a key in both', () => {
    const items = flatten(build('linux').template);
    expect(byId(items, 'view.fit').accelerator).toBe('Shift+1');
    expect(byId(items, 'view.fit').registerAccelerator).toBe(false);
    expect(byId(items, 'view.togglePreview').accelerator).toBe('CmdOrCtrl+Shift+P');
    expect(shortcutRows('linux', false).find((r) => r.name === 'view.togglePreview')?.keys).toEqual(['Ctrl+Shift+P']);
  });

  it('never registers Delete as a global shortcut (it would swallow the key in text fields)', () => {
    for (const platform of ['darwin', 'win32', 'linux']) {
      expect(byId(build(platform).template, 'edit.delete').registerAccelerator).toBe(false);
    }
  });

  it('cuts, copies, pastes and selects natively in text fields and tells the studio too', () => {
    const { template, log } = build('linux');
    click(byId(template, 'edit.paste'));
    expect(log).toEqual(['native paste', 'command edit.paste']);
  });

  it('disables document items without a document', () => {
    const none = build('linux', { hasDocument: false }).template;
    const some = build('linux', { hasDocument: true }).template;
    for (const id of ['file.save', 'file.saveAs', 'file.export', 'file.close', 'edit.find', 'view.fit', 'view.zoomIn', 'view.toggleJson', 'view.togglePreview'] as MenuCommand[]) {
      expect(byId(none, id).enabled, id).toBe(false);
      expect(byId(some, id).enabled, id).toBe(true);
    }
    for (const id of ['file.new', 'file.open', 'edit.undo', 'help.about', 'view.toggleSessions'] as MenuCommand[]) {
      expect(byId(none, id).enabled, id).toBe(true);
    }
  });

  it('lists recent files, opens the one chosen and clears them', () => {
    const { template, log } = build('linux', { hasDocument: false }, ['/home/ann/flows/bot.json', '/tmp/bot.json']);
    const recent = byId(template, 'file.recent').submenu as MenuItemConstructorOptions[];
    expect(recent.map((i) => i.label ?? i.type)).toEqual(['bot.json — /home/ann/flows', 'bot.json — /tmp', 'separator', 'Clear Recent']);
    click(recent[1]);
    click(byId(template, 'file.recent.clear'));
    expect(log).toEqual(['recent /tmp/bot.json', 'clear recent']);
  });

  it('shows a disabled placeholder when there are no recent files', () => {
    const { template } = build('darwin', { hasDocument: false }, []);
    expect(byId(template, 'file.recent.empty')).toMatchObject({ label: 'No Recent Files', enabled: false });
    expect(byId(template, 'file.recent.clear').enabled).toBe(false);
  });
});
