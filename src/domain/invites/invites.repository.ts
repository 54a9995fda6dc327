import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../../tenancy/tenant-database.js';
import type { StaffInviteRow, StaffInvitesTable } from './invites.table.js';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export function findInviteByEmail(db: Db, email: string): Promise<StaffInviteRow | undefined> {
  return db.selectFrom('staff_invites').selectAll().where('email', '=', email).executeTakeFirst();
}

export function findInviteById(db: Db, id: string): Promise<StaffInviteRow | undefined> {
  return db.selectFrom('staff_invites').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findInviteByHash(db: Db, tokenHash: string): Promise<StaffInviteRow | undefined> {
  return db.selectFrom('staff_invites').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Writes the invite, replacing any earlier one for the address (its link stops working). */
export async function upsertInvite(db: Db, row: StaffInvitesTable): Promise<void> {
  await db
    .insertInto('staff_invites')
    .values(row)
    .onConflict((oc) =>
      oc.column('email').doUpdateSet({
        role: row.role,
        token_hash: row.token_hash,
        invited_by: row.invited_by,
        created_at: row.created_at,
        expires_at: row.expires_at,
        accepted_at: null,
        revoked_at: null,
      }),
    )
    .execute();
}

/** Accepts the invite if its link is still usable (atomically: of two accepts, one wins). */
export async function acceptInvite(db: Db, tokenHash: string, nowIso: string): Promise<boolean> {
  const r = await db
    .updateTable('staff_invites')
    .set({ accepted_at: nowIso })
    .where('token_hash', '=', tokenHash)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', nowIso)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Withdraws a pending invite; false when it is accepted (or already withdrawn). */
export async function revokeInvite(db: Db, id: string, nowIso: string): Promise<boolean> {
  const r = await db
    .updateTable('staff_invites')
    .set({ revoked_at: nowIso })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Invites by id (UUIDv7: creation order), after an exclusive cursor id. */
export function listInvites(db: Db, q: { afterId?: string; limit: number }): Promise<StaffInviteRow[]> {
  let query = db.selectFrom('staff_invites').selectAll().orderBy('id').limit(q.limit);
  if (q.afterId) query = query.where('id', '>', q.afterId);
  return query.execute();
}
