/**
 * Which sessions one workflow process answers when several share a stream: `--shard 2/3` takes the
 * sessions whose id hashes to 2 of 3. Every event of a session goes to the same process, so a session's
 * turns stay in order and no turn is answered twice.
 */
export interface WorkflowShard {
  /** 0-based */
  index: number;
  count: number;
}

/** Parses "i/n" (1-based i, as people count: 1/2 and 2/2). */
export function parseShard(text: string): WorkflowShard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const position = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || position < 1 || position > count) {
    throw new Error(`--shard must be i/n with 1 ≤ i ≤ n, e.g. 1/2 (got "${text}")`);
  }
  return { index: position - 1, count };
}

/** True when this shard answers the session `sid` (FNV-1a over the id, so the split is even and stable). */
export function ownsSession(shard: WorkflowShard | undefined, sid: string): boolean {
  if (!shard || shard.count === 1) return true;
  let hash = 0x811c9dc5;
  for (let i = 0; i < sid.length; i++) {
    hash ^= sid.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shard.count === shard.index;
}
