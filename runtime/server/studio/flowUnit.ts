/**
 * A flow file and its `<name>.layout.json` sidecar as one unit, for both hosts (the web host API
 * and the desktop's file service): one version names the pair, and a save checks the version it
 * was based on and writes both files under one lock, so two saves never interleave into a mixed
 * pair and a save never silently overwrites changes its author has not seen.
 *
 * Limits: the lock is per process (the studio's own saves); a change by another program is caught
 * by the version check, not prevented. Two renames are not one atomic step: a crash between them
 * leaves the new flow beside the old layout, which then has a version no studio holds, so the next
 * save is refused as a conflict instead of silently keeping the mix.
 */
import { createHash } from 'node:crypto';
import { readFile, unlink } from 'node:fs/promises';
import type { FlowVersion, SaveResult } from '../../contract/studioHost.ts';
import { writeFileAtomic } from './writeFileAtomic.ts';

export interface FlowUnitPaths {
  flow: string;
  sidecar: string;
}

/** What to do with the sidecar on save: write this text, remove it, or leave it as it is. */
export type SidecarWrite = { text: string } | 'remove' | 'keep';

/** The pair's bytes as read together, and their version. A missing file reads as null. */
export interface FlowUnitContent {
  flow: Buffer | null;
  sidecar: Buffer | null;
  version: FlowVersion;
}

/**
 * The version of a pair: a SHA-256 of both files' bytes (each with its length, so no two pairs
 * collide by moving bytes across), 32 hex digits. A missing file counts as absent, not as empty.
 */
export function flowVersion(flow: Uint8Array | null, sidecar: Uint8Array | null): FlowVersion {
  const hash = createHash('sha256');
  for (const part of [flow, sidecar]) {
    hash.update(part === null ? 'absent;' : `${part.length};`);
    if (part !== null) hash.update(part);
  }
  return hash.digest('hex').slice(0, 32);
}

/** Reads the pair (under the unit's lock, so never half a save) and its version. */
export function readFlowUnit(paths: FlowUnitPaths): Promise<FlowUnitContent> {
  return withUnitLock(paths.flow, () => readUnlocked(paths));
}

/**
 * Saves the pair if it is still at `baseVersion` (null: whatever it is now, for Overwrite and for a
 * file just created). Otherwise writes nothing and answers the conflict with the version on disk.
 * File-system errors reject as they are (the caller words them).
 */
export function saveFlowUnit(paths: FlowUnitPaths, text: string, sidecar: SidecarWrite, baseVersion: FlowVersion | null): Promise<SaveResult> {
  return withUnitLock(paths.flow, async () => {
    if (baseVersion !== null) {
      const current = await readUnlocked(paths);
      if (current.version !== baseVersion) return { saved: false, conflict: { version: current.version, exists: current.flow !== null } };
    }
    await writeFileAtomic(paths.flow, text);
    if (sidecar === 'remove') {
      await unlink(paths.sidecar).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    } else if (sidecar !== 'keep') {
      await writeFileAtomic(paths.sidecar, sidecar.text);
    }
    return { saved: true, version: (await readUnlocked(paths)).version };
  });
}

/** The sidecar's text as both hosts write it: 4-space JSON like the flow files, with a final newline. */
export function layoutText(layout: unknown): string {
  return `${JSON.stringify(layout, null, 4)}\n`;
}

async function readUnlocked(paths: FlowUnitPaths): Promise<FlowUnitContent> {
  const [flow, sidecar] = await Promise.all([readOrNull(paths.flow), readOrNull(paths.sidecar)]);
  return { flow, sidecar, version: flowVersion(flow, sidecar) };
}

async function readOrNull(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** One queue per flow path: the pair's reads and saves run one at a time, in order. */
const queues = new Map<string, Promise<unknown>>();

async function withUnitLock<T>(key: string, run: () => Promise<T>): Promise<T> {
  const before = queues.get(key) ?? Promise.resolve();
  const result = before.then(run, run);
  const settled = result.then(() => undefined, () => undefined);
  queues.set(key, settled);
  try {
    return await result;
  } finally {
    if (queues.get(key) === settled) queues.delete(key);
  }
}
