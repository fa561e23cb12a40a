/**
 * The IPC channels of publishing (the studio's Publish dialog), each with its validator; part of
 * the one table in ipcChannels.ts. The renderer names a target (server URL + token file path); the
 * main process reads the token and signs (runtime/server/publish/studioPublishing.ts).
 */
import type { PublishTarget, StudioHost } from '../runtime/contract/studioHost.ts';

/** Longest server URL accepted. */
export const MAX_URL_LENGTH = 2_000;

type PublishMethod = 'publishTargets' | 'checkPublish' | 'publish' | 'publishStatus' | 'rollback' | 'versionText';

interface Spec<Args extends unknown[]> {
  channel: string;
  parse(args: unknown[], platform: 'win32' | 'posix'): Args;
}

/** Helpers shared with ipcChannels.ts, passed in so this file needs no import cycle. */
export interface ParseHelpers {
  expectCount(method: string, args: unknown[], count: number): void;
  parseString(method: string, args: unknown[], index: number, what: string, maxLength: number): string;
  fail(method: string, index: number, what: string, expected: string, got: string): never;
  describe(value: unknown): string;
  maxPathLength: number;
  maxFlowTextLength: number;
}

export function publishChannels(h: ParseHelpers): { [K in PublishMethod]: Spec<Parameters<StudioHost[K]>> } {
  const target = (method: string, args: unknown[], index: number): PublishTarget => {
    const value = args[index] as Partial<PublishTarget> | null;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) h.fail(method, index, 'target', '{ serverUrl, tokenFile }', h.describe(value));
    const field = (name: 'serverUrl' | 'tokenFile', maxLength: number): string => {
      const text = value[name];
      if (typeof text !== 'string') h.fail(method, index, `target.${name}`, 'a string', h.describe(text));
      if (text.length > maxLength) h.fail(method, index, `target.${name}`, `at most ${maxLength} characters`, `${text.length}`);
      if (text.includes('\0')) h.fail(method, index, `target.${name}`, 'free of NUL characters', 'a string containing \\0');
      return text;
    };
    return { serverUrl: field('serverUrl', MAX_URL_LENGTH), tokenFile: field('tokenFile', h.maxPathLength) };
  };
  const hash = (method: string, args: unknown[], index: number): string => {
    const value = h.parseString(method, args, index, 'hash', 64);
    if (!/^[0-9a-f]{16}$/.test(value)) h.fail(method, index, 'hash', 'a version hash (16 hex digits)', h.describe(value));
    return value;
  };
  const withText = (method: 'checkPublish' | 'publish') => ({
    channel: `studio:${method}`,
    parse: (args: unknown[]): [PublishTarget, string] => {
      h.expectCount(method, args, 2);
      return [target(method, args, 0), h.parseString(method, args, 1, 'flowText', h.maxFlowTextLength)];
    },
  });
  const withHash = (method: 'rollback' | 'versionText') => ({
    channel: `studio:${method}`,
    parse: (args: unknown[]): [PublishTarget, string] => {
      h.expectCount(method, args, 2);
      return [target(method, args, 0), hash(method, args, 1)];
    },
  });
  return {
    publishTargets: { channel: 'studio:publishTargets', parse: (args) => (h.expectCount('publishTargets', args, 0), []) },
    checkPublish: withText('checkPublish'),
    publish: withText('publish'),
    publishStatus: { channel: 'studio:publishStatus', parse: (args) => (h.expectCount('publishStatus', args, 1), [target('publishStatus', args, 0)]) },
    rollback: withHash('rollback'),
    versionText: withHash('versionText'),
  };
}
