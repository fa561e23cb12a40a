/**
 * Loose id comparison, the way the article's server compared ids (`==`), so flows and widgets that
 * mix `"1"` and `1` keep working. Pure.
 */
import type { Id } from './types.ts';

/** Is `value` usable as an id (a string or a number)? Anything else is a malformed id. */
export function isId(value: unknown): value is Id {
  return typeof value === 'string' || typeof value === 'number';
}

/**
 * Exactly JavaScript's `a == b` for strings and numbers, written out: same type compares strictly
 * (`NaN` equals nothing, `0` equals `-0`); a string and a number compare as `Number(string) === number`,
 * so `"1" == 1`, `" 1 " == 1`, `"1.0" == 1`, `"0x10" == 16` and `"" == 0` hold, while `"1" == "1.0"`
 * does not (two strings compare as text).
 */
export function looseEquals(a: Id, b: Id): boolean {
  if (typeof a === typeof b) return a === b;
  return typeof a === 'string' ? Number(a) === b : a === Number(b);
}

/**
 * A bucket key for indexes: whenever `looseEquals(a, b)`, `looseKey(a) === looseKey(b)`.
 * Numbers give `String(n)` (`-0` gives `"0"`); a string that `Number()` reads as a number gives that
 * number's text (`"1.0"`, `" 1"` and `"0x1"` give `"1"`, `""` gives `"0"`); any other string is itself.
 *
 * The converse does not hold (`"1"` and `"1.0"` share a key but are not `==`), because `==` is not
 * transitive: an index lookup by this key returns candidates that the caller filters with
 * {@link looseEquals}, which gives exactly the original server's answers. Readable enough for
 * handle ids (`"rust"` stays `"rust"`).
 */
export function looseKey(id: Id): string {
  if (typeof id === 'number') return String(id);
  const asNumber = Number(id);
  return Number.isNaN(asNumber) ? id : String(asNumber);
}
