/** One replacement that turns `from` into `to`: delete `deleteLength` chars at `offset`, insert `insert`. */
export interface TextEdit {
  offset: number;
  deleteLength: number;
  insert: string;
}

/**
 * The smallest single edit between two texts (common prefix and suffix kept), so applying an
 * external change leaves the cursor and the untouched text where they were.
 */
export function minimalEdit(from: string, to: string): TextEdit {
  const max = Math.min(from.length, to.length);
  let prefix = 0;
  while (prefix < max && from.charCodeAt(prefix) === to.charCodeAt(prefix)) prefix++;
  // Never split a surrogate pair.
  if (prefix > 0 && isHighSurrogate(from.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  while (
    suffix < max - prefix &&
    from.charCodeAt(from.length - 1 - suffix) === to.charCodeAt(to.length - 1 - suffix)
  ) suffix++;
  if (suffix > 0 && isLowSurrogate(from.charCodeAt(from.length - suffix))) suffix--;
  return {
    offset: prefix,
    deleteLength: from.length - prefix - suffix,
    insert: to.slice(prefix, to.length - suffix),
  };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
