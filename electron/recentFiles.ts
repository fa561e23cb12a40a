/**
 * The recent-files list: newest first, at most 10, no duplicates, files that vanished pruned,
 * persisted as JSON in userData and mirrored to the OS (Dock / Jump List / GNOME recents).
 */
import { readFile, stat } from 'node:fs/promises';
import { writeFileAtomic } from '../runtime/server/studio/writeFileAtomic.ts';

export const MAX_RECENT_FILES = 10;

/** The part of Electron's `app` the list mirrors to. */
export interface RecentDocumentsApp {
  addRecentDocument(path: string): void;
  clearRecentDocuments(): void;
}

export interface RecentFiles {
  /** The current list, newest first. */
  list(): readonly string[];
  /** Moves `path` to the front (adding it), trims to the maximum and persists. */
  add(path: string): Promise<void>;
  /** Replaces `from` by `to` in place (after a rename) and persists. */
  replace(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  clear(): Promise<void>;
  /** Drops files that no longer exist and persists if anything changed. */
  prune(): Promise<void>;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

async function readList(storeFile: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(storeFile, 'utf8');
  } catch {
    return [];
  }
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return []; // a corrupt list is not worth refusing to start over
  }
}

/**
 * Loads the list from `storeFile` (missing or corrupt: empty), prunes missing files and returns it.
 * `onChange` runs after every change (main rebuilds the Open Recent menu).
 */
export async function loadRecentFiles(storeFile: string, app: RecentDocumentsApp, onChange: () => void = () => {}): Promise<RecentFiles> {
  let paths = [...new Set(await readList(storeFile))].slice(0, MAX_RECENT_FILES);

  async function commit(next: string[]): Promise<void> {
    paths = next;
    await writeFileAtomic(storeFile, `${JSON.stringify(paths, null, 2)}\n`);
    onChange();
  }

  const recent: RecentFiles = {
    list: () => paths,
    async add(path) {
      app.addRecentDocument(path);
      await commit([path, ...paths.filter((p) => p !== path)].slice(0, MAX_RECENT_FILES));
    },
    async replace(from, to) {
      app.addRecentDocument(to);
      await commit(paths.filter((p) => p !== to).map((p) => (p === from ? to : p)));
    },
    async remove(path) {
      if (paths.includes(path)) await commit(paths.filter((p) => p !== path));
    },
    async clear() {
      app.clearRecentDocuments();
      await commit([]);
    },
    async prune() {
      const present = await Promise.all(paths.map(exists));
      if (present.every(Boolean)) return;
      await commit(paths.filter((_, i) => present[i]));
    },
  };
  await recent.prune();
  return recent;
}
