/**
 * Starts the real studio (same code path as `npm run studio`) for a browser test: the given flows
 * are copied into a fresh temp workspace, the server listens on a free port, and `close` stops it
 * and deletes the workspace. The renderer is built at most once per test run, when stale.
 */
import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureRendererBuilt } from '../../scripts/ensureRendererBuilt.ts';
import { startStudio, type RunningStudio } from '../../scripts/studioServer.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface StudioServerOptions {
  /** flow files to copy in, relative to the repository root (their `.layout.json` sidecars come along) */
  flows?: string[];
  /** extra files to write into the workspace: name -> text */
  files?: Record<string, string>;
}

export interface StudioServer {
  /** `http://127.0.0.1:PORT/studio/?token=…`: the address `npm run studio` prints (opening it signs the browser in) */
  url: string;
  /** the temp workspace's real path */
  workspace: string;
  /** the running studio (runtime handle, running flow) */
  studio: RunningStudio;
  close(): Promise<void>;
}

let built: Promise<unknown> | undefined;

export async function startStudioServer(options: StudioServerOptions = {}): Promise<StudioServer> {
  built ??= ensureRendererBuilt();
  await built;
  const root = await mkdtemp(path.join(tmpdir(), 'studio-e2e-'));
  const workspace = path.join(root, 'workspace');
  await mkdir(workspace);
  for (const flow of options.flows ?? []) {
    const source = path.resolve(ROOT, flow);
    await copyFile(source, path.join(workspace, path.basename(source)));
    const sidecar = source.replace(/\.json$/, '.layout.json');
    if (await exists(sidecar)) await copyFile(sidecar, path.join(workspace, path.basename(sidecar)));
  }
  for (const [name, text] of Object.entries(options.files ?? {})) {
    await mkdir(path.dirname(path.join(workspace, name)), { recursive: true });
    await writeFile(path.join(workspace, name), text);
  }
  let studio: RunningStudio;
  try {
    studio = await startStudio({ workspace, port: 0, dataDir: path.join(root, 'data'), build: false });
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return {
    url: studio.url,
    workspace: studio.workspace,
    studio,
    async close() {
      await studio.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
