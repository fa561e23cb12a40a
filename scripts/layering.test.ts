import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLayering, isLayeredFile } from './checkLayering.ts';

const root = new URL('../', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name)) files.push(relative(root, path).split('\\').join('/'));
    }
  };
  walk(join(root, dir));
  return files;
}

describe('layering', () => {
  it('runtime, electron and renderer respect the layering rules', () => {
    const files = [...sourceFiles('runtime'), ...sourceFiles('electron'), ...sourceFiles('renderer')].filter(isLayeredFile);
    expect(files.length).toBeGreaterThan(5);
    expect(files).toContain('runtime/contract/studioHost.ts');
    expect(files).toContain('electron/main.ts');
    const violations = files.flatMap((file) => checkLayering(file, readFileSync(join(root, file), 'utf8')));
    expect(violations.map((v) => `${v.file}:${v.line} ${v.message}`)).toEqual([]);
  });
});

describe('checkLayering (the checker itself)', () => {
  it('catches Node, ws, express, DOM globals and outside imports in runtime/flow', () => {
    const text = [
      "import fs from 'node:fs';",
      "import { join } from 'path';",
      "export { WebSocket } from 'ws';",
      "const server = await import('express');",
      "import type { X } from '../server/start.ts';",
      "document.title = 'x';",
      "const href = window.location.href;",
      "import { ok } from './types.ts';\nimport sample from '../../state-machines/x.json';",
      "const fine = { window: 1, document: 2 }.window + config.document;",
      "// import bad from 'node:os'; document",
      "const text = \"import('fs') window\";",
      "import { readFile } from 'fs/promises';",
    ].join('\n');
    const found = checkLayering('runtime/flow/bad.ts', text);
    expect(found.map((v) => v.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 13]);
    expect(found[0]).toEqual({ file: 'runtime/flow/bad.ts', line: 1, message: 'runtime/flow is pure: it may not import the Node module "node:fs"' });
    expect(found[4].message).toContain('runtime/server/start.ts');
  });

  it('catches electron, Node and server-side imports in renderer', () => {
    const text = [
      "import { ipcRenderer } from 'electron';",
      "import { start } from '../../../runtime/server/start.ts';",
      "const stream = await import('../../../runtime/stream/messageStream.ts');",
      "import path from 'node:path';",
      "import { parseFlow } from '../../../runtime/flow/parseFlow.ts';",
      "import { create } from 'zustand';",
      'const title = document.title;',
    ].join('\n');
    expect(checkLayering('renderer/src/x/y.tsx', text).map((v) => v.line)).toEqual([1, 2, 3, 4]);
  });

  it('catches imports from the renderer in runtime and electron (the one upward direction)', () => {
    const text = [
      "import type { FlowLayout } from '../../../renderer/src/host/studioHost.ts';",
      "import type { StudioHost } from '../../contract/studioHost.ts';",
      "export { MENU_COMMANDS } from '../../../renderer/src/commands/appActions.ts';",
    ].join('\n');
    const found = checkLayering('runtime/server/studio/x.ts', text);
    expect(found.map((v) => v.line)).toEqual([1, 3]);
    expect(found[0].message).toBe(
      "runtime may not import the studio's code \"../../../renderer/src/host/studioHost.ts\" (renderer/src/host/studioHost.ts): the renderer sits on top; shared shapes belong in runtime/contract",
    );
    const electron = checkLayering('electron/ipcChannels.ts', "import { MENU_COMMANDS } from '../renderer/src/host/studioHost.ts';\nimport { MENU_COMMANDS as M } from '../runtime/contract/studioHost.ts';");
    expect(electron.map((v) => [v.line, v.message.startsWith('electron may not import')])).toEqual([[1, true]]);
  });

  it('catches renderer imports of the desktop shell', () => {
    const found = checkLayering('renderer/src/host/x.ts', "import { createDesktopStudioHost } from '../../../electron/studioHostBridge.ts';\nimport type { StudioHost } from '../../../runtime/contract/studioHost.ts';");
    expect(found).toEqual([{ file: 'renderer/src/host/x.ts', line: 1, message: 'renderer may not import the desktop shell "../../../electron/studioHostBridge.ts" (electron/studioHostBridge.ts): reach the host through StudioHost' }]);
  });

  it('keeps runtime/contract pure and below the server', () => {
    const text = [
      "import type { RequestMessage } from '../flow/types.ts';",
      "import type { SessionInfo } from '../history/historyTypes.ts';",
      "import { SessionHistory } from '../history/sessionHistory.ts';",
      "import type { IncomingMessage } from 'node:http';",
      "import { start } from '../server/start.ts';",
      'const title = document.title;',
    ].join('\n');
    expect(checkLayering('runtime/contract/studioHost.ts', text).map((v) => v.line)).toEqual([3, 4, 5, 6]);
  });

  it('leaves test files and other folders alone', () => {
    const text = "import fs from 'node:fs';";
    expect(checkLayering('runtime/flow/parseFlow.test.ts', text)).toEqual([]);
    expect(checkLayering('renderer/src/a.test.tsx', text)).toEqual([]);
    expect(checkLayering('runtime/server/start.ts', text)).toEqual([]);
    expect(checkLayering('electron/main.test.ts', "import { x } from '../renderer/src/App.tsx';")).toEqual([]);
    expect(checkLayering('scripts/studio.ts', "import { x } from '../renderer/src/App.tsx';")).toEqual([]);
    expect(checkLayering('runtime/flow/pure.ts', text)).toHaveLength(1);
  });
});
