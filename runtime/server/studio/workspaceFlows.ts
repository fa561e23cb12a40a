import type { Stats } from 'node:fs';
import { link, readdir, readFile, realpath, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { FlowFileInfo, FlowLayout, OpenedFlow, SaveResult } from '../../contract/studioHost.ts';
import { parseConversationTests } from '../../flow/parseConversationTests.ts';
import { layoutText, readFlowUnit, saveFlowUnit } from './flowUnit.ts';
import { HostApiError } from './HostApiError.ts';
import { isInside, LAYOUT_SUFFIX, resolveFlowPath, TESTS_SUFFIX, type FlowPaths } from './resolveFlowPath.ts';
import { parseLayout } from './parseLayout.ts';
import { syncDirectory, writeFileAtomic } from './writeFileAtomic.ts';

const MAX_LIST_DEPTH = 6;

/**
 * The flow files of one workspace folder, as the studio's host API sees them. Every reference
 * goes through resolveFlowPath, so nothing outside the workspace is ever read or written.
 */
export class WorkspaceFlows {
  constructor(private readonly workspaceReal: string) {}

  /** `*.json` files (not `*.layout.json` or `*.tests.json`, not hidden), in subfolders too, sorted by ref. */
  async list(): Promise<FlowFileInfo[]> {
    const found: FlowFileInfo[] = [];
    await this.collect(this.workspaceReal, '', 0, found);
    return found.sort((a, b) => a.ref.localeCompare(b.ref));
  }

  /** The flow's text, its layout and the version of the pair, read together. */
  async open(ref: unknown): Promise<OpenedFlow> {
    const paths = await this.resolve(ref);
    const unit = await readFlowUnit(paths).catch((error) => {
      throw fsError(error, paths.ref);
    });
    if (unit.flow === null) throw fsError(Object.assign(new Error('missing'), { code: 'ENOENT' }), paths.ref);
    const layout = unit.sidecar === null ? null : parseLayoutText(unit.sidecar.toString('utf8'), path.basename(paths.sidecar));
    return { ref: paths.ref, displayName: paths.ref, text: unit.flow.toString('utf8'), layout, version: unit.version };
  }

  /**
   * Writes the text byte for byte and the layout to the sidecar (null removes it) as one unit, if
   * the pair is still at `baseVersion` (null: unconditionally). Returns the ref and what happened.
   */
  async save(ref: unknown, text: unknown, layout: unknown, baseVersion: unknown): Promise<{ ref: string; result: SaveResult }> {
    const paths = await this.resolve(ref);
    if (typeof text !== 'string') throw new HostApiError(400, '"text" must be a string (the whole flow file).');
    if (baseVersion !== null && (typeof baseVersion !== 'string' || !/^[0-9a-f]{1,128}$/.test(baseVersion))) {
      throw new HostApiError(400, '"baseVersion" must be the version the save is based on (from open or the last save), or null to overwrite.');
    }
    const checkedLayout = layout === null ? null : parseLayout(layout, `layout for ${paths.ref}`);
    const result = await saveFlowUnit(paths, text, checkedLayout === null ? 'remove' : { text: layoutText(checkedLayout) }, baseVersion).catch((error) => {
      throw fsError(error, paths.ref);
    });
    return { ref: paths.ref, result };
  }

  /** The text of the flow's `<name>.tests.json`, or null when there is none. */
  async readTests(ref: unknown): Promise<string | null> {
    const paths = await this.resolve(ref);
    return readFile(paths.tests, 'utf8').catch((error) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw fsError(error, path.basename(paths.tests));
    });
  }

  /** Writes the flow's tests file; refuses a text that is not a valid tests file (400, with the first problem). */
  async writeTests(ref: unknown, text: unknown): Promise<string> {
    const paths = await this.resolve(ref);
    if (typeof text !== 'string') throw new HostApiError(400, '"text" must be a string (the whole tests file).');
    const parsed = parseConversationTests(text);
    if (!parsed.ok) {
      const [first] = parsed.errors;
      const where = first.line === undefined ? '' : ` (line ${first.line}, column ${first.column})`;
      throw new HostApiError(400, `Not saved: ${path.basename(paths.tests)} would not be a valid tests file${where}: ${first.message}`);
    }
    await writeFileAtomic(paths.tests, text).catch((error) => {
      throw fsError(error, path.basename(paths.tests));
    });
    return paths.ref;
  }

  /** Creates a new flow file; 409 when one exists already. */
  async create(name: unknown, text: unknown): Promise<string> {
    const paths = await this.resolve(name, 'name');
    if (typeof text !== 'string') throw new HostApiError(400, '"text" must be a string (the whole flow file).');
    await writeFileAtomic(paths.flow, text, { exclusive: true }).catch((error) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new HostApiError(404, `Cannot create "${paths.ref}": its folder does not exist in the workspace.`);
      }
      throw fsError(error, paths.ref);
    });
    return paths.ref;
  }

  /** Renames the flow, its layout sidecar and its tests; never replaces an existing file (409). Returns both refs. */
  async rename(ref: unknown, newName: unknown): Promise<{ from: string; ref: string }> {
    const from = await this.resolve(ref);
    const to = await this.resolve(newName, 'newName');
    if (from.flow === to.flow) return { from: from.ref, ref: from.ref };
    await stat(from.flow).catch((error) => {
      throw fsError(error, from.ref);
    });
    const hasSidecar = await fileExists(from.sidecar);
    if (hasSidecar && (await fileExists(to.sidecar))) {
      throw new HostApiError(409, `Cannot rename to "${to.ref}": its layout file ${path.basename(to.sidecar)} already exists.`);
    }
    const hasTests = await fileExists(from.tests);
    if (hasTests && (await fileExists(to.tests))) {
      throw new HostApiError(409, `Cannot rename to "${to.ref}": its tests file ${path.basename(to.tests)} already exists.`);
    }
    // link + unlink instead of rename(): rename would silently replace an existing target.
    await link(from.flow, to.flow).catch((error) => {
      throw fsError(error, to.ref);
    });
    // Every companion is linked before any old name goes: a failure undoes the new links and loses nothing.
    const linked = [to.flow];
    const companions: [string, string][] = [];
    if (hasSidecar) companions.push([from.sidecar, to.sidecar]);
    if (hasTests) companions.push([from.tests, to.tests]);
    for (const [source, target] of companions) {
      try {
        await link(source, target);
        linked.push(target);
      } catch (error) {
        for (const made of linked) await unlink(made);
        throw fsError(error, path.basename(target));
      }
    }
    for (const [source] of companions) await unlink(source);
    await unlink(from.flow);
    await syncDirectory(path.dirname(to.flow));
    if (path.dirname(to.flow) !== path.dirname(from.flow)) await syncDirectory(path.dirname(from.flow));
    return { from: from.ref, ref: to.ref };
  }

  /** Deletes the flow, its layout sidecar and its tests. Returns the ref. */
  async remove(ref: unknown): Promise<string> {
    const paths = await this.resolve(ref);
    await unlink(paths.flow).catch((error) => {
      throw fsError(error, paths.ref);
    });
    for (const sidecar of [paths.sidecar, paths.tests]) {
      await unlink(sidecar).catch((error) => {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fsError(error, path.basename(sidecar));
      });
    }
    await syncDirectory(path.dirname(paths.flow));
    return paths.ref;
  }

  private resolve(ref: unknown, field = 'ref'): Promise<FlowPaths> {
    return resolveFlowPath(this.workspaceReal, ref, field);
  }

  private async collect(dir: string, prefix: string, depth: number, found: FlowFileInfo[]): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      const ref = prefix + entry.name;
      let real: string;
      let info: Stats;
      try {
        real = await realpath(full);
        info = await stat(real);
      } catch {
        continue; // a dangling symlink, or deleted while we listed
      }
      if (!isInside(this.workspaceReal, real)) continue;
      if (info.isDirectory()) {
        if (depth < MAX_LIST_DEPTH) await this.collect(full, `${ref}/`, depth + 1, found);
      } else if (info.isFile() && entry.name.endsWith('.json') && !entry.name.endsWith(LAYOUT_SUFFIX) && !entry.name.endsWith(TESTS_SUFFIX)) {
        found.push({ ref, displayName: ref, modifiedMs: info.mtimeMs });
      }
    }
  }
}

function parseLayoutText(text: string, name: string): FlowLayout {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HostApiError(422, `${name} is not valid JSON (${(error as Error).message}). Fix it, or delete it to lay the flow out automatically.`);
  }
  return parseLayout(value, name);
}

async function fileExists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** A file-system error as a HostApiError that names the file and says what went wrong. */
function fsError(error: unknown, name: string): HostApiError {
  if (error instanceof HostApiError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return new HostApiError(404, `"${name}" does not exist in the workspace.`);
    case 'EEXIST':
      return new HostApiError(409, `"${name}" already exists in the workspace.`);
    case 'EISDIR':
      return new HostApiError(400, `"${name}" is a folder, not a flow file.`);
    case 'EACCES':
    case 'EPERM':
      return new HostApiError(403, `No permission to access "${name}" (${code}).`);
    default:
      return new HostApiError(500, `Could not access "${name}": ${(error as Error).message}`);
  }
}
