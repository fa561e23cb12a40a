import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
/** Where `npm run build` puts the studio; the runtime serves it at /studio/. */
export const STUDIO_DIST = path.join(ROOT, 'dist', 'studio');
/** Everything the renderer bundle is built from. */
const SOURCES = [path.join(ROOT, 'renderer'), path.join(ROOT, 'runtime', 'flow'), path.join(ROOT, 'runtime', 'contract'), path.join(ROOT, 'runtime', 'history', 'historyTypes.ts'), path.join(ROOT, 'package-lock.json')];

/**
 * Builds the studio renderer (Vite's JS API) when `dist/studio` is missing or older than its
 * sources. The build goes to a temp folder that then replaces `dist/studio` in one rename, so a
 * server never serves half a build and two processes building at once do not mix their files.
 * Returns true when it built.
 */
export async function ensureRendererBuilt(log: (message: string) => void = () => {}): Promise<boolean> {
  const builtAt = await modifiedMs(path.join(STUDIO_DIST, 'index.html'));
  const newestSource = Math.max(...(await Promise.all(SOURCES.map(newestModifiedMs))));
  if (builtAt !== undefined && builtAt >= newestSource) return false;

  log(builtAt === undefined ? 'Building the studio (dist/studio is missing)…' : 'Rebuilding the studio (sources changed)…');
  const { build } = await import('vite');
  const staging = path.join(ROOT, 'dist', `.studio-build-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await build({
      configFile: path.join(ROOT, 'renderer', 'vite.config.ts'),
      logLevel: 'error',
      build: { outDir: staging, emptyOutDir: true },
    });
    await replaceDirectory(staging, STUDIO_DIST);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return true;
}

async function replaceDirectory(source: string, target: string): Promise<void> {
  const retired: string[] = [];
  for (let attempt = 0; ; attempt++) {
    const aside = `${target}.old-${randomBytes(4).toString('hex')}`;
    try {
      await rename(target, aside);
      retired.push(aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    try {
      await rename(source, target);
      break;
    } catch (error) {
      // Another process swapped its build in between our two renames: move it aside and retry.
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || attempt >= 3) throw error;
    }
  }
  await Promise.all(retired.map((dir) => rm(dir, { recursive: true, force: true })));
}

async function modifiedMs(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function newestModifiedMs(entry: string): Promise<number> {
  let info;
  try {
    info = await stat(entry);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const child of await readdir(entry)) {
    if (child === 'node_modules') continue;
    newest = Math.max(newest, await newestModifiedMs(path.join(entry, child)));
  }
  return newest;
}
