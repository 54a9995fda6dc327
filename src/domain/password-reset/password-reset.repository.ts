import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../../tenancy/tenant-database.js';
import type { PasswordResetRow, PasswordResetsTable } from './password-reset.table.js';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export async function insertReset(db: Db, row: PasswordResetsTable): Promise<void> {
  await db.insertInto('password_resets').values(row).execute();
}

/** The user's newest link, if any (a retried request within a minute reuses it). */
export function latestReset(db: Db, userId: string): Promise<PasswordResetRow | undefined> {
  return db
    .selectFrom('password_resets')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function findResetByHash(db: Db, tokenHash: string): Promise<PasswordResetRow | undefined> {
  return db.selectFrom('password_resets').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Uses the link if it is still usable (atomically: of two confirms, one wins). */
export async function useReset(db: Db, tokenHash: string, nowIso: string): Promise<boolean> {
  const r = await db
    .updateTable('password_resets')
    .set({ used_at: nowIso })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', nowIso)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Ends the user's other unused links: a password just set makes them pointless. */
export async function retireResets(db: Db, userId: string, nowIso: string): Promise<void> {
  await db
    .updateTable('password_resets')
    .set({ used_at: nowIso })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}
