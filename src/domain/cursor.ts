import { Errors } from '../errors/app-error.js';

/** Opaque page cursor: the sort key of the last row, as base64url JSON. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by encodeCursor with `size` string parts; anything else is a client
 * error (400), never a 500.
 */
export function decodeCursor(cursor: string | undefined, size: number): string[] | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === size && key.every((k) => typeof k === 'string')) {
      return key as string[];
    }
  } catch {
    // fall through to the validation error
  }
  throw Errors.validation([{ path: '/query/cursor', message: 'is not a valid cursor' }]);
}

/**
 * Repositories fetch limit + 1 rows; this trims the extra row and makes the next cursor from
 * the last row kept (null at the end).
 */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => string[]) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor(keyOf(last)) : null };
}
