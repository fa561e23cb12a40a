import { describe, expect, it } from 'vitest';
import { displayKey, keyClashes, keyOfEvent, keysOn, menuMayRegister, STUDIO_ACTION_NAMES, toAccelerator } from './studioActions.ts';

const PLATFORMS = ['darwin', 'win32', 'linux'];

describe('the studio action table', () => {
  it('gives every key to one action only, on every platform', () => {
    for (const platform of PLATFORMS) expect(keyClashes(platform), platform).toEqual([]);
  });

  it('reports a key two actions claim', () => {
    const table = { 'view.fit': { label: 'Fit', keys: ['shift+1'] }, 'view.other': { label: 'Other', keys: ['mod+k', 'shift+1'] } };
    expect(keyClashes('linux', table)).toEqual([['shift+1', ['view.fit', 'view.other']]]);
  });

  it('has Redo on ⌘⇧Z on macOS and on Ctrl+Y first elsewhere', () => {
    expect(keysOn('edit.redo', 'darwin')).toEqual(['mod+shift+z']);
    expect(keysOn('edit.redo', 'win32')).toEqual(['mod+y', 'mod+shift+z']);
  });

  it('writes keys as Electron accelerators', () => {
    expect(toAccelerator('mod+shift+s')).toBe('CmdOrCtrl+Shift+S');
    expect(toAccelerator('mod++')).toBe('CmdOrCtrl+Plus');
    expect(toAccelerator('mod+=')).toBe('CmdOrCtrl+=');
    expect(toAccelerator('shift+1')).toBe('Shift+1');
    expect(toAccelerator('delete')).toBe('Delete');
    expect(toAccelerator('f1')).toBe('F1');
  });

  it('shows keys the platform way', () => {
    expect(displayKey('mod+shift+s', 'darwin')).toBe('⌘⇧S');
    expect(displayKey('mod+shift+s', 'linux')).toBe('Ctrl+Shift+S');
    expect(displayKey('mod+o', 'win32')).toBe('Ctrl+O');
    expect(displayKey('mod++', 'linux')).toBe('Ctrl++');
    expect(displayKey('backspace', 'darwin')).toBe('⌫');
    expect(displayKey('f1', 'linux')).toBe('F1');
  });

  it('lets the menu register only keys with ⌘/Ctrl or a function key', () => {
    expect(menuMayRegister('mod+s')).toBe(true);
    expect(menuMayRegister('f1')).toBe(true);
    expect(menuMayRegister('delete')).toBe(false);
    expect(menuMayRegister('shift+1')).toBe(false);
  });

  it('reads key presses in its own notation', () => {
    const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) =>
      keyOfEvent({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
    expect(press('S', { metaKey: true, shiftKey: true })).toBe('mod+shift+s');
    expect(press('!', { shiftKey: true })).toBe('shift+1');
    expect(press('Delete')).toBe('delete');
  });

  it('writes every key in the notation it reads', () => {
    for (const name of STUDIO_ACTION_NAMES) {
      for (const key of [...keysOn(name, 'darwin'), ...keysOn(name, 'linux')]) expect(key, name).toMatch(/^(mod\+)?(shift\+)?(alt\+)?([a-z0-9=+\-]|f\d+|delete|backspace)$/);
    }
  });
});
