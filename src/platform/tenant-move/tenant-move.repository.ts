import type { CatalogDb } from '../catalog-db.js';
import { type MoveStep, type TenantMove, UNFINISHED_STEPS } from './tenant-move.table.js';
import './tenant-move.table.js';

const now = () => new Date().toISOString();

/** The church's move that has not reached `switched` or been rolled back, if any. */
export function findUnfinishedMove(catalog: CatalogDb, tenantId: string): Promise<TenantMove | undefined> {
  return catalog
    .selectFrom('tenant_moves')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('step', 'in', UNFINISHED_STEPS)
    .executeTakeFirst();
}

/** Records a new move at `started`; throws a unique violation when one is unfinished. */
export async function insertMove(
  catalog: CatalogDb,
  move: Pick<
    TenantMove,
    'id' | 'tenant_id' | 'source_server_id' | 'target_server_id' | 'owner' | 'lease_until'
  >,
): Promise<void> {
  const t = now();
  await catalog
    .insertInto('tenant_moves')
    .values({ ...move, step: 'started', error: null, created_at: t, updated_at: t })
    .execute();
}

/** Records the step reached (and anything learnt on the way). */
export async function setMoveStep(
  catalog: CatalogDb,
  id: string,
  step: MoveStep,
  extra: Partial<Pick<TenantMove, 'error' | 'rows_copied' | 'bytes_copied' | 'lease_until' | 'owner'>> = {},
): Promise<void> {
  await catalog
    .updateTable('tenant_moves')
    .set({ step, ...extra, updated_at: now() })
    .where('id', '=', id)
    .execute();
}

/** Extends the running process's claim on a move. */
export async function renewMoveLease(catalog: CatalogDb, id: string, until: string): Promise<void> {
  await catalog.updateTable('tenant_moves').set({ lease_until: until }).where('id', '=', id).execute();
}

export function getMove(catalog: CatalogDb, id: string): Promise<TenantMove | undefined> {
  return catalog.selectFrom('tenant_moves').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The church's moves, newest first. */
export function listMoves(catalog: CatalogDb, tenantId?: string): Promise<TenantMove[]> {
  let q = catalog.selectFrom('tenant_moves').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
  if (tenantId) q = q.where('tenant_id', '=', tenantId);
  return q.execute();
}

/** Moves that switched within `sinceMs` (the catalog pointer changed): their handles are stale. */
export function recentlySwitched(
  catalog: CatalogDb,
  sinceMs: number,
): Promise<Pick<TenantMove, 'id' | 'tenant_id'>[]> {
  return catalog
    .selectFrom('tenant_moves')
    .select(['id', 'tenant_id'])
    .where('step', 'in', ['switched', 'source_dropped'])
    .where('switched_at', '>', new Date(Date.now() - sinceMs).toISOString())
    .execute();
}

/** Switched moves whose kept source is due to be dropped. */
export function sourcesDue(catalog: CatalogDb): Promise<TenantMove[]> {
  return catalog
    .selectFrom('tenant_moves')
    .selectAll()
    .where('step', '=', 'switched')
    .where('drop_after', '<=', now())
    .orderBy('drop_after')
    .execute();
}

/** Switched moves whose kept source is at this location (a SQLite file: serverId null). */
export function keptSourcesAt(
  catalog: CatalogDb,
  tenantId: string,
  serverId: string | null,
): Promise<TenantMove[]> {
  let q = catalog
    .selectFrom('tenant_moves')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('step', '=', 'switched');
  q = serverId ? q.where('source_server_id', '=', serverId) : q.where('source_server_id', 'is', null);
  return q.execute();
}
