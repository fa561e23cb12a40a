import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { HostApiError } from './HostApiError.ts';

const MAX_REF_LENGTH = 1024;
export const LAYOUT_SUFFIX = '.layout.json';
export const TESTS_SUFFIX = '.tests.json';

/** Absolute paths of a flow file and its `<name>.layout.json` sidecar, both checked to lie in the workspace. */
export interface FlowPaths {
  /** the flow's path relative to the workspace, with `/` separators */
  ref: string;
  flow: string;
  sidecar: string;
  /** its conversation tests, `<name>.tests.json` */
  tests: string;
}

/**
 * Turns an untrusted flow reference from the host API into paths inside the workspace, or
 * throws a HostApiError saying why not: traversal (`..`), absolute paths, NUL bytes, hidden
 * names, names not ending in `.json`, and symlinks whose target lies outside the workspace.
 * `workspaceReal` must already be a realpath.
 */
export async function resolveFlowPath(workspaceReal: string, ref: unknown, field = 'ref'): Promise<FlowPaths> {
  if (typeof ref !== 'string' || ref.length === 0) {
    throw new HostApiError(400, `"${field}" must be a non-empty string naming a .json file in the workspace.`);
  }
  const shown = JSON.stringify(ref.length > 200 ? `${ref.slice(0, 200)}…` : ref);
  if (ref.length > MAX_REF_LENGTH) throw new HostApiError(400, `${field} ${shown} is longer than ${MAX_REF_LENGTH} characters.`);
  if (ref.includes('\0')) throw new HostApiError(400, `Refused ${field} ${shown}: it contains a NUL byte.`);
  const outside = () => new HostApiError(403, `Refused ${field} ${shown}: the path is outside the workspace.`);
  if (ref.startsWith('/') || ref.includes('\\') || /^[a-zA-Z]:/.test(ref) || path.isAbsolute(ref)) throw outside();
  const segments = ref.split('/');
  if (segments.includes('..')) throw outside();
  if (segments.some((s) => s === '' || s === '.')) {
    throw new HostApiError(400, `${field} ${shown} is not a plain relative path (empty or "." segment).`);
  }
  if (segments.some((s) => s.startsWith('.'))) {
    throw new HostApiError(400, `${field} ${shown} names a hidden file or folder; flows are visible .json files.`);
  }
  if (!ref.endsWith('.json')) throw new HostApiError(400, `${field} ${shown} must end in .json.`);
  if (ref.endsWith(LAYOUT_SUFFIX)) {
    throw new HostApiError(400, `${field} ${shown} is a layout sidecar, not a flow; name the flow file instead.`);
  }
  if (ref.endsWith(TESTS_SUFFIX)) {
    throw new HostApiError(400, `${field} ${shown} is a conversation tests file, not a flow; name the flow file instead.`);
  }

  const flow = path.join(workspaceReal, ...segments);
  if (!isInside(workspaceReal, flow)) throw outside();
  const sidecar = flow.slice(0, -'.json'.length) + LAYOUT_SUFFIX;
  const tests = flow.slice(0, -'.json'.length) + TESTS_SUFFIX;
  for (const target of [flow, sidecar, tests]) if (!(await realTargetIsInside(workspaceReal, target))) throw outside();
  return { ref: segments.join('/'), flow, sidecar, tests };
}

/** True when `candidate` is `root` or below it (both absolute, normalized). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Follows symlinks along `target` (or its deepest existing ancestor when it does not exist yet)
 * and checks where they really lead. A dangling symlink counts as outside: writing through it
 * could create a file anywhere.
 */
async function realTargetIsInside(workspaceReal: string, target: string): Promise<boolean> {
  let probe = target;
  for (;;) {
    try {
      return isInside(workspaceReal, await realpath(probe));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (await exists(probe)) return false; // dangling symlink
      const parent = path.dirname(probe);
      if (parent === probe) return false;
      probe = parent;
    }
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}
