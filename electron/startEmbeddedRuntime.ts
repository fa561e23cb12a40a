/**
 * Starts the runtime inside the main process, serving the studio over http on 127.0.0.1 (Monaco's
 * workers and the preview iframe need a real origin, not file://). The runtime stays TypeScript run
 * through tsx, exactly as `npm run serve` runs it, so its files resolve relative to themselves.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { Logger } from '../runtime/server/logger.ts';

type RuntimeServer = typeof import('../runtime/server/start.ts');
type StudioHostModule = typeof import('../runtime/server/studioHost.ts');

export interface EmbeddedRuntime {
  /** Base URL, e.g. http://127.0.0.1:49152 */
  url: string;
  /** Stops serving and flushes the message stream. */
  close(): Promise<void>;
}

export interface EmbeddedRuntimeOptions {
  /** The app's root folder (the repository, or the packaged app's resources/app). */
  root: string;
  /** Where the runtime keeps its message stream (under userData). */
  dataDir: string;
  /** The folder the studio's web API is confined to. */
  workspace: string;
  /** Where the runtime reports problems. */
  logger: Logger;
}

/** Loads the runtime's TypeScript through tsx and starts it on a free port of 127.0.0.1. */
export async function startEmbeddedRuntime({ root, dataDir, workspace, logger }: EmbeddedRuntimeOptions): Promise<EmbeddedRuntime> {
  const { register } = await import('tsx/esm/api');
  register();
  const load = <T>(relative: string): Promise<T> => import(pathToFileURL(join(root, relative)).href) as Promise<T>;
  const server = await load<RuntimeServer>('runtime/server/start.ts');
  const { createStudioHost } = await load<StudioHostModule>('runtime/server/studioHost.ts');
  const studio = createStudioHost({ workspace, staticDir: join(root, 'dist', 'studio'), token: randomBytes(24).toString('hex') });
  const runtime = await server.start({ port: 0, host: '127.0.0.1', dataDir, studio, logger });
  return { url: runtime.url, close: () => runtime.close() };
}
