/**
 * Bundles the Electron main process and preload with esbuild (Electron cannot run .ts):
 *   electron/main.ts    -> dist/electron/main.mjs  (ESM; packages stay external, the runtime loads through tsx)
 *   electron/preload.ts -> dist/electron/preload.cjs (CommonJS: sandboxed preloads cannot be ESM or require files)
 * Used by `npm start` and, as electron-builder's beforePack hook, by `npm run dist`.
 */
import { build } from 'esbuild';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
/** Electron 45 ships Node 22 and Chromium 140. */
const NODE_TARGET = 'node22';
const CHROME_TARGET = 'chrome140';

/** Writes main.mjs and preload.cjs to `outDir` (dist/electron under `root` by default). */
export async function buildElectron(root = ROOT, outDir = path.join(root, 'dist', 'electron')) {
  const common = { bundle: true, platform: 'node', sourcemap: 'linked', logLevel: 'warning', external: ['electron'] };
  await Promise.all([
    build({
      ...common,
      entryPoints: [path.join(root, 'electron', 'main.ts')],
      outfile: path.join(outDir, 'main.mjs'),
      format: 'esm',
      target: NODE_TARGET,
      packages: 'external',
    }),
    build({
      ...common,
      entryPoints: [path.join(root, 'electron', 'preload.ts')],
      outfile: path.join(outDir, 'preload.cjs'),
      format: 'cjs',
      target: CHROME_TARGET,
    }),
  ]);
}

/** electron-builder hook (`build.beforePack` in package.json): bundle before files are collected. */
export async function beforePack() {
  await buildElectron();
}
