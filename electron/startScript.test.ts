/**
 * `npm start` where Electron's binary is missing (as here), the bundles it launches, and the
 * embedded runtime loaded the way the bundled main process loads it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../scripts/findElectronBinary.ts';
import { STUDIO_HOST_MEMBERS } from './studioHostBridge.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'studio-start-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A child process whose output can be awaited; stop() kills it and waits for the exit. */
function launch(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters = new Set<() => void>();
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    for (const wake of waiters) wake();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return {
    output: () => output,
    /** Resolves with the first match of `pattern` in the output; rejects if the process exits first or after 25 s. */
    waitFor(pattern: RegExp): Promise<RegExpExecArray> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`timed out waiting for ${pattern}; output:\n${output}`)), 25_000);
        const check = () => {
          const match = pattern.exec(output);
          if (match) done(undefined, match);
        };
        const done = (error?: Error, match?: RegExpExecArray) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (match) resolve(match);
          else reject(error);
        };
        waiters.add(check);
        exited.then(() => done(new Error(`exited before ${pattern}; output:\n${output}`)));
        check();
      });
    },
    async stop(): Promise<void> {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('finding the Electron binary without downloading it', () => {
  it('reports it missing when the package has no path.txt, as after an offline install', async () => {
    const pkg = path.join(tmp, 'bare-electron');
    await mkdir(pkg, { recursive: true });
    expect(findElectronBinary(pkg, {}, 'linux')).toEqual({ path: null, lookedAt: path.join(pkg, 'dist', 'electron') });
  });

  it('finds the downloaded binary named by path.txt', async () => {
    const pkg = path.join(tmp, 'installed-electron');
    await mkdir(path.join(pkg, 'dist'), { recursive: true });
    await writeFile(path.join(pkg, 'path.txt'), 'electron');
    expect(findElectronBinary(pkg, {}, 'linux').path).toBeNull();
    await writeFile(path.join(pkg, 'dist', 'electron'), '');
    expect(findElectronBinary(pkg, {}, 'linux').path).toBe(path.join(pkg, 'dist', 'electron'));
  });

  it('uses ELECTRON_OVERRIDE_DIST_PATH when set, with the platform executable name', async () => {
    const pkg = path.join(tmp, 'bare-electron-2');
    const unpacked = path.join(tmp, 'unpacked');
    await mkdir(pkg, { recursive: true });
    await mkdir(unpacked, { recursive: true });
    const env = { ELECTRON_OVERRIDE_DIST_PATH: unpacked };
    expect(findElectronBinary(pkg, env, 'win32')).toEqual({ path: null, lookedAt: path.join(unpacked, 'electron.exe') });
    await writeFile(path.join(unpacked, 'electron.exe'), '');
    expect(findElectronBinary(pkg, env, 'win32').path).toBe(path.join(unpacked, 'electron.exe'));
  });
});

describe('npm start without the Electron binary', () => {
  it('says why in one paragraph, then serves the studio in the browser at the URL it prints', async () => {
    const started = launch(['scripts/start.mjs', '--no-build'], {
      STUDIO_PORT: '0',
      STUDIO_DATA_DIR: path.join(tmp, 'data'),
      // Forces "missing" even on a machine where Electron is installed.
      ELECTRON_OVERRIDE_DIST_PATH: path.join(tmp, 'no-electron-here'),
    });
    try {
      // The one line a user opens: the address with this launch's token (traded for a cookie).
      const [, url] = await started.waitFor(/Studio: (http:\/\/127\.0\.0\.1:\d+\/studio\/\?token=[0-9a-f]{64})\n/);
      const [paragraph] = started.output().split('\n');
      expect(paragraph).toMatch(/^The desktop window can't start because Electron's binary isn't installed \(looked for \S*no-electron-here/);
      expect(paragraph).toContain('`npx install-electron`');
      expect(paragraph).toContain('ELECTRON_OVERRIDE_DIST_PATH');
      expect(paragraph).toContain('the studio is served for your browser instead');

      const health = await fetch(new URL('/healthz', url));
      expect(health.status).toBe(200);
      expect((await fetch(new URL('/studio/', url))).status).toBe(401);
      const exchange = await fetch(url, { redirect: 'manual' });
      expect(exchange.status).toBe(303);
      const cookie = (exchange.headers.get('set-cookie') ?? '').split(';')[0];
      const studio = await fetch(new URL(exchange.headers.get('location')!, url), { headers: { cookie } });
      if (existsSync(path.join(ROOT, 'dist', 'studio', 'index.html'))) {
        expect(studio.status).toBe(200);
        expect(await studio.text()).toContain('<html');
      } else {
        // `npm test` runs the unit tests before `npm run build`: the page says what to do.
        expect(studio.status).toBe(500);
        expect(await studio.text()).toContain('npm run build');
      }
    } finally {
      await started.stop();
    }
  });
});

describe('the bundles npm start and npm run dist launch', () => {
  // Inside the repository, like dist/electron, so bare imports (tsx) resolve from its node_modules.
  const outDir = path.join(ROOT, 'dist', `.electron-test-${process.pid}`);
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('builds a sandbox-safe preload that exposes exactly the StudioHost members', async () => {
    const { buildElectron } = (await import(pathToFileURL(path.join(ROOT, 'scripts', 'buildElectron.mjs')).href)) as {
      buildElectron(root: string, outDir: string): Promise<void>;
    };
    await buildElectron(ROOT, outDir);
    const preload = await readFile(path.join(outDir, 'preload.cjs'), 'utf8');
    const required: string[] = [];
    const exposed: Record<string, unknown> = {};
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void (exposed[key] = api) },
      ipcRenderer: { invoke: async () => undefined, send: () => {}, on: () => {}, removeListener: () => {} },
    };
    // A sandboxed preload can require only a few modules: this one may need 'electron' alone.
    const sandboxRequire = (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require "${name}"`);
      return fakeElectron;
    };
    vm.runInNewContext(preload, { require: sandboxRequire, process: { platform: 'linux' }, module: { exports: {} }, exports: {} });
    expect(required).toEqual(['electron']);
    expect(Object.keys(exposed)).toEqual(['studioHost']);
    expect(Object.keys(exposed.studioHost as object).sort()).toEqual(Object.keys(STUDIO_HOST_MEMBERS).sort());

    const main = await readFile(path.join(outDir, 'main.mjs'), 'utf8');
    const staticImports = [...main.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(new Set(staticImports.filter((name) => !name.startsWith('node:')))).toEqual(new Set(['electron']));
    expect(main).toContain('.resolve("tsx/package.json")');
  });

  it('starts the embedded runtime the way the bundled main does: TypeScript through tsx, on 127.0.0.1', async () => {
    await build({
      entryPoints: [path.join(ROOT, 'electron', 'startEmbeddedRuntime.ts')],
      outfile: path.join(outDir, 'startEmbeddedRuntime.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'warning',
    });
    const script = `
      const { startEmbeddedRuntime } = await import(${JSON.stringify(pathToFileURL(path.join(outDir, 'startEmbeddedRuntime.mjs')).href)});
      const quiet = { info() {}, warn() {}, error() {} };
      const runtime = await startEmbeddedRuntime({ root: ${JSON.stringify(ROOT)}, dataDir: ${JSON.stringify(path.join(tmp, 'runtime-data'))}, logger: quiet });
      const health = await fetch(new URL('/healthz', runtime.url));
      const anonymous = await fetch(new URL('/studio/', runtime.url));
      const exchange = await fetch(runtime.studioUrl, { redirect: 'manual' });
      const cookie = (exchange.headers.get('set-cookie') ?? '').split(';')[0];
      const studio = await fetch(new URL('/studio/', runtime.url), { headers: { cookie } });
      console.log('RESULT ' + JSON.stringify({ url: runtime.url, studioUrl: runtime.studioUrl, health: health.status, anonymous: anonymous.status, studio: studio.status }));
      await runtime.close();
      console.log('CLOSED');
    `;
    const run = launch(['--input-type=module', '-e', script], {});
    try {
      const [, json] = await run.waitFor(/RESULT (\{.*\})/);
      const result = JSON.parse(json) as { url: string; studioUrl: string; health: number; anonymous: number; studio: number };
      expect(result.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(result.studioUrl).toBe(`${result.url}studio/?token=${new URL(result.studioUrl).searchParams.get('token')}`);
      expect(result.health).toBe(200);
      expect(result.anonymous).toBe(401);
      expect(result.studio).toBe(existsSync(path.join(ROOT, 'dist', 'studio', 'index.html')) ? 200 : 500);
      await run.waitFor(/CLOSED/);
    } finally {
      await run.stop();
    }
  });
});
