import { Errors } from '../../http/app-error.js';

/**
 * Opaque keyset cursors: the sort key of the last row of a page, as base64url JSON. Clients
 * must not build them; a malformed one is a 400 on `?cursor=`.
 */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Decodes a cursor holding exactly `size` strings. */
export function decodeCursor(cursor: string, size: number): string[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === size && key.every((k) => typeof k === 'string')) return key;
  } catch {
    // fall through to the validation error
  }
  throw Errors.validation([{ path: '/query/cursor', message: 'is not a valid cursor' }]);
}

/** Splits a `limit + 1` fetch into one page and the next cursor (null at the end). */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => string[]) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor(keyOf(last)) : null;
  return { items, nextCursor };
}
