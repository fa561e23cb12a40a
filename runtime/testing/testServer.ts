/**
 * Starts a real runtime for a test: port 0, the real embedded log in a fresh temp dir, the
 * article's flow unless told otherwise. `stop()` closes it and removes the dir.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../server/logger.ts';
import { start, type RunningServer, type StartOptions } from '../server/start.ts';

export const ARTICLE_FLOW = fileURLToPath(new URL('../../state-machines/bot-assistant.json', import.meta.url));

/** A logger that keeps every line, for tests that check what was logged. */
export function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

/**
 * Tests open hundreds of sessions from one address in a second; the per-address limits are lifted
 * unless a test sets them (abuse.test.ts tests them with the defaults).
 */
const LOOPBACK_CROWD = { socketsPerAddress: 0, newSessionsPerMinute: 0 };

export interface TestServer {
  server: RunningServer;
  dataDir: string;
  url: string;
  stop(): Promise<void>;
}

export async function makeDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'bot-runtime-'));
}

export async function startTestServer(options: StartOptions = {}, dataDir?: string): Promise<TestServer> {
  const dir = dataDir ?? (await makeDataDir());
  const server = await start({ flowPath: options.flow ? undefined : ARTICLE_FLOW, port: 0, dataDir: dir, ...options, limits: { ...LOOPBACK_CROWD, ...options.limits } });
  return {
    server,
    dataDir: dir,
    url: server.url,
    async stop() {
      await server.close();
      if (!dataDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
