/**
 * Indexes of flow ids that compare the way the article's server did (`==`): values are bucketed by
 * `looseKey`, so `"1"` and `1` land together, and every lookup filters its bucket with `looseEquals`.
 * Shared by compileFlow (the engine's matchers) and validateFlow (its checks), so both bucket alike. Pure.
 */
import { looseKey } from './looseId.ts';
import type { Id } from './types.ts';

/** Id buckets: bucket key → values in insertion (file) order. */
export type IdBuckets<T> = Map<string, T[]>;

/**
 * The bucket key of a (groupId, itemId) pair. Ids containing the separator could share a bucket,
 * which is harmless: buckets are always filtered with looseEquals.
 */
export function choiceKey(groupId: Id, itemId: Id): string {
  return `${looseKey(groupId)}\u0000${looseKey(itemId)}`;
}

/** Adds `value` at the end of the bucket `key`. */
export function push<T>(buckets: IdBuckets<T>, key: string, value: T): void {
  const bucket = buckets.get(key);
  if (bucket) bucket.push(value);
  else buckets.set(key, [value]);
}

/** The first value of bucket `key` that passes `test` (the `==` filter). */
export function first<T>(buckets: ReadonlyMap<string, readonly T[]>, key: string, test: (value: T) => boolean): T | undefined {
  return buckets.get(key)?.find(test);
}
