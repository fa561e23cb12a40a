/**
 * The production runtime (`runtime/server/start.ts`) for the widget's browser tests, in a temp
 * data folder, with a restart that keeps port and data (a real server going down and coming back).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start, type RunningServer } from '../../runtime/server/start.ts';

export interface WidgetRuntime {
  /** http://127.0.0.1:PORT/ */
  url: string;
  /** Stop the server (sockets close); the data folder stays for `resume`. */
  stop(): Promise<void>;
  /** Start again on the same port with the same data. */
  resume(): Promise<void>;
  /** Stop and delete the data folder. */
  dispose(): Promise<void>;
}

export interface WidgetRuntimeOptions {
  /** flow file; default the article's flow */
  flowPath?: string;
  /** a flow written to a temp file instead (parsed JSON, states in key order) */
  flowJson?: Record<string, unknown>;
  allowedOrigins?: string[];
}

/** Start the runtime on a free port. */
export async function startWidgetRuntime(options: WidgetRuntimeOptions = {}): Promise<WidgetRuntime> {
  const dataDir = await mkdtemp(join(tmpdir(), 'widget-e2e-'));
  let flowPath = options.flowPath ?? 'state-machines/bot-assistant.json';
  if (options.flowJson) {
    flowPath = join(dataDir, 'flow.json');
    await writeFile(flowPath, JSON.stringify(options.flowJson, null, 4));
  }
  const launch = (port: number) =>
    start({ flowPath, port, dataDir: join(dataDir, 'log'), allowedOrigins: options.allowedOrigins });
  let running: RunningServer | undefined = await launch(0);
  const port = running.port;
  return {
    url: running.url,
    async stop() {
      await running?.close();
      running = undefined;
    },
    async resume() {
      running ??= await launch(port);
    },
    async dispose() {
      await running?.close();
      running = undefined;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
