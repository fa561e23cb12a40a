/**
 * The one table of IPC channels between the preload and the main process, each with the validator
 * the main process runs on every argument before it acts. No Node imports: the sandboxed preload
 * bundles this file too.
 */
import { MENU_COMMANDS } from '../runtime/contract/studioHost.ts';
import { publishChannels } from './publishChannels.ts';
import { SESSION_FILTER_FIELDS } from '../runtime/history/historyTypes.ts';
import type { CoverageScope, FlowLayout, FlowVersion, MenuCommand, PreviewStep, SessionFilter, SessionQuery, StudioHost } from '../runtime/contract/studioHost.ts';

/** Longest path accepted (Linux PATH_MAX). */
export const MAX_PATH_LENGTH = 4096;
/** Longest file name accepted (the common file-system limit). */
export const MAX_NAME_LENGTH = 255;
/** Largest flow text accepted, in UTF-16 code units (about 10 MB of ASCII). */
export const MAX_FLOW_TEXT_LENGTH = 10_000_000;
/** Longest session id (or listing filter string) accepted. */
export const MAX_SID_LENGTH = 1_000;
/** Most session ids one coverage request may name. */
export const MAX_SIDS = 100_000;
/** Most node positions a layout may hold. */
export const MAX_LAYOUT_NODES = 10_000;
/** Longest node id in a layout. */
export const MAX_NODE_ID_LENGTH = 1_000;

/** A bad IPC argument: the message says which method, which argument, what was expected and what came. */
export class IpcArgumentError extends Error {
  override name = 'IpcArgumentError';
}

/** Which platform's path rules apply (Windows drive letters vs POSIX roots). */
export type PathPlatform = 'win32' | 'posix';

/** StudioHost methods the renderer calls and awaits (ipcRenderer.invoke / ipcMain.handle). */
export type InvokeMethod =
  | 'listFlows' | 'openFlow' | 'saveFlow' | 'createFlow' | 'renameFlow' | 'deleteFlow'
  | 'showOpenDialog' | 'showSaveDialog' | 'runtimeUrl' | 'previewFlow'
  | 'listSessions' | 'getTranscript' | 'getCoverage' | 'readTests' | 'writeTests'
  | 'publishTargets' | 'checkPublish' | 'publish' | 'publishStatus' | 'rollback' | 'versionText';

/** The main-process side of the invoke methods: the StudioHost methods themselves. */
export type InvokeHandlers = Pick<StudioHost, InvokeMethod>;

interface ChannelSpec<Args extends unknown[]> {
  channel: string;
  /** Returns the arguments typed, or throws IpcArgumentError saying what is wrong. */
  parse(args: unknown[], platform: PathPlatform): Args;
}

