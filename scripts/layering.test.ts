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
  it('runtime/flow and renderer respect the layering rules', () => {
    const files = [...sourceFiles('runtime/flow'), ...sourceFiles('renderer')].filter(isLayeredFile);
    expect(files.length).toBeGreaterThan(5);
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
      "const stream = await import('../../../runtime/stream/MessageStream.ts');",
      "import path from 'node:path';",
      "import { parseFlow } from '../../../runtime/flow/parseFlow.ts';",
      "import { create } from 'zustand';",
      'const title = document.title;',
    ].join('\n');
    expect(checkLayering('renderer/src/x/y.tsx', text).map((v) => v.line)).toEqual([1, 2, 3, 4]);
  });

  it('leaves test files and other folders alone', () => {
    const text = "import fs from 'node:fs';";
    expect(checkLayering('runtime/flow/parseFlow.test.ts', text)).toEqual([]);
    expect(checkLayering('renderer/src/a.test.tsx', text)).toEqual([]);
    expect(checkLayering('runtime/server/start.ts', text)).toEqual([]);
    expect(checkLayering('runtime/flow/pure.ts', text)).toHaveLength(1);
  });
});
