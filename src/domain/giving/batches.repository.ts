import type { TenantDb } from '../../tenancy/tenant-database.js';
import type { BatchRow, BatchStatus, BatchUpdate, NewBatchRow } from './batches.table.js';

export interface BatchQuery {
  status?: BatchStatus;
  /** Keyset: rows after this (date, id) in newest-first order. */
  after?: [string, string];
  limit: number;
}

export interface BatchTotals {
  donationCount: number;
  totalCents: number;
}

export async function insertBatch(db: TenantDb, row: NewBatchRow): Promise<void> {
  await db.insertInto('batches').values(row).execute();
}

export async function findBatch(db: TenantDb, id: string): Promise<BatchRow | undefined> {
  return db.selectFrom('batches').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Newest deposit first, then id descending; fetches `limit + 1`. */
export async function listBatches(db: TenantDb, q: BatchQuery): Promise<BatchRow[]> {
  let query = db
    .selectFrom('batches')
    .selectAll()
    .orderBy('date', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.after) {
    const [date, id] = q.after;
    query = query.where((eb) =>
      eb.or([eb('date', '<', date), eb.and([eb('date', '=', date), eb('id', '<', id)])]),
    );
  }
  return query.execute();
}

export async function updateBatch(db: TenantDb, id: string, patch: BatchUpdate): Promise<void> {
  await db.updateTable('batches').set(patch).where('id', '=', id).execute();
}

export async function deleteBatch(db: TenantDb, id: string): Promise<void> {
  await db.deleteFrom('batches').where('id', '=', id).execute();
}

/**
 * Row-locks an open batch for the rest of the transaction (a no-op UPDATE guarded by status):
 * a commit and a donation write on the same batch then serialize, and whichever comes second
 * sees the other's result. Returns false when the batch is missing or already committed.
 */
export async function lockOpenBatch(db: TenantDb, id: string): Promise<boolean> {
  const res = await db
    .updateTable('batches')
    .set({ status: 'open' })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Marks an open batch committed; false when it was not open (missing or committed already). */
export async function markCommitted(
  db: TenantDb,
  id: string,
  by: string | null,
  at: string,
): Promise<boolean> {
  const res = await db
    .updateTable('batches')
    .set({ status: 'committed', committed_at: at, committed_by: by, updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Donation count and signed total per batch (sums come back as text on PostgreSQL). */
export async function batchTotals(db: TenantDb, ids: readonly string[]): Promise<Map<string, BatchTotals>> {
  const totals = new Map<string, BatchTotals>();
  if (ids.length === 0) return totals;
  const rows = await db
    .selectFrom('donations')
    .select((eb) => ['batch_id', eb.fn.countAll().as('n'), eb.fn.sum('amount_cents').as('total')])
    .where('batch_id', 'in', [...ids])
    .groupBy('batch_id')
    .execute();
  for (const r of rows) totals.set(r.batch_id!, { donationCount: Number(r.n), totalCents: Number(r.total) });
  return totals;
}
