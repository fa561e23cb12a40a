/**
 * Finds the Electron executable the way the `electron` package does, but without its side effect:
 * requiring `electron` downloads the binary when it is missing, which fails offline.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The executable inside an unpacked Electron build, per platform (as electron/install.js writes to path.txt). */
function platformExecutable(platform: string): string {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

export interface ElectronBinary {
  /** The executable, or null when it is not installed. */
  path: string | null;
  /** Where it was looked for, for the message when it is missing. */
  lookedAt: string;
}

/**
 * Resolves the executable of the `electron` package in `electronPackageDir`: under
 * ELECTRON_OVERRIDE_DIST_PATH when set, else under the package's dist/ as named by its path.txt.
 */
export function findElectronBinary(electronPackageDir: string, env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): ElectronBinary {
  const pathFile = path.join(electronPackageDir, 'path.txt');
  const recorded = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override
    ? path.join(override, recorded || platformExecutable(platform))
    : path.join(electronPackageDir, 'dist', recorded || platformExecutable(platform));
  const installed = (override || recorded !== undefined) && existsSync(candidate);
  return { path: installed ? candidate : null, lookedAt: candidate };
}
