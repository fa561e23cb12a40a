import { randomBytes } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { FlowRejectedError, start, type RunningServer } from '../runtime/server/index.ts';
import { checkFlowSource, loadFlowFile } from '../runtime/server/loadFlow.ts';
import type { Logger } from '../runtime/server/logger.ts';
import { createStudioHost, type WorkspaceChange } from '../runtime/server/studioHost.ts';
import { createStudioPublishing } from '../runtime/server/publish/studioPublishing.ts';
import { openSessionHistory, type SessionHistory } from '../runtime/history/sessionHistory.ts';
import { TOKEN_PARAM } from '../runtime/server/studio/studioAccess.ts';
import { WorkspaceFlows } from '../runtime/server/studio/workspaceFlows.ts';
import { ensureRendererBuilt, STUDIO_DIST } from './ensureRendererBuilt.ts';

export interface StudioOptions {
  /** folder of flow files the studio may read and write */
  workspace: string;
  /** default 9999; 0 picks a free port */
  port?: number;
  /** embedded log directory; default `<workspace>/.bot-assistant-data` */
  dataDir?: string;
  /** the name visitors see when the author answers them from the Live tab (default "Support") */
  operatorName?: string;
  /** build the renderer first when dist/studio is missing or stale (default true) */
  build?: boolean;
  logger?: Logger;
}

export interface RunningStudio {
  /**
   * `http://127.0.0.1:PORT/studio/?token=…`: the one address to open. The server trades the token
   * for an HttpOnly cookie and redirects to /studio/, so nobody else on the machine can use the studio.
   */
  url: string;
  /** the workspace's real path */
  workspace: string;
  /** the runtime serving the studio, the widget and the bot websocket */
  runtime: RunningServer;
  /** this launch's access token (in `url`; an opened page gets it in a meta tag for its API calls) */
  token: string;
  /** the ref of the flow the runtime runs, or null when none was valid yet */
  runningFlow(): string | null;
  close(): Promise<void>;
}

/**
 * Web mode: builds the renderer when needed, then starts the runtime on 127.0.0.1 with the
 * studio host (page + token-guarded host API over the workspace) and the workspace's first
 * flow running when it validates. Shared by `npm run studio` and the browser tests.
 */
export async function startStudio(options: StudioOptions): Promise<RunningStudio> {
  const log = options.logger ?? { info: () => {}, warn: () => {}, error: () => {} };
  let workspace: string;
  try {
    workspace = await realpath(options.workspace);
  } catch {
    throw new Error(`The studio workspace ${path.resolve(options.workspace)} does not exist: create it or pass --workspace DIR.`);
  }
  if (options.build !== false) await ensureRendererBuilt((message) => log.info(message));

  const token = randomBytes(32).toString('hex');
  let runningFlow: string | null = null;
  let runtime: RunningServer | undefined;
  let history: SessionHistory | undefined;
  // Saving the running flow (or the first valid one while none runs) hot-reloads the bot.
  const onChange = (change: WorkspaceChange) => {
    if (change.kind === 'renamed') {
      if (change.from === runningFlow) runningFlow = change.ref;
      return;
    }
    if (change.kind === 'deleted' || !runtime || (runningFlow !== null && change.ref !== runningFlow)) return;
    try {
      runtime.setFlow(checkFlowSource(change.ref, change.text).flow, path.basename(change.ref));
      runningFlow = change.ref;
      log.info(`Reloaded ${change.ref}`);
    } catch (error) {
      log.warn(`Saved ${change.ref}, but the bot keeps running the previous version: ${(error as Error).message}`);
    }
  };
  const dataDir = options.dataDir ?? path.join(workspace, '.bot-assistant-data');
  const publishing = createStudioPublishing({ targetsFile: path.join(dataDir, 'publish-targets.json') });
  const studio = createStudioHost({ workspace, staticDir: STUDIO_DIST, token, onChange, preview: () => runtime?.preview, history: () => history, publishing, operatorName: options.operatorName });
  runtime = await start({
    port: options.port ?? 9999,
    host: '127.0.0.1',
    dataDir,
    studio,
    logger: options.logger,
    preview: true,
    // The Live tab: the author is the one operator, signed in by the studio's access token; previews can hand off to them too.
    operators: { accounts: [], hostOperator: (req) => studio.operatorOf(req), previews: true },
  });

  history = openSessionHistory(runtime.stream);
  runningFlow = await runFirstFlow(workspace, runtime, log);
  const running = runtime;
  const sessions = history;
  return {
    url: `http://127.0.0.1:${running.port}/studio/?${TOKEN_PARAM}=${token}`,
    workspace,
    runtime: running,
    token,
    runningFlow: () => runningFlow,
    close: () => {
      sessions.close();
      return running.close();
    },
  };
}

async function runFirstFlow(workspace: string, runtime: RunningServer, log: Logger): Promise<string | null> {
  const [first] = await new WorkspaceFlows(workspace).list();
  if (!first) {
    log.warn(`No flow in ${workspace} yet: the bot has nothing to run until you create one.`);
    return null;
  }
  try {
    runtime.setFlow((await loadFlowFile(path.join(workspace, first.ref))).flow, path.basename(first.ref));
    log.info(`Running ${first.ref}`);
    return first.ref;
  } catch (error) {
    const reason = error instanceof FlowRejectedError ? error.message : (error as Error).message;
    log.warn(`Not running ${first.ref}: ${reason}`);
    return null;
  }
}
