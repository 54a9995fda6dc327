import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { TenantDatabase } from '../tenancy/tenant-database.js';
import type { RefreshTokenRow } from './auth.tables.js';

// Same strict lowercase UUID as tenancy's tenant ids: nothing else reaches a database lookup.
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;

/**
 * A refresh token is `<tenant id>.<43 chars of base64url randomness>`: the tenant part only says
 * which church database to look in (it grants nothing); the secret part is stored as SHA-256.
 */
export function newRefreshToken(tenantId: string): string {
  return `${tenantId}.${randomBytes(32).toString('base64url')}`;
}

export function parseRefreshToken(token: string): { tenantId: string } | null {
  const [tenantId = '', secret = '', extra] = token.split('.');
  if (extra !== undefined || !TENANT_ID.test(tenantId) || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return null;
  return { tenantId };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Stores a new active token of a family (a new family at login). */
export async function storeRefreshToken(
  db: Db,
  input: { token: string; userId: string; familyId?: string; now?: Date },
): Promise<RefreshTokenRow> {
  const now = input.now ?? new Date();
  const row: RefreshTokenRow = {
    id: uuidv7(),
    token_hash: hashRefreshToken(input.token),
    family_id: input.familyId ?? uuidv7(),
    user_id: input.userId,
    status: 'active',
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + REFRESH_TOKEN_TTL_MS).toISOString(),
  };
  await db.insertInto('refresh_tokens').values(row).execute();
  return row;
}

export type RotateResult =
  | { kind: 'rotated'; row: RefreshTokenRow }
  | { kind: 'reused'; row: RefreshTokenRow }
  | { kind: 'invalid' };

/**
 * Marks the presented token rotated with a compare-and-swap (`where status = 'active'`), so of
 * two parallel refreshes only one wins; the loser sees a rotated token and is treated as reuse.
 */
export async function consumeRefreshToken(db: Db, token: string, now = new Date()): Promise<RotateResult> {
  const hash = hashRefreshToken(token);
  const res = await db
    .updateTable('refresh_tokens')
    .set({ status: 'rotated' })
    .where('token_hash', '=', hash)
    .where('status', '=', 'active')
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  const row = await db
    .selectFrom('refresh_tokens')
    .selectAll()
    .where('token_hash', '=', hash)
    .executeTakeFirst();
  if (!row) return { kind: 'invalid' };
  if (Number(res.numUpdatedRows) === 1) return { kind: 'rotated', row };
  return row.status === 'rotated' ? { kind: 'reused', row } : { kind: 'invalid' };
}

/** Revokes a whole family; with `userId`, only if the family is that user's. */
export async function revokeFamily(db: Db, familyId: string, userId?: string): Promise<void> {
  let q = db.updateTable('refresh_tokens').set({ status: 'revoked' }).where('family_id', '=', familyId);
  if (userId) q = q.where('user_id', '=', userId);
  await q.execute();
}

export async function revokeUserFamilies(db: Db, userId: string): Promise<void> {
  await db
    .updateTable('refresh_tokens')
    .set({ status: 'revoked' })
    .where('user_id', '=', userId)
    .where('status', '!=', 'revoked')
    .execute();
}

/** Deletes rows past their expiry (rotated rows are kept until then to detect reuse). */
export async function purgeExpiredRefreshTokens(db: Db, userId?: string, now = new Date()): Promise<number> {
  let q = db.deleteFrom('refresh_tokens').where('expires_at', '<=', now.toISOString());
  if (userId) q = q.where('user_id', '=', userId);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}
