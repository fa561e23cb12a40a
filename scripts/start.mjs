#!/usr/bin/env node
/**
 * `npm start [-- [--no-build] [flow.json…]]`: opens the desktop studio. Builds the renderer when
 * dist/studio is missing or stale and bundles the Electron shell, then launches Electron. Where
 * Electron's binary is not installed, says so and serves the studio in the browser instead
 * (port from STUDIO_PORT, default 9999; data folder from STUDIO_DATA_DIR, default under the workspace).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { register } from 'tsx/esm/api';
import { buildElectron } from './buildElectron.mjs';

register();
const { findElectronBinary } = await import('./findElectronBinary.ts');

const ROOT = path.resolve(import.meta.dirname, '..');
const MAIN_BUNDLE = path.join(ROOT, 'dist', 'electron', 'main.mjs');
const args = process.argv.slice(2);
const skipBuild = args.includes('--no-build');
const passThrough = args.filter((arg) => arg !== '--no-build');

async function ensureRenderer() {
  if (skipBuild) return;
  const { ensureRendererBuilt } = await import('./ensureRendererBuilt.ts');
  await ensureRendererBuilt((message) => console.log(message));
}

function launchElectron(binary) {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // set by some tools; it would make Electron a plain Node
  // npm runs scripts from the package root; INIT_CWD is where the user typed `npm start -- flow.json`.
  const child = spawn(binary, [MAIN_BUNDLE, ...passThrough], { stdio: 'inherit', env, cwd: process.env.INIT_CWD ?? process.cwd() });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
}

async function serveInBrowser(lookedAt) {
  console.log(
    `The desktop window can't start because Electron's binary isn't installed (looked for ${lookedAt}). ` +
      'To install it, run `npx install-electron` (it downloads Electron for this platform), or set ' +
      'ELECTRON_OVERRIDE_DIST_PATH to the folder of an unpacked Electron build, then run `npm start` again. ' +
      'Meanwhile the studio is served for your browser instead (as `npm run studio` does).',
  );
  const { startStudio } = await import('./studioServer.ts');
  const { consoleLogger } = await import('../runtime/server/logger.ts');
  const port = Number(process.env.STUDIO_PORT ?? 9999);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`STUDIO_PORT must be a port number (0-65535), got "${process.env.STUDIO_PORT}"`);
  const studio = await startStudio({
    workspace: path.join(ROOT, 'state-machines'),
    port,
    dataDir: process.env.STUDIO_DATA_DIR,
    build: false, // ensureRenderer already ran (or --no-build asked not to)
    logger: consoleLogger,
  });
  console.log(`Studio: ${studio.url}`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    studio.close().then(() => process.exit(0), (error) => {
      console.error(`Error while stopping: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

try {
  await ensureRenderer();
  const electronDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const binary = findElectronBinary(electronDir);
  if (binary.path) {
    if (!skipBuild || !existsSync(MAIN_BUNDLE)) await buildElectron(ROOT);
    launchElectron(binary.path);
  } else {
    await serveInBrowser(binary.lookedAt);
  }
} catch (error) {
  console.error(`start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
