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

/** Creates the first admin if no user with that email exists yet (auth implements it). */
export type EnsureAdmin = (
  db: TenantDb,
  admin: { name: string; email: string; passwordHash: string },
) => Promise<void>;

/**
 * Writes the church profile, then the first admin once its password hash is ready. Each is one
 * idempotent statement, so a retried step finds both rows and changes nothing. The profile goes
 * first so the fresh database has its schema read (and SQLite its WAL made) while hashing runs.
 */
export async function seedTenant(
  db: TenantDb,
  reg: Registration,
  ensureAdmin: EnsureAdmin,
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
  const hash = await passwordHash();
  await ensureAdmin(db, { name: reg.admin_name, email: reg.admin_email, passwordHash: hash });
}
