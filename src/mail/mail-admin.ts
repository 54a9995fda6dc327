import type { CatalogDb } from '../platform/catalog-db.js';
import type { TenantDatabases } from '../tenancy/tenant-database.js';
import { listMail, markPending, requeueFailed } from './mail-outbox.repository.js';
import type { MailStatus } from './mail-outbox.table.js';

/** An outbox row as operators see it (no body). */
export type MailListing = Awaited<ReturnType<typeof listMail>>[number];

/** A church's messages in the given states, newest first. */
export function listChurchMail(
  tenants: TenantDatabases,
  tenantId: string,
  statuses: readonly MailStatus[],
  limit: number,
): Promise<MailListing[]> {
  return tenants.withTenant(tenantId, (db) => listMail(db, statuses, limit));
}

/** Queues a church's failed messages (all, or those ids) again, due now; returns how many. */
export async function retryFailedMail(
  d: { tenants: TenantDatabases; catalog: CatalogDb },
  tenantId: string,
  ids?: readonly string[],
): Promise<number> {
  const n = await d.tenants.withTenant(tenantId, (db) => requeueFailed(db, new Date().toISOString(), ids));
  if (n) await markPending(d.catalog, tenantId, Date.now(), Date.now());
  return n;
}
