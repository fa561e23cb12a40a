/**
 * The desktop's flow files: native dialogs, reading and writing a flow with its `<name>.layout.json`
 * sidecar, recent files. The studio may only touch files the author chose (a dialog, the recent list,
 * the command line or the OS), so a compromised page cannot read or overwrite arbitrary files.
 */
import { mkdir, readFile, rename as renameFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { StudioPublishing } from '../runtime/server/publish/studioPublishing.ts';
import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import type { FlowFileInfo, FlowLayout, FlowRef, OpenedFlow, SaveResult } from '../runtime/contract/studioHost.ts';
import type { InvokeHandlers } from './ipcChannels.ts';
import type { RecentFiles } from './recentFiles.ts';
import { layoutText, readFlowUnit, saveFlowUnit } from '../runtime/server/studio/flowUnit.ts';
import { writeFileAtomic } from '../runtime/server/studio/writeFileAtomic.ts';
import { describeError } from '../runtime/describeError.ts';
import { parseConversationTests } from '../runtime/flow/parseConversationTests.ts';

/** Electron's dialog functions, already parented to the studio window by main. */
export interface FileDialogs {
  showOpenDialog(options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
}

export interface FileServiceOptions {
  dialogs: FileDialogs;
  recentFiles: RecentFiles;
  /** Moves a file to the OS trash (Electron's shell.trashItem). */
  trashItem(path: string): Promise<void>;
  /** Where bare names given to createFlow land, and where dialogs start. */
  defaultFolder: string;
  /** A flow was opened, created or saved: there is a document. */
  onDocument?(ref: FlowRef): void;
  /** A save the author started ended without saving (dialog cancelled, write failed). */
  onSaveAborted?(): void;
}

/** The file half of the desktop StudioHost, plus what main needs around it. */
export interface FileService extends Omit<InvokeHandlers, 'runtimeUrl' | 'previewFlow' | 'listSessions' | 'getTranscript' | 'getCoverage' | keyof StudioPublishing> {
  /** Allows the studio to open `path` (a file from the command line or the OS). */
  grant(path: string): void;
  /** The flow last opened or saved, for the unsaved-changes prompt. */
  currentFlow(): FlowRef | null;
}

const JSON_FILTERS = [{ name: 'Bot flows (JSON)', extensions: ['json'] }];
const LAYOUT_SUFFIX = '.layout.json';
const TESTS_SUFFIX = '.tests.json';

/** `bot.json` → `bot.tests.json`: the flow's conversation tests. */
export function testsPathFor(flowPath: string): string {
  return flowPath.replace(/\.json$/i, TESTS_SUFFIX);
}

/** `bot.json` → `bot.layout.json`. */
export function layoutPathFor(flowPath: string): string {
  return flowPath.replace(/\.json$/i, LAYOUT_SUFFIX);
}

function withJsonExtension(name: string): string {
  return name.toLowerCase().endsWith('.json') ? name : `${name}.json`;
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'the file does not exist';
  if (code === 'EEXIST') return 'a file with that name already exists';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return describeError(error);
}

/** The sidecar's layout, or null when there is none or it is broken (that only costs the positions: the studio auto-lays out). */
function parseSidecar(bytes: Buffer | null): FlowLayout | null {
  if (bytes === null) return null;
  try {
    const layout = JSON.parse(bytes.toString('utf8')) as FlowLayout;
    return layout && typeof layout === 'object' && typeof layout.positions === 'object' && layout.positions !== null ? layout : null;
  } catch {
    return null;
  }
}

/** Creates the file service over injected dialogs, recent files and trash. */
export function createFileService(options: FileServiceOptions): FileService {
  const { dialogs, recentFiles } = options;
  const granted = new Set<string>(recentFiles.list());
  let current: FlowRef | null = null;

  function assertGranted(method: string, path: string): void {
    if (!granted.has(path)) {
      throw new Error(`${method}: ${path} was not chosen by the author (open or save it through a dialog, the recent files or the command line first).`);
    }
  }

  function assertFlowNotSidecar(method: string, path: string): void {
    if (path.toLowerCase().endsWith(TESTS_SUFFIX)) {
      throw new Error(`${method}: ${basename(path)} is a conversation tests file, not a flow; open ${basename(path).slice(0, -TESTS_SUFFIX.length)}.json instead.`);
    }
    if (path.toLowerCase().endsWith(LAYOUT_SUFFIX)) {
      throw new Error(`${method}: ${basename(path)} is a layout sidecar, not a flow; open ${basename(path).slice(0, -LAYOUT_SUFFIX.length)}.json instead.`);
    }
  }

  function documentAt(ref: FlowRef): void {
    current = ref;
    options.onDocument?.(ref);
  }

  return {
    grant(path) {
      granted.add(path);
    },
    currentFlow: () => current,

    async listFlows(): Promise<FlowFileInfo[]> {
      await recentFiles.prune();
      const infos = await Promise.all(recentFiles.list().map(async (ref) => {
        const info = await stat(ref).catch(() => null);
        return info ? { ref, displayName: basename(ref), modifiedMs: info.mtimeMs } : null;
      }));
      return infos.filter((info): info is FlowFileInfo => info !== null);
    },

    async openFlow(ref): Promise<OpenedFlow> {
      assertGranted('openFlow', ref);
      assertFlowNotSidecar('openFlow', ref);
      const unit = await readFlowUnit({ flow: ref, sidecar: layoutPathFor(ref) }).catch((error: unknown) => {
        throw new Error(`Cannot open ${ref}: ${reason(error)}.`);
      });
      if (unit.flow === null) {
        await recentFiles.remove(ref);
        throw new Error(`Cannot open ${ref}: ${reason(Object.assign(new Error(), { code: 'ENOENT' }))}.`);
      }
      await recentFiles.add(ref);
      documentAt(ref);
      return { ref, displayName: basename(ref), text: unit.flow.toString('utf8'), layout: parseSidecar(unit.sidecar), version: unit.version };
    },

    // The tests file rides on the flow's grant: the author chose the flow, its tests sit beside it.
    async readTests(ref) {
      assertGranted('readTests', ref);
      assertFlowNotSidecar('readTests', ref);
      try {
        return await readFile(testsPathFor(ref), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw new Error(`Cannot read the tests ${testsPathFor(ref)}: ${reason(error)}.`);
      }
    },

    async writeTests(ref, text) {
      assertGranted('writeTests', ref);
      assertFlowNotSidecar('writeTests', ref);
      const path = testsPathFor(ref);
      const parsed = parseConversationTests(text);
      if (!parsed.ok) {
        const [first] = parsed.errors;
        throw new Error(`Not saved: ${basename(path)} would not be a valid tests file${first.line === undefined ? '' : ` (line ${first.line}, column ${first.column})`}: ${first.message}`);
      }
      await writeFileAtomic(path, text).catch((error: unknown) => {
        throw new Error(`Cannot save ${path}: ${reason(error)}.`);
      });
    },

    async saveFlow(ref, text, layout, baseVersion) {
      let result: SaveResult;
      try {
        assertGranted('saveFlow', ref);
        assertFlowNotSidecar('saveFlow', ref);
        // null means the studio has no positions to keep: an existing sidecar is left as it is.
        result = await saveFlowUnit({ flow: ref, sidecar: layoutPathFor(ref) }, text, layout ? { text: layoutText(layout) } : 'keep', baseVersion).catch((error: unknown) => {
          throw new Error(`Cannot save ${ref}: ${reason(error)}.`);
        });
      } catch (error) {
        options.onSaveAborted?.();
        throw error;
      }
      // A conflict saved nothing: the studio asks the author, so a pending close waits for that answer.
      if (!result.saved) {
        options.onSaveAborted?.();
        return result;
      }
      await recentFiles.add(ref);
      documentAt(ref);
      return result;
    },

    async createFlow(name, text) {
      // An absolute path comes from the save dialog; a bare name lands in the default folder.
      const ref = isAbsolute(name) ? name : join(options.defaultFolder, withJsonExtension(name));
      if (ref === name) assertGranted('createFlow', ref);
      else await mkdir(options.defaultFolder, { recursive: true });
      assertFlowNotSidecar('createFlow', ref);
      await writeFileAtomic(ref, text, { exclusive: true }).catch((error: unknown) => {
        throw new Error(`Cannot create ${ref}: ${reason(error)}.`);
      });
      granted.add(ref);
      await recentFiles.add(ref);
      documentAt(ref);
      return ref;
    },

    async renameFlow(ref, newName) {
      assertGranted('renameFlow', ref);
      const target = join(dirname(ref), withJsonExtension(newName));
      assertFlowNotSidecar('renameFlow', target);
      if (target === ref) return ref;
      if (await stat(target).then(() => true, () => false)) {
        throw new Error(`Cannot rename ${basename(ref)} to ${basename(target)}: a file with that name already exists.`);
      }
      const hasTests = await stat(testsPathFor(ref)).then(() => true, () => false);
      if (hasTests && (await stat(testsPathFor(target)).then(() => true, () => false))) {
        throw new Error(`Cannot rename ${basename(ref)} to ${basename(target)}: its tests would replace the existing ${basename(testsPathFor(target))}.`);
      }
      await renameFile(ref, target).catch((error: unknown) => {
        throw new Error(`Cannot rename ${ref}: ${reason(error)}.`);
      });
      await renameFile(layoutPathFor(ref), layoutPathFor(target)).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`Renamed the flow to ${target}, but not its layout: ${reason(error)}.`);
      });
      if (hasTests) {
        await renameFile(testsPathFor(ref), testsPathFor(target)).catch((error: unknown) => {
          throw new Error(`Renamed the flow to ${target}, but not its tests: ${reason(error)}.`);
        });
      }
      granted.add(target);
      await recentFiles.replace(ref, target);
      if (current === ref) current = target;
      return target;
    },

    async deleteFlow(ref) {
      assertGranted('deleteFlow', ref);
      assertFlowNotSidecar('deleteFlow', ref);
      await options.trashItem(ref).catch((error: unknown) => {
        throw new Error(`Cannot move ${ref} to the trash: ${reason(error)}.`);
      });
      if (await stat(layoutPathFor(ref)).then(() => true, () => false)) await options.trashItem(layoutPathFor(ref));
      if (await stat(testsPathFor(ref)).then(() => true, () => false)) await options.trashItem(testsPathFor(ref));
      granted.delete(ref);
      await recentFiles.remove(ref);
      if (current === ref) current = null;
    },

    async showOpenDialog() {
      const result = await dialogs.showOpenDialog({
        title: 'Open Flow',
        defaultPath: current ? dirname(current) : options.defaultFolder,
        filters: JSON_FILTERS,
        properties: ['openFile'],
      });
      const path = result.canceled ? undefined : result.filePaths[0];
      if (!path) return null;
      granted.add(path);
      return path;
    },

    async showSaveDialog(suggestedName) {
      const result = await dialogs.showSaveDialog({
        title: 'Save Flow',
        defaultPath: join(current ? dirname(current) : options.defaultFolder, withJsonExtension(suggestedName)),
        filters: JSON_FILTERS,
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      if (result.canceled || !result.filePath) {
        options.onSaveAborted?.();
        return null;
      }
      const path = withJsonExtension(result.filePath);
      granted.add(path);
      return path;
    },
  };
}
