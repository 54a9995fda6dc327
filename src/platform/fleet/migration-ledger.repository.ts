import type { CatalogDb } from '../catalog-db.js';
import type { LedgerEntry, LedgerStatus } from './migration-ledger.table.js';
import './migration-ledger.table.js';

/** Marks an attempt as running (creating the row or counting one more attempt). */
export async function startLedgerAttempt(catalog: CatalogDb, tenantId: string, from: number, to: number) {
  const now = new Date().toISOString();
  await catalog
    .insertInto('tenant_migration_ledger')
    .values({
      tenant_id: tenantId,
      from_version: from,
      to_version: to,
      status: 'running',
      attempts: 1,
      duration_ms: null,
      error: null,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'to_version']).doUpdateSet((eb) => ({
        status: 'running',
        from_version: from,
        attempts: eb('tenant_migration_ledger.attempts', '+', 1),
        error: null,
        updated_at: now,
      })),
    )
    .execute();
}

export async function finishLedgerAttempt(
  catalog: CatalogDb,
  tenantId: string,
  to: number,
  outcome: { status: Exclude<LedgerStatus, 'running'>; durationMs: number; error?: string },
) {
  await catalog
    .updateTable('tenant_migration_ledger')
    .set({
      status: outcome.status,
      duration_ms: Math.round(outcome.durationMs),
      error: outcome.error?.slice(0, 2000) ?? null,
      updated_at: new Date().toISOString(),
    })
    .where('tenant_id', '=', tenantId)
    .where('to_version', '=', to)
    .execute();
}

/** Ledger rows for one target version, optionally one status. */
export async function listLedger(
  catalog: CatalogDb,
  to: number,
  status?: LedgerStatus,
): Promise<LedgerEntry[]> {
  let q = catalog.selectFrom('tenant_migration_ledger').selectAll().where('to_version', '=', to);
  if (status) q = q.where('status', '=', status);
  return q.orderBy('tenant_id').execute();
}
