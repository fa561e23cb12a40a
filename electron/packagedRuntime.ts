/**
 * Where the embedded runtime's files are in a packaged app. The app itself (main bundle, preload,
 * built studio) is in `app.asar`, the only place Electron loads it from (the onlyLoadAppFromAsar
 * fuse). The runtime is TypeScript that tsx compiles at run time: tsx's loader hooks run off the
 * main thread, and esbuild is a native binary that cannot run from inside an archive, so
 * `runtime/**` and `node_modules/**` are unpacked (package.json `build.asarUnpack`) and loaded from
 * `app.asar.unpacked`. In the repository (`npm start`) nothing changes.
 */
import { join } from 'node:path';

export interface RuntimeLocation {
  /** the folder holding `runtime/` and the `node_modules/` it needs */
  root: string;
  /** esbuild's binary for tsx (ESBUILD_BINARY_PATH), or undefined to let esbuild find its own */
  esbuildBinary?: string;
}

/** The runtime's location for an app rooted at `appRoot` (the repository, or …/resources/app.asar). */
export function locateRuntime(appRoot: string, platform: NodeJS.Platform, arch: string): RuntimeLocation {
  if (!/\.asar$/.test(appRoot)) return { root: appRoot };
  const root = `${appRoot}.unpacked`;
  const binary = platform === 'win32' ? 'esbuild.exe' : join('bin', 'esbuild');
  return { root, esbuildBinary: join(root, 'node_modules', '@esbuild', `${platform}-${arch}`, binary) };
}
