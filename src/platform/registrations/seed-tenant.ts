import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type AddressColumns, NO_ADDRESS } from '../../domain/postal-address.js';
import type { Registration } from './registration.table.js';

declare module '../../tenancy/tenant-database.js' {
  interface TenantDatabase {
    church: ChurchProfileTable;
  }
}

/** The one-row church profile in each tenant database (migrations/tenant/0001_church.ts). */
export interface ChurchProfileTable extends AddressColumns {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  currency: string;
  created_at: string;
  updated_at: string;
}

/**
 * Builds the first admin's insert (skipped if a user with that email exists) before its password
 * hash exists; the returned function writes it (auth implements it).
 */
export type PrepareAdmin = (
  db: TenantDb,
  admin: { name: string; email: string },
) => (passwordHash: string) => Promise<void>;

/**
 * Writes the church profile, then the first admin once its password hash is ready. Each is one
 * idempotent statement, so a retried step finds both rows and changes nothing. The profile and
 * the admin's prepared insert go first so that while hashing runs the fresh database has its
 * schema read (and SQLite its WAL made), and the admin's write is all that is left after it.
 */
export async function seedTenant(
  db: TenantDb,
  reg: Registration,
  prepareAdmin: PrepareAdmin,
  passwordHash: () => Promise<string>,
): Promise<void> {
  const t = new Date().toISOString();
  await db
    .insertInto('church')
    .values({
      id: reg.tenant_id,
      slug: reg.slug,
      name: reg.church_name,
      timezone: reg.timezone,
      currency: reg.currency,
      ...NO_ADDRESS,
      created_at: t,
      updated_at: t,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const writeAdmin = prepareAdmin(db, { name: reg.admin_name, email: reg.admin_email });
  await writeAdmin(await passwordHash());
}
