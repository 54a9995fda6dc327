import type { CatalogDb } from '../catalog-db.js';
import type { Registration, RegistrationStep, RegistrationsTable } from './registration.table.js';

const now = () => new Date().toISOString();

export async function findRegistration(db: CatalogDb, id: string): Promise<Registration | undefined> {
  return db.selectFrom('registrations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A registration as signup records it; the worker fields start empty. */
export type NewRegistration = Omit<
  RegistrationsTable,
  'attempts' | 'lease_owner' | 'lease_expires_at' | 'error'
>;

export async function insertRegistration(db: CatalogDb, row: NewRegistration): Promise<void> {
  await db.insertInto('registrations').values(row).execute();
}

/** A claimed registration with where its database goes (null: a SQLite file). */
export interface ClaimedRegistration {
  registration: Registration;
  /** The tenant row's status; null when the row is gone. */
  tenantStatus: string | null;
  /** The schema version the catalog holds for the tenant's database. */
  schemaVersion: number | null;
  /** The tenant's server; null for a SQLite tenant. */
  server: { id: string; url: string } | null;
}

/**
 * Atomically takes a registration for one worker: pending ones, or provisioning ones whose
 * lease expired (their worker died). Two workers can never both win. The one read a
 * provisioning run makes of what the signup wrote: the row, its tenant and placement.
 */
export async function claimRegistration(
  db: CatalogDb,
  id: string,
  owner: string,
  leaseMs: number,
): Promise<ClaimedRegistration | undefined> {
  const t = now();
  const row = await db
    .updateTable('registrations')
    .set((eb) => ({
      status: 'provisioning',
      lease_owner: owner,
      lease_expires_at: new Date(Date.now() + leaseMs).toISOString(),
      attempts: eb('attempts', '+', 1),
      updated_at: t,
    }))
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'pending'),
        eb.and([eb('status', '=', 'provisioning'), eb('lease_expires_at', '<=', t)]),
      ]),
    )
    .returningAll()
    .returning((eb) => [
      eb
        .selectFrom('tenants')
        .select('tenants.status')
        .whereRef('tenants.id', '=', 'registrations.tenant_id')
        .as('tenant_status'),
      eb
        .selectFrom('tenants')
        .select('tenants.schema_version')
        .whereRef('tenants.id', '=', 'registrations.tenant_id')
        .as('tenant_schema_version'),
      eb
        .selectFrom('tenants')
        .innerJoin('db_servers', 'db_servers.id', 'tenants.server_id')
        .select('db_servers.url')
        .whereRef('tenants.id', '=', 'registrations.tenant_id')
        .as('server_url'),
      eb
        .selectFrom('tenants')
        .select('tenants.server_id')
        .whereRef('tenants.id', '=', 'registrations.tenant_id')
        .as('server_id'),
    ])
    .executeTakeFirst();
  if (!row) return undefined;
  const { tenant_status, tenant_schema_version, server_url, server_id, ...registration } = row;
  return {
    registration,
    tenantStatus: tenant_status ?? null,
    schemaVersion: tenant_schema_version ?? null,
    server: server_id && server_url ? { id: server_id, url: server_url } : null,
  };
}

/** Extends this worker's lease while it is still working, so a slow run is not taken over. */
export async function renewLease(db: CatalogDb, id: string, owner: string, leaseMs: number): Promise<void> {
  await db
    .updateTable('registrations')
    .set({ lease_expires_at: new Date(Date.now() + leaseMs).toISOString() })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'provisioning')
    .execute();
}

/** Records a finished step, only while this worker still holds the lease. */
export async function recordStep(
  db: CatalogDb,
  id: string,
  owner: string,
  step: RegistrationStep,
): Promise<boolean> {
  const res = await db
    .updateTable('registrations')
    .set({ step, updated_at: now() })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'provisioning')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Lets the lease lapse now so the reconciler retries promptly, keeping the error for the record. */
export async function releaseAfterError(
  db: CatalogDb,
  id: string,
  owner: string,
  error: string,
): Promise<void> {
  await db
    .updateTable('registrations')
    .set({ lease_expires_at: now(), error, updated_at: now() })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute();
}

/** Registrations a worker should pick up: dispatched but never claimed, or claimed by a dead worker. */
export async function findStaleRegistrations(
  db: CatalogDb,
  pendingOlderThanMs: number,
  limit = 100,
): Promise<Registration[]> {
  const t = now();
  const pendingBefore = new Date(Date.now() - pendingOlderThanMs).toISOString();
  return db
    .selectFrom('registrations')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('updated_at', '<', pendingBefore)]),
        eb.and([eb('status', '=', 'provisioning'), eb('lease_expires_at', '<=', t)]),
      ]),
    )
    .orderBy('created_at')
    .limit(limit)
    .execute();
}
