import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, MIN_WINDOW_SIZE, clampToDisplays, loadWindowState, saveWindowState } from './windowState.ts';

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const rightMonitor = { x: 1440, y: 0, width: 2560, height: 1400 };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'studio-window-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('window state', () => {
  it('saves and restores size, position and maximized', async () => {
    const file = join(dir, 'window-state.json');
    await saveWindowState(file, { x: 1600, y: 100, width: 1800, height: 1000 }, true);
    expect(await loadWindowState(file, [laptop, rightMonitor])).toEqual({ x: 1600, y: 100, width: 1800, height: 1000, maximized: true });
  });

  it('uses the default on first launch or when the file is corrupt', async () => {
    const file = join(dir, 'window-state.json');
    expect(await loadWindowState(file, [laptop])).toEqual(DEFAULT_WINDOW_STATE);
    await writeFile(file, 'garbage');
    expect(await loadWindowState(file, [laptop])).toEqual(DEFAULT_WINDOW_STATE);
    await writeFile(file, JSON.stringify({ x: 'a', width: -1, height: null, maximized: 'yes' }));
    expect(await loadWindowState(file, [laptop])).toEqual({ ...DEFAULT_WINDOW_STATE, width: MIN_WINDOW_SIZE.width });
  });

  it('drops the position of a window left on a monitor that was unplugged', async () => {
    const file = join(dir, 'window-state.json');
    await saveWindowState(file, { x: 1600, y: 100, width: 1800, height: 1000 }, false);
    expect(await loadWindowState(file, [laptop])).toEqual({ width: 1440, height: 875, maximized: false });
  });

  it('keeps a window that is partly off-screen if its title bar can be grabbed', () => {
    expect(clampToDisplays({ x: -300, y: 50, width: 800, height: 600, maximized: false }, [laptop])).toMatchObject({ x: -300, y: 50 });
    expect(clampToDisplays({ x: 1400, y: 50, width: 800, height: 600, maximized: false }, [laptop])).not.toHaveProperty('x');
    expect(clampToDisplays({ x: 100, y: -500, width: 800, height: 600, maximized: false }, [laptop])).not.toHaveProperty('y');
  });

  it('keeps sizes between the minimum and the largest display', () => {
    expect(clampToDisplays({ width: 100, height: 90, maximized: false }, [laptop])).toEqual({ ...MIN_WINDOW_SIZE, maximized: false });
    expect(clampToDisplays({ width: 9000, height: 9000, maximized: false }, [laptop, rightMonitor])).toEqual({ width: 2560, height: 1400, maximized: false });
  });

  it('writes plain JSON', async () => {
    const file = join(dir, 'window-state.json');
    await saveWindowState(file, { x: 1, y: 2, width: 800, height: 600 }, false);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ x: 1, y: 2, width: 800, height: 600, maximized: false });
  });
});