type InvokeTable = { [K in InvokeMethod]: ChannelSpec<Parameters<StudioHost[K]>> };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 60 ? `a string of ${value.length} characters` : JSON.stringify(value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function fail(method: string, index: number, what: string, expected: string, got: string): never {
  throw new IpcArgumentError(`${method}: argument ${index + 1} (${what}) must be ${expected}; got ${got}.`);
}

function expectCount(method: string, args: unknown[], count: number): void {
  if (args.length !== count) {
    throw new IpcArgumentError(`${method}: expects ${count} argument${count === 1 ? '' : 's'}; got ${args.length}.`);
  }
}

function isAbsolutePath(path: string, platform: PathPlatform): boolean {
  if (platform === 'win32') return /^[A-Za-z]:[\\/]/.test(path) || /^\\\\[^\\]+\\[^\\]+/.test(path);
  return path.startsWith('/');
}

function parseString(method: string, args: unknown[], index: number, what: string, maxLength: number): string {
  const value = args[index];
  if (typeof value !== 'string') fail(method, index, what, 'a string', describe(value));
  if (value.length > maxLength) fail(method, index, what, `at most ${maxLength} characters`, `${value.length}`);
  if (value.includes('\0')) fail(method, index, what, 'free of NUL characters', 'a string containing \\0');
  return value;
}

function parseFlowPath(method: string, args: unknown[], index: number, platform: PathPlatform): string {
  const path = parseString(method, args, index, 'ref', MAX_PATH_LENGTH);
  if (!isAbsolutePath(path, platform)) fail(method, index, 'ref', 'an absolute path', `${describe(path)} (a relative path)`);
  if (!path.toLowerCase().endsWith('.json')) fail(method, index, 'ref', 'a path to a .json file', describe(path));
  return path;
}

/** A bare file name (no folder): what createFlow, renameFlow and the save dialog take. */
function parseFileName(method: string, args: unknown[], index: number, what: string): string {
  const name = parseString(method, args, index, what, MAX_NAME_LENGTH).trim();
  if (name === '' || name === '.' || name === '..') fail(method, index, what, 'a file name', describe(name));
  if (/[\\/]/.test(name)) fail(method, index, what, 'a file name without folders', describe(name));
  return name;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A flow version (hex, from open or the last save), or null to overwrite. */
function parseBaseVersion(method: string, args: unknown[], index: number): FlowVersion | null {
  const value = args[index];
  if (value === null) return null;
  if (typeof value !== 'string' || !/^[0-9a-f]{1,128}$/.test(value)) fail(method, index, 'baseVersion', 'a version from open or the last save, or null', describe(value));
  return value;
}

function parseLayout(method: string, args: unknown[], index: number): FlowLayout | null {
  const value = args[index];
  if (value === null) return null;
  const bad = (detail: string): never => fail(method, index, 'layout', 'null or { positions: { [id]: { x, y } }, viewport?: { x, y, zoom } }', detail);
  if (typeof value !== 'object' || Array.isArray(value)) return bad(describe(value));
  const { positions, viewport } = value as { positions?: unknown; viewport?: unknown };
  if (typeof positions !== 'object' || positions === null || Array.isArray(positions)) return bad(`positions = ${describe(positions)}`);
  const entries = Object.entries(positions);
  if (entries.length > MAX_LAYOUT_NODES) return bad(`${entries.length} positions (at most ${MAX_LAYOUT_NODES})`);
  const checked: FlowLayout['positions'] = {};
  for (const [id, position] of entries) {
    if (id.length > MAX_NODE_ID_LENGTH) return bad(`a node id of ${id.length} characters (at most ${MAX_NODE_ID_LENGTH})`);
    const { x, y } = (position ?? {}) as { x?: unknown; y?: unknown };
    if (!isFiniteNumber(x) || !isFiniteNumber(y)) return bad(`positions[${JSON.stringify(id)}] = ${JSON.stringify(position)}`);
    checked[id] = { x, y };
  }
  if (viewport === undefined) return { positions: checked };
  const { x, y, zoom } = (viewport ?? {}) as { x?: unknown; y?: unknown; zoom?: unknown };
  if (!isFiniteNumber(x) || !isFiniteNumber(y) || !isFiniteNumber(zoom) || zoom <= 0) return bad(`viewport = ${JSON.stringify(viewport)}`);
  return { positions: checked, viewport: { x, y, zoom } };
}

/** Renderer → main calls that answer (ipcRenderer.invoke → ipcMain.handle). */
export const INVOKE_CHANNELS: InvokeTable = {
  listFlows: {
    channel: 'studio:listFlows',
    parse: (args) => (expectCount('listFlows', args, 0), []),
  },
  openFlow: {
    channel: 'studio:openFlow',
    parse: (args, platform) => (expectCount('openFlow', args, 1), [parseFlowPath('openFlow', args, 0, platform)]),
  },
  saveFlow: {
    channel: 'studio:saveFlow',
    parse: (args, platform) => {
      expectCount('saveFlow', args, 4);
      return [
        parseFlowPath('saveFlow', args, 0, platform),
        parseString('saveFlow', args, 1, 'text', MAX_FLOW_TEXT_LENGTH),
        parseLayout('saveFlow', args, 2),
        parseBaseVersion('saveFlow', args, 3),
      ];
    },
  },
  createFlow: {
    channel: 'studio:createFlow',
    parse: (args, platform) => {
      expectCount('createFlow', args, 2);
      const name = typeof args[0] === 'string' && isAbsolutePath(args[0], platform)
        ? parseFlowPath('createFlow', args, 0, platform)
        : parseFileName('createFlow', args, 0, 'name');
      return [name, parseString('createFlow', args, 1, 'text', MAX_FLOW_TEXT_LENGTH)];
    },
  },
  renameFlow: {
    channel: 'studio:renameFlow',
    parse: (args, platform) => {
      expectCount('renameFlow', args, 2);
      return [parseFlowPath('renameFlow', args, 0, platform), parseFileName('renameFlow', args, 1, 'newName')];
    },
  },
  deleteFlow: {
    channel: 'studio:deleteFlow',
    parse: (args, platform) => (expectCount('deleteFlow', args, 1), [parseFlowPath('deleteFlow', args, 0, platform)]),
  },
  showOpenDialog: {
    channel: 'studio:showOpenDialog',
    parse: (args) => (expectCount('showOpenDialog', args, 0), []),
  },
  showSaveDialog: {
    channel: 'studio:showSaveDialog',
    parse: (args) => (expectCount('showSaveDialog', args, 1), [parseFileName('showSaveDialog', args, 0, 'suggestedName')]),
  },
  runtimeUrl: {
    channel: 'studio:runtimeUrl',
    parse: (args) => (expectCount('runtimeUrl', args, 0), []),
  },
  previewFlow: {
    channel: 'studio:previewFlow',
    parse: (args) => {
      // The flow's file name is optional: (text) or (text, name).
      if (args.length !== 1) expectCount('previewFlow', args, 2);
      const text = parseString('previewFlow', args, 0, 'text', MAX_FLOW_TEXT_LENGTH);
      return args.length === 2 ? [text, parseString('previewFlow', args, 1, 'name', MAX_NAME_LENGTH)] : [text];
    },
  },
  listSessions: {
    channel: 'studio:listSessions',
    parse: (args) => (expectCount('listSessions', args, 1), [parseSessionQuery(args)]),
  },
  getTranscript: {
    channel: 'studio:getTranscript',
    parse: (args) => (expectCount('getTranscript', args, 1), [parseString('getTranscript', args, 0, 'sid', MAX_SID_LENGTH)]),
  },
  readTests: {
    channel: 'studio:readTests',
    parse: (args, platform) => (expectCount('readTests', args, 1), [parseFlowPath('readTests', args, 0, platform)]),
  },
  writeTests: {
    channel: 'studio:writeTests',
    parse: (args, platform) => {
      expectCount('writeTests', args, 2);
      return [parseFlowPath('writeTests', args, 0, platform), parseString('writeTests', args, 1, 'text', MAX_FLOW_TEXT_LENGTH)];
    },
  },
  getCoverage: {
    channel: 'studio:getCoverage',
    parse: (args) => {
      expectCount('getCoverage', args, 2);
      return [parseString('getCoverage', args, 0, 'flowText', MAX_FLOW_TEXT_LENGTH), parseCoverageScope(args[1])];
    },
  },
  ...publishChannels({ expectCount, parseString, fail, describe, maxPathLength: MAX_PATH_LENGTH, maxFlowTextLength: MAX_FLOW_TEXT_LENGTH }),
};

/** Which sessions a coverage counts: "all", a bounded list of sids, or `{ filter }` with the listing's filter fields. */
function parseCoverageScope(scope: unknown): CoverageScope {
  if (scope === 'all') return scope;
  if (Array.isArray(scope) && scope.length <= MAX_SIDS && scope.every((sid) => typeof sid === 'string' && sid.length <= MAX_SID_LENGTH)) return scope as string[];
  const filter = typeof scope === 'object' && scope !== null && !Array.isArray(scope) && Object.keys(scope).length === 1 ? (scope as { filter?: unknown }).filter : undefined;
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    fail('getCoverage', 1, 'sids', `"all" or an array of at most ${MAX_SIDS} session ids or { filter: { query?, from?, to?, kind?, flow? } }`, describe(scope));
  }
  const parsed: SessionFilter = {};
  const source = filter as Record<string, unknown>;
  for (const key of SESSION_FILTER_FIELDS) {
    const field = source[key];
    if (field === undefined) continue;
    if (typeof field !== 'string' || field.length > MAX_SID_LENGTH) fail('getCoverage', 1, `sids.filter.${key}`, 'a short string', describe(field));
    (parsed as Record<string, unknown>)[key] = field;
  }
  return { filter: parsed };
}

/** A listing query: only the known fields, each a short string (limit a number); the history checks the values. */
function parseSessionQuery(args: unknown[]): SessionQuery {
  const value = args[0];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('listSessions', 0, 'query', 'an object', describe(value));
  const query: SessionQuery = {};
  const source = value as Record<string, unknown>;
  for (const key of [...SESSION_FILTER_FIELDS, 'cursor'] as const) {
    const field = source[key];
    if (field === undefined) continue;
    if (typeof field !== 'string' || field.length > MAX_SID_LENGTH) fail('listSessions', 0, `query.${key}`, 'a short string', describe(field));
    (query as Record<string, unknown>)[key] = field;
  }
  if (source.limit !== undefined) {
    if (typeof source.limit !== 'number') fail('listSessions', 0, 'query.limit', 'a number', describe(source.limit));
    query.limit = source.limit;
  }
  return query;
}

const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

/** A preview step from the main process, checked field by field (the renderer trusts its shape). */
function parsePreviewStep(args: unknown[]): [PreviewStep] {
  const value = args[0];
  const bad = (detail: string): never => fail('previewStep', 0, 'step', '{ sid, event, visited[], waiting[], resumedAt?, flowHash }', detail);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad(describe(value));
  const { sid, event, visited, waiting, resumedAt, flowHash } = value as Record<string, unknown>;
  if (typeof sid !== 'string' || (event !== 'start' && event !== 'response' && event !== 'reset')) return bad(`sid ${describe(sid)}, event ${describe(event)}`);
  if (!isStringList(visited) || !isStringList(waiting)) return bad('visited and waiting must be lists of state names');
  if (resumedAt !== undefined && typeof resumedAt !== 'string') return bad(`resumedAt ${describe(resumedAt)}`);
  if (flowHash !== null && typeof flowHash !== 'string') return bad(`flowHash ${describe(flowHash)}`);
  const step: PreviewStep = { sid, event, visited, waiting, flowHash };
  if (resumedAt !== undefined) step.resumedAt = resumedAt;
  return [step];
}

/** Renderer → main one-way messages (ipcRenderer.send → ipcMain.on). */
export const SEND_CHANNELS = {
  setDirty: {
    channel: 'studio:setDirty',
    parse: (args: unknown[]): [boolean] => {
      expectCount('setDirty', args, 1);
      if (typeof args[0] !== 'boolean') fail('setDirty', 0, 'dirty', 'a boolean', describe(args[0]));
      return [args[0]];
    },
  },
} satisfies Record<string, ChannelSpec<unknown[]>>;

/** Main → renderer events (webContents.send → ipcRenderer.on). The preload checks them too. */
export const EVENT_CHANNELS = {
  menuCommand: {
    channel: 'studio:menuCommand',
    parse: (args: unknown[]): [MenuCommand] => {
      const command = args[0];
      if (!(MENU_COMMANDS as readonly unknown[]).includes(command)) fail('menuCommand', 0, 'command', 'one of MENU_COMMANDS', describe(command));
      return [command as MenuCommand];
    },
  },
  openFile: {
    channel: 'studio:openFile',
    parse: (args: unknown[], platform: PathPlatform): [string] => [parseFlowPath('openFile', args, 0, platform)],
  },
  previewStep: {
    channel: 'studio:previewStep',
    parse: (args: unknown[]): [PreviewStep] => parsePreviewStep(args),
  },
} satisfies Record<string, ChannelSpec<unknown[]>>;

/** The path rules for a Node/Electron `process.platform` value. */
export function pathPlatformOf(platform: string): PathPlatform {
  return platform === 'win32' ? 'win32' : 'posix';
}
