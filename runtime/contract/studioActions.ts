/**
 * The one table of studio actions: each entry gives an action's label and its keys, and from it come
 * the studio's keyboard handling, its shortcuts list and the desktop app's native menu accelerators.
 * Pure data and string functions (no React, no DOM, no Electron), so the renderer and electron both
 * import it. The renderer adds what each action does (`renderer/src/commands/appActions.ts`).
 */

/**
 * Keys are written `mod+shift+s`: `mod` is ⌘ on macOS and Ctrl elsewhere; then `shift`, `alt`, and
 * the key as `KeyboardEvent.key` lower-cased (`delete`, `f1`, `1`, `=`).
 */
export interface StudioActionSpec {
  /** what menus, buttons and the shortcuts list call it */
  label: string;
  /** the keys everywhere; the first one is the one menus and lists show */
  keys?: readonly string[];
  /** macOS's keys when they differ (Redo is ⌘⇧Z there, Ctrl+Y on Windows) */
  macKeys?: readonly string[];
  /** the browser's clipboard events deliver these (the key handler leaves them alone) */
  viaClipboard?: boolean;
  /** a browser tab cannot take these keys from the browser (Ctrl+N, Ctrl+W): only the desktop app has them */
  desktopOnlyKeys?: boolean;
}

export const STUDIO_ACTIONS = {
  'file.new': { label: 'New flow…', keys: ['mod+n'], desktopOnlyKeys: true },
  'file.open': { label: 'Open…', keys: ['mod+o'] },
  'file.save': { label: 'Save', keys: ['mod+s'] },
  'file.saveAs': { label: 'Save as…', keys: ['mod+shift+s'] },
  'file.export': { label: 'Export…', keys: ['mod+e'] },
  'file.publish': { label: 'Publish…' },
  'file.close': { label: 'Close', keys: ['mod+w'], desktopOnlyKeys: true },
  'file.rename': { label: 'Rename…' },
  'file.delete': { label: 'Delete file…' },
  'edit.undo': { label: 'Undo', keys: ['mod+z'] },
  'edit.redo': { label: 'Redo', keys: ['mod+y', 'mod+shift+z'], macKeys: ['mod+shift+z'] },
  'edit.cut': { label: 'Cut', keys: ['mod+x'], viaClipboard: true },
  'edit.copy': { label: 'Copy', keys: ['mod+c'], viaClipboard: true },
  'edit.paste': { label: 'Paste', keys: ['mod+v'], viaClipboard: true },
  'edit.delete': { label: 'Delete', keys: ['delete', 'backspace'], macKeys: ['backspace', 'delete'] },
  'edit.selectAll': { label: 'Select all', keys: ['mod+a'] },
  'edit.find': { label: 'Find', keys: ['mod+f'] },
  'edit.duplicate': { label: 'Duplicate', keys: ['mod+d'] },
  'edit.setStart': { label: 'Set as start' },
  'view.fit': { label: 'Fit view', keys: ['shift+1'] },
  'view.zoomIn': { label: 'Zoom in', keys: ['mod+=', 'mod++'] },
  'view.zoomOut': { label: 'Zoom out', keys: ['mod+-'] },
  'view.zoomReset': { label: 'Actual size', keys: ['mod+0'] },
  'view.autoLayout': { label: 'Auto-layout', keys: ['mod+shift+l'] },
  'view.toggleJson': { label: 'Show/hide JSON', keys: ['mod+j'] },
  'view.togglePreview': { label: 'Show/hide preview', keys: ['mod+shift+p'] },
  'view.toggleSessions': { label: 'Show/hide sessions', keys: ['mod+shift+h'] },
  'help.about': { label: 'About' },
  'help.docs': { label: 'Keyboard shortcuts', keys: ['f1'] },
} as const satisfies Record<string, StudioActionSpec>;

export type StudioActionName = keyof typeof STUDIO_ACTIONS;

export const STUDIO_ACTION_NAMES = Object.keys(STUDIO_ACTIONS) as StudioActionName[];

export function actionSpec(name: StudioActionName): StudioActionSpec {
  return STUDIO_ACTIONS[name];
}

