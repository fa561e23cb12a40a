/**
 * Every published version of a flow, kept content-addressed in `<dataDir>/versions/`: the file
 * text exactly as published in `<flowHash>.json`, and the publish log (`publishes.jsonl`: who,
 * when, which hash) appended with fsync. Sessions pin the version they started on by its hash (the
 * start record's `flowHash`), so a version stays here while a live session uses it, and for the
 * retention period after it was replaced so history can still show it.
 */
import { appendFile, mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { checkFlowText } from '../../flow/checkFlowText.ts';
import { compileFlow, type CompiledFlow } from '../../flow/compileFlow.ts';
import { flowHash } from '../../flow/flowHash.ts';
import { syncDirectory, writeFileAtomic } from '../studio/writeFileAtomic.ts';

/** One line of the publish log. */
export interface PublishEntry {
  hash: string;
  /** ISO time */
  publishedAt: string;
  /** who published: the publisher's name as it signed, or `file` for a reload from disk */
  by: string;
  /** set when this publish restored an earlier version */
  rollback?: boolean;
}

const LOG_FILE = 'publishes.jsonl';
const HASH_FILE = /^([0-9a-f]{16})\.json$/;

export class FlowVersions {
  readonly dir: string;
  private readonly entries: PublishEntry[];
  /** compiled versions in use, by hash */
  private readonly compiled = new Map<string, CompiledFlow>();

  private constructor(dir: string, entries: PublishEntry[]) {
    this.dir = dir;
    this.entries = entries;
  }

  /** Open (creating) the version store in `dir`. A torn last log line is skipped, never fatal. */
  static async open(dir: string): Promise<FlowVersions> {
    await mkdir(dir, { recursive: true });
    let text = '';
    try {
      text = await readFile(path.join(dir, LOG_FILE), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const entries: PublishEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const entry = JSON.parse(line) as PublishEntry;
        if (typeof entry.hash === 'string' && typeof entry.publishedAt === 'string') entries.push(entry);
      } catch {
        // a line cut by a crash mid-append: the version file it names is still there
      }
    }
    return new FlowVersions(dir, entries);
  }

  /** Keep a version's text under its hash (idempotent: a hash names its content). */
  async save(text: string, hash: string): Promise<void> {
    const file = this.fileOf(hash);
    try {
      await writeFileAtomic(file, text, { exclusive: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }

  /** The text of a kept version, or undefined when it was never kept or was dropped. */
  async read(hash: string): Promise<string | undefined> {
    if (!/^[0-9a-f]{16}$/.test(hash)) return undefined;
    try {
      return await readFile(this.fileOf(hash), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /**
   * A kept version compiled, loaded on first use and cached. Undefined when it is not kept or no
   * longer valid (a version is checked when published, so that means the file was damaged).
   */
  async load(hash: string): Promise<CompiledFlow | undefined> {
    const cached = this.compiled.get(hash);
    if (cached) return cached;
    const text = await this.read(hash);
    if (text === undefined) return undefined;
    const checked = checkFlowText(text);
    if (!checked.flow || checked.diagnostics.some((d) => d.severity === 'error') || flowHash(checked.flow) !== hash) return undefined;
    return this.remember(compileFlow(checked.flow));
  }

  /** Cache a compiled version under its hash (the running version, or one just published). */
  remember(compiled: CompiledFlow, hash = flowHash(compiled.flow)): CompiledFlow {
    this.compiled.set(hash, compiled);
    return compiled;
  }

  /** The cached compiled version, without touching the disk. */
  cached(hash: string): CompiledFlow | undefined {
    return this.compiled.get(hash);
  }

  /** Append one publish to the log, durably. */
  async record(entry: PublishEntry): Promise<void> {
    const file = path.join(this.dir, LOG_FILE);
    await appendFile(file, `${JSON.stringify(entry)}\n`);
    const handle = await open(file, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.entries.push(entry);
  }

  /** The publish log, oldest first. */
  history(): readonly PublishEntry[] {
    return this.entries;
  }

  /**
   * Drop kept versions that are not in `keep` (the running version and those live sessions use)
   * and were last published before `before` (ms since epoch). Returns the hashes dropped.
   */
  async prune(keep: ReadonlySet<string>, before: number): Promise<string[]> {
    const lastPublished = new Map<string, number>();
    for (const entry of this.entries) lastPublished.set(entry.hash, Date.parse(entry.publishedAt));
    const dropped: string[] = [];
    for (const name of await readdir(this.dir)) {
      const hash = HASH_FILE.exec(name)?.[1];
      if (!hash || keep.has(hash)) continue;
      const when = lastPublished.get(hash) ?? (await stat(this.fileOf(hash))).mtimeMs;
      if (when >= before) continue;
      await unlink(this.fileOf(hash));
      this.compiled.delete(hash);
      dropped.push(hash);
    }
    if (dropped.length > 0) await syncDirectory(this.dir);
    return dropped;
  }

  private fileOf(hash: string): string {
    return path.join(this.dir, `${hash}.json`);
  }
}
