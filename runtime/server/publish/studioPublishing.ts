/**
 * The host side of the studio's Publish dialog, shared by the web host (studioHost.ts) and the
 * desktop (electron/): each call reads the target's token file, signs the request
 * (publishClient.ts) and returns the server's answer; the token stays in this process. Targets
 * used successfully are remembered, most recent first, in a small JSON file when one is given.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import path from 'node:path';
import type { PublishCheckResult, PublishResult, PublishRoutingResult, PublishStatus, PublishTarget } from '../../contract/publishTypes.ts';
import type { StudioHost } from '../../contract/studioHost.ts';
import type { Diagnostic } from '../../flow/types.ts';
import { writeFileAtomic } from '../studio/writeFileAtomic.ts';
import { callPublishApi, parseServerUrl, PublishClientError } from './publishClient.ts';
import { readTokenFile } from './readTokenFile.ts';

/** The request itself is wrong (the target's URL or token file, a version hash): nothing was sent to a server. */
export class PublishRequestError extends Error {}

export type StudioPublishing = Pick<StudioHost, 'publishTargets' | 'checkPublish' | 'publish' | 'publishStatus' | 'rollback' | 'versionText'>;

export interface StudioPublishingOptions {
  /** who publishes, for the server's log; default "<user name> (studio)" */
  publisher?: string;
  /** where the remembered targets are kept; absent: remembered while the process runs */
  targetsFile?: string;
}

/** How many targets are remembered. */
const MAX_TARGETS = 10;
const HASH = /^[0-9a-f]{16}$/;

export function createStudioPublishing(options: StudioPublishingOptions): StudioPublishing {
  const publisher = options.publisher ?? `${userName()} (studio)`;
  let targets: PublishTarget[] | undefined;

  async function loadTargets(): Promise<PublishTarget[]> {
    if (targets) return targets;
    targets = [];
    if (!options.targetsFile) return targets;
    try {
      const parsed: unknown = JSON.parse(await readFile(options.targetsFile, 'utf8'));
      if (Array.isArray(parsed)) targets = parsed.filter(isTarget).slice(0, MAX_TARGETS);
    } catch {
      // none yet, or unreadable: start with none (the file is a convenience, rewritten on the next publish)
    }
    return targets;
  }

  async function remember(target: PublishTarget): Promise<void> {
    const list = await loadTargets();
    targets = [target, ...list.filter((t) => t.serverUrl !== target.serverUrl || t.tokenFile !== target.tokenFile)].slice(0, MAX_TARGETS);
    if (!options.targetsFile) return;
    await mkdir(path.dirname(options.targetsFile), { recursive: true });
    await writeFileAtomic(options.targetsFile, `${JSON.stringify(targets, null, 2)}\n`);
  }

  /** One signed call to the target; remembers the target when the server answered. */
  async function call(target: PublishTarget, method: 'GET' | 'POST', apiPath: string, body?: string): Promise<unknown> {
    const checked = checkTarget(target);
    const token = await readTokenFile(tokenPath(checked.tokenFile)).catch((error: Error) => {
      throw new PublishRequestError(error.message);
    });
    try {
      const answer = await callPublishApi({ url: checked.serverUrl, token, publisher }, method, apiPath, body);
      await remember(checked);
      return answer;
    } catch (error) {
      throw new Error(describeRefusal(error));
    }
  }

  return {
    async publishTargets() {
      return [...(await loadTargets())];
    },
    async checkPublish(target, flowText) {
      const check = (await call(target, 'POST', 'publish/check', flowText)) as PublishCheckResult;
      if (!check.ok) return check;
      // The server replays its own recorded conversations through the draft.
      try {
        return { ...check, routing: (await call(target, 'POST', 'publish/routing', flowText)) as PublishRoutingResult };
      } catch (error) {
        return { ...check, routing: { error: (error as Error).message } };
      }
    },
    async publish(target, flowText) {
      return (await call(target, 'POST', 'publish', flowText)) as PublishResult;
    },
    async publishStatus(target) {
      return (await call(target, 'GET', 'publish/status')) as PublishStatus;
    },
    async rollback(target, hash) {
      if (!HASH.test(hash)) throw new PublishRequestError(`"${hash}" is not a version hash (16 hex digits)`);
      return (await call(target, 'POST', 'publish/rollback', JSON.stringify({ hash }))) as PublishResult;
    },
    async versionText(target, hash) {
      if (!HASH.test(hash)) throw new PublishRequestError(`"${hash}" is not a version hash (16 hex digits)`);
      const answer = await call(target, 'GET', `publish/versions/${hash}`);
      // The server sends the file's text; callPublishApi parses what parses as JSON, so put it back.
      return typeof answer === 'string' ? answer : JSON.stringify(answer, null, 2);
    },
  };
}

/** The target with a checked server URL (http only to this machine) and token file path. */
function checkTarget(target: PublishTarget): PublishTarget {
  if (!isTarget(target)) throw new PublishRequestError('a publish target is { serverUrl, tokenFile }: both are needed');
  const serverUrl = target.serverUrl.trim();
  const tokenFile = target.tokenFile.trim();
  if (serverUrl === '') throw new PublishRequestError('the server URL is empty (e.g. https://bots.example.com/)');
  if (tokenFile === '') throw new PublishRequestError('the token file is empty: name the file holding the server\'s publish token');
  // Relative to what? The studio's working directory is wherever it was launched from, which the author can't see.
  if (!path.isAbsolute(tokenFile) && !tokenFile.startsWith('~/')) {
    throw new PublishRequestError(`the token file "${tokenFile}" is not a full path: give the whole path (e.g. ${path.join(homedir(), 'publish.token')}, or ~/publish.token)`);
  }
  try {
    parseServerUrl(serverUrl);
  } catch (error) {
    throw new PublishRequestError(describeRefusal(error));
  }
  return { serverUrl, tokenFile };
}

/** `~/…` is under the home directory; anything else is already absolute (checkTarget). */
function tokenPath(tokenFile: string): string {
  return tokenFile.startsWith('~/') ? path.join(homedir(), tokenFile.slice(2)) : tokenFile;
}

function isTarget(value: unknown): value is PublishTarget {
  const t = value as Partial<PublishTarget> | null;
  return typeof t === 'object' && t !== null && typeof t.serverUrl === 'string' && typeof t.tokenFile === 'string';
}

/** The server's reason, with the first diagnostics of a refused version. */
function describeRefusal(error: unknown): string {
  if (!(error instanceof PublishClientError)) return (error as Error).message;
  const diagnostics = (error.body as { diagnostics?: Diagnostic[] } | undefined)?.diagnostics ?? [];
  const errors = diagnostics.filter((d) => d.severity === 'error').slice(0, 3);
  return errors.length === 0 ? error.message : `${error.message}: ${errors.map((d) => d.message).join('; ')}`;
}

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