/** The action's keys on a platform (`darwin`, `win32`, `linux`, or the browser's guess), first shown first. */
export function keysOn(name: StudioActionName, platform: string): readonly string[] {
  return specKeys(actionSpec(name), platform);
}

function specKeys(spec: StudioActionSpec, platform: string): readonly string[] {
  return (platform === 'darwin' ? spec.macKeys : undefined) ?? spec.keys ?? [];
}

/** Every key claimed by more than one action of a table on a platform: `[key, [actions…]]`. Empty when the table is sound. */
export function keyClashes(platform: string, table: Record<string, StudioActionSpec> = STUDIO_ACTIONS): [string, string[]][] {
  const owners = new Map<string, string[]>();
  for (const [name, spec] of Object.entries(table)) {
    for (const key of new Set(specKeys(spec, platform))) owners.set(key, [...(owners.get(key) ?? []), name]);
  }
  return [...owners].filter(([, names]) => names.length > 1);
}

/** The key a keyboard event stands for, in the table's notation (Ctrl or ⌘ both count as `mod`). */
export function keyOfEvent(event: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }): string {
  const parts: string[] = [];
  if (event.ctrlKey || event.metaKey) parts.push('mod');
  if (event.shiftKey) parts.push('shift');
  if (event.altKey) parts.push('alt');
  // Shift+1 arrives as "!" on US layouts.
  const key = event.key === '!' && event.shiftKey ? '1' : event.key.toLowerCase();
  return [...parts, key].join('+');
}

const ELECTRON_KEY_NAMES: Record<string, string> = { '+': 'Plus', '=': '=', '-': '-', delete: 'Delete', backspace: 'Backspace' };

/** `mod+shift+s` as an Electron accelerator: `CmdOrCtrl+Shift+S`. */
export function toAccelerator(key: string): string {
  return key
    .split('+')
    .map((part, index, all) => {
      if (index < all.length - 1 || part === '') return { mod: 'CmdOrCtrl', shift: 'Shift', alt: 'Alt' }[part] ?? part;
      return ELECTRON_KEY_NAMES[part] ?? part.toUpperCase();
    })
    .join('+')
    .replace(/\+\+$/, '+Plus');
}

/**
 * May the native menu register this key as a global accelerator? Only with ⌘/Ctrl or a function key:
 * a bare Delete or Shift+1 registered by the menu would swallow the key while the author types.
 */
export function menuMayRegister(key: string): boolean {
  return key.startsWith('mod+') || /^f\d+$/.test(key);
}

const MAC_SYMBOLS: Record<string, string> = { mod: '⌘', shift: '⇧', alt: '⌥' };
const KEY_WORDS: Record<string, string> = { delete: 'Delete', backspace: 'Backspace', '=': '=', '+': '+', '-': '−' };

/** A key as the platform shows it: `⌘⇧S` on macOS, `Ctrl+Shift+S` elsewhere. */
export function displayKey(key: string, platform: string): string {
  const parts = key === '+' ? ['+'] : key.replace(/\+\+$/, '+plus').split('+');
  const last = parts.pop()!;
  const keyWord = last === 'plus' ? '+' : KEY_WORDS[last] ?? (last.length === 1 ? last.toUpperCase() : last.toUpperCase());
  if (platform === 'darwin') return parts.map((p) => MAC_SYMBOLS[p] ?? p).join('') + (last === 'backspace' ? '⌫' : last === 'delete' ? '⌦' : keyWord);
  return [...parts.map((p) => ({ mod: 'Ctrl', shift: 'Shift', alt: 'Alt' })[p] ?? p), keyWord].join('+');
}

/** The shortcuts list (Help › Keyboard shortcuts): each action with keys, its keys as the platform shows them. */
export function shortcutRows(platform: string, desktop: boolean): { name: StudioActionName; label: string; keys: string[] }[] {
  return STUDIO_ACTION_NAMES.flatMap((name) => {
    const spec = actionSpec(name);
    const keys = spec.desktopOnlyKeys && !desktop ? [] : keysOn(name, platform).map((key) => displayKey(key, platform));
    return keys.length > 0 ? [{ name, label: spec.label, keys }] : [];
  });
}
