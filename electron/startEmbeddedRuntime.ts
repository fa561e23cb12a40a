/**
 * Starts the runtime inside the main process, serving the studio's pages over http on 127.0.0.1
 * (Monaco's workers and the preview iframe need a real origin, not file://). The workspace is not
 * on HTTP at all: the window reaches files, previews and history over IPC, and the pages and
 * previews need this launch's token (the window opens `studioUrl`, which trades it for a cookie),
 * so another user of the machine gets nothing from the port. The runtime stays TypeScript run
 * through tsx, exactly as `npm run serve` runs it, so its files resolve relative to themselves.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { Logger } from '../runtime/server/logger.ts';
import { locateRuntime } from './packagedRuntime.ts';
import type { PreviewStep, StudioHost } from '../runtime/contract/studioHost.ts';

type RuntimeServer = typeof import('../runtime/server/start.ts');
type StudioHostModule = typeof import('../runtime/server/studioHost.ts');
type StudioAccessModule = typeof import('../runtime/server/studio/studioAccess.ts');
type LoadFlowModule = typeof import('../runtime/server/loadFlow.ts');
type HistoryModule = typeof import('../runtime/history/sessionHistory.ts');

export interface EmbeddedRuntime {
  /** Base URL, e.g. http://127.0.0.1:49152/ */
  url: string;
  /** The studio page with this launch's token, for the window to open once (…/studio/?token=…). */
  studioUrl: string;
  /** Stops serving and flushes the message stream. */
  close(): Promise<void>;
  /** Runs a draft in the preview sessions (rejects with the reason when it does not validate). */
  previewFlow(text: string, name?: string): Promise<void>;
  /** Each preview step; returns unsubscribe. */
  onPreviewStep(listener: (step: PreviewStep) => void): () => void;
  /** The recorded sessions of the runtime's stream (the StudioHost history members). */
  history: Pick<StudioHost, 'listSessions' | 'getTranscript' | 'getCoverage'>;
}

export interface EmbeddedRuntimeOptions {
  /** The app's root folder (the repository, or the packaged app's resources/app). */
  root: string;
  /** Where the runtime keeps its message stream (under userData). */
  dataDir: string;
  /** Where the runtime reports problems. */
  logger: Logger;
}

/** Loads the runtime's TypeScript through tsx and starts it on a free port of 127.0.0.1. */
export async function startEmbeddedRuntime({ root: appRoot, dataDir, logger }: EmbeddedRuntimeOptions): Promise<EmbeddedRuntime> {
  const { root, esbuildBinary } = locateRuntime(appRoot, process.platform, process.arch);
  if (esbuildBinary) process.env.ESBUILD_BINARY_PATH ??= esbuildBinary;
  // tsx from beside the runtime (unpacked when packaged): its ESM API, as its exports map names it.
  const tsxManifest = createRequire(join(root, 'package.json')).resolve('tsx/package.json');
  const tsxExports = (JSON.parse(await readFile(tsxManifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  const tsxApi = join(dirname(tsxManifest), tsxExports['./esm/api'].import.default);
  const { register } = (await import(pathToFileURL(tsxApi).href)) as typeof import('tsx/esm/api');
  register();
  const load = <T>(relative: string): Promise<T> => import(pathToFileURL(join(root, relative)).href) as Promise<T>;
  const server = await load<RuntimeServer>('runtime/server/start.ts');
  const { createStudioHost } = await load<StudioHostModule>('runtime/server/studioHost.ts');
  const { TOKEN_PARAM } = await load<StudioAccessModule>('runtime/server/studio/studioAccess.ts');
  const { checkFlowSource } = await load<LoadFlowModule>('runtime/server/loadFlow.ts');
  const { openSessionHistory } = await load<HistoryModule>('runtime/history/sessionHistory.ts');
  const token = randomBytes(32).toString('hex');
  // No workspace: the desktop serves pages only, no host API over HTTP.
  const studio = createStudioHost({ staticDir: join(appRoot, 'dist', 'studio'), token });
  // The Live tab: the author is the one operator, signed in by the launch token; previews can hand off to them too.
  const operators = { accounts: [], hostOperator: studio.operatorOf, previews: true };
  const runtime = await server.start({ port: 0, host: '127.0.0.1', dataDir, studio, logger, preview: true, operators });
  const sessions = openSessionHistory(runtime.stream);
  const previews = runtime.preview!;
  return {
    url: runtime.url,
    studioUrl: `${runtime.url}studio/?${TOKEN_PARAM}=${token}`,
    close: () => {
      sessions.close();
      return runtime.close();
    },
    async previewFlow(text, name) {
      await previews.setFlow(checkFlowSource('draft', text).flow, name);
    },
    onPreviewStep: (listener) => previews.subscribe(listener),
    history: {
      listSessions: (query) => sessions.listSessions(query),
      getTranscript: (sid) => sessions.getTranscript(sid),
      getCoverage: (flowText, scope) => sessions.getCoverage(flowText, scope),
    },
  };
}
