/**
 * Remembers the window's size, position and maximized state in userData, and puts it back on a
 * display that is still there (a monitor may have been unplugged since).
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../runtime/server/studio/writeFileAtomic.ts';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent: let the OS center the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 800, maximized: false };
export const MIN_WINDOW_SIZE = { width: 720, height: 480 };
/** How much of the title bar must be on a display for the saved position to be kept. */
const MIN_VISIBLE = 64;

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * Fits `state` to the displays' work areas: no bigger than the largest display, and kept where it
 * was only if at least part of its title bar is on a display; otherwise the position is dropped.
 */
export function clampToDisplays(state: WindowState, workAreas: readonly Rectangle[]): WindowState {
  if (workAreas.length === 0) return state;
  const maxWidth = Math.max(...workAreas.map((a) => a.width));
  const maxHeight = Math.max(...workAreas.map((a) => a.height));
  const width = Math.max(MIN_WINDOW_SIZE.width, Math.min(state.width, maxWidth));
  const height = Math.max(MIN_WINDOW_SIZE.height, Math.min(state.height, maxHeight));
  const sized: WindowState = { width, height, maximized: state.maximized };
  if (!isNumber(state.x) || !isNumber(state.y)) return sized;
  const titleBar = { x: state.x, y: state.y, width, height: 32 };
  const visible = workAreas.some((area) => {
    const o = overlap(titleBar, area);
    return o.width >= MIN_VISIBLE && o.height > 0;
  });
  return visible ? { ...sized, x: state.x, y: state.y } : sized;
}

/** Reads the saved state (missing or corrupt: the default) and clamps it to `workAreas`. */
export async function loadWindowState(file: string, workAreas: readonly Rectangle[]): Promise<WindowState> {
  let saved: Partial<WindowState> = {};
  try {
    saved = JSON.parse(await readFile(file, 'utf8')) as Partial<WindowState>;
  } catch {
    // first launch, or a file we cannot use: start from the default
  }
  const state: WindowState = {
    width: isNumber(saved.width) ? saved.width : DEFAULT_WINDOW_STATE.width,
    height: isNumber(saved.height) ? saved.height : DEFAULT_WINDOW_STATE.height,
    maximized: saved.maximized === true,
    ...(isNumber(saved.x) && isNumber(saved.y) ? { x: saved.x, y: saved.y } : {}),
  };
  return clampToDisplays(state, workAreas);
}

/** Saves the window's normal (unmaximized) bounds and whether it is maximized. */
export async function saveWindowState(file: string, normalBounds: Rectangle, maximized: boolean): Promise<void> {
  const state: WindowState = { ...normalBounds, maximized };
  await writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}
