/** The lower-cased form stored in *_key columns; folded in JS so both dialects agree. */
export function searchKey(value: string): string {
  return value.normalize('NFKC').toLowerCase();
}

export function searchKeyOrNull(value: string | null | undefined): string | null {
  return value == null ? null : searchKey(value);
}

/** A LIKE pattern matching values that start with `prefix` (wildcards escaped with `\`). */
export function prefixPattern(prefix: string): string {
  return `${searchKey(prefix).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
