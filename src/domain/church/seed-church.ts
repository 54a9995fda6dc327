import { createUserIfAbsent } from '../../auth/user.repository.js';
import type { NewChurch } from '../../platform/registrations/provisioner.js';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { NO_ADDRESS } from '../postal-address.js';
import './church.table.js';

/**
 * Writes a new church's profile and first admin (registration's seed step). Each is one
 * insert-if-absent, so a retried step finds both rows and changes nothing; one transaction, so
 * one commit (one WAL flush on PostgreSQL) for both.
 */
export async function seedChurch(db: TenantDb, church: NewChurch): Promise<void> {
  const t = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('church')
      .values({
        id: church.id,
        slug: church.slug,
        name: church.name,
        timezone: church.timezone,
        currency: church.currency,
        ...NO_ADDRESS,
        created_at: t,
        updated_at: t,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    await createUserIfAbsent(trx, { ...church.admin, role: 'admin' });
  });
}
