import { describe, expect, it } from 'vitest';
import { parseFileArgs } from './parseFileArgs.ts';
import { claimSingleInstance } from './singleInstance.ts';
import type { SingleInstanceApp } from './singleInstance.ts';

describe('file arguments', () => {
  it('keeps .json files, resolved against the launch folder, skipping the executable and flags', () => {
    const argv = ['/opt/Bot Assistant Studio/bot-assistant-studio', '--no-sandbox', 'flows/a.json', '/abs/B.JSON', '--inspect=9229', 'notes.txt'];
    expect(parseFileArgs(argv, '/home/ann')).toEqual(['/home/ann/flows/a.json', '/abs/B.JSON']);
  });

  it("skips Electron's own arguments in development (the main script, '.')", () => {
    const argv = ['/repo/node_modules/electron/dist/electron', '/repo/dist/electron/main.mjs', '.', '--allow-file-access-from-files', './x.json'];
    expect(parseFileArgs(argv, '/repo')).toEqual(['/repo/x.json']);
  });

  it('normalises and removes duplicates', () => {
    expect(parseFileArgs(['exe', 'a.json', './a.json', 'sub/../a.json'], '/w')).toEqual(['/w/a.json']);
  });

  it('treats the executable as no file even if it ends in .json', () => {
    expect(parseFileArgs(['weird.json'], '/w')).toEqual([]);
  });
});

describe('single instance', () => {
  function fakeApp(gotLock: boolean) {
    const calls: string[] = [];
    let secondInstance: ((event: unknown, argv: string[], cwd: string) => void) | undefined;
    const app: SingleInstanceApp = {
      requestSingleInstanceLock: () => gotLock,
      on: (_event, listener) => {
        secondInstance = listener;
      },
      quit: () => void calls.push('quit'),
    };
    return { app, calls, launchAgain: (argv: string[], cwd: string) => secondInstance?.({}, argv, cwd) };
  }

  it('quits when another instance holds the lock', () => {
    const { app, calls } = fakeApp(false);
    expect(claimSingleInstance(app, { focus: () => calls.push('focus'), openFiles: () => calls.push('open') })).toBe(false);
    expect(calls).toEqual(['quit']);
  });

  it('focuses the first window and opens the files of a second launch', () => {
    const { app, calls, launchAgain } = fakeApp(true);
    expect(claimSingleInstance(app, { focus: () => calls.push('focus'), openFiles: (paths) => calls.push(`open ${paths.join(',')}`) })).toBe(true);
    launchAgain(['studio', '--flag', 'next.json', 'README.md'], '/home/ann/flows');
    launchAgain(['studio'], '/');
    expect(calls).toEqual(['focus', 'open /home/ann/flows/next.json', 'focus']);
  });
});
