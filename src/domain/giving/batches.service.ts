import { v7 as uuidv7 } from 'uuid';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type Actor, appendAudit } from '../audit/audit.repository.js';
import * as repo from './batches.repository.js';
import type { Batch, BatchListQuery, CreateBatchBody, UpdateBatchBody } from './batches.schemas.js';
import type { BatchRow } from './batches.table.js';
import { GivingErrors } from './giving-errors.js';
import { decodeCursor, pageOf } from '../cursor.js';

const NO_TOTALS: repo.BatchTotals = { donationCount: 0, totalCents: 0 };

/** The API shape of a batch, with its donation count and total. */
export function toBatch(row: BatchRow, totals: repo.BatchTotals = NO_TOTALS): Batch {
  return {
    id: row.id,
    name: row.name,
    date: row.date,
    status: row.status,
    committedAt: row.committed_at,
    committedBy: row.committed_by,
    donationCount: totals.donationCount,
    totalCents: totals.totalCents,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function withTotals(db: TenantDb, row: BatchRow): Promise<Batch> {
  return toBatch(row, (await repo.batchTotals(db, [row.id])).get(row.id));
}

function cleanName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw GivingErrors.invalid('/body/name', 'must not be blank');
  return trimmed;
}

export async function createBatch(db: TenantDb, actor: Actor, input: CreateBatchBody): Promise<Batch> {
  const now = new Date().toISOString();
  const row: BatchRow = {
    id: uuidv7(),
    name: cleanName(input.name),
    date: input.date,
    status: 'open',
    committed_at: null,
    committed_by: null,
    created_at: now,
    updated_at: now,
  };
  return db.transaction().execute(async (trx) => {
    await repo.insertBatch(trx, row);
    await appendAudit(trx, actor, {
      action: 'create',
      entity: 'batch',
      entityId: row.id,
      after: toBatch(row),
    });
    return toBatch(row);
  });
}

export async function getBatch(db: TenantDb, id: string): Promise<Batch> {
  const row = await repo.findBatch(db, id);
  if (!row) throw GivingErrors.batchNotFound();
  return withTotals(db, row);
}

export async function listBatches(db: TenantDb, q: BatchListQuery & { limit: number }) {
  const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
  const rows = await repo.listBatches(db, { status: q.status, limit: q.limit, after });
  const page = pageOf(rows, q.limit, (r) => [r.date, r.id]);
  const totals = await repo.batchTotals(
    db,
    page.items.map((r) => r.id),
  );
  return { items: page.items.map((r) => toBatch(r, totals.get(r.id))), nextCursor: page.nextCursor };
}

/** Locks the batch for a write in `trx`: 404 when missing, 409 when committed. */
export async function requireOpenBatch(trx: TenantDb, id: string): Promise<BatchRow> {
  if (!(await repo.lockOpenBatch(trx, id))) {
    if (await repo.findBatch(trx, id)) throw GivingErrors.batchCommitted();
    throw GivingErrors.batchNotFound();
  }
  return (await repo.findBatch(trx, id))!;
}

export async function updateBatch(
  db: TenantDb,
  actor: Actor,
  id: string,
  input: UpdateBatchBody,
): Promise<Batch> {
  return db.transaction().execute(async (trx) => {
    const before = await requireOpenBatch(trx, id);
    const after: BatchRow = {
      ...before,
      name: input.name === undefined ? before.name : cleanName(input.name),
      date: input.date ?? before.date,
      updated_at: new Date().toISOString(),
    };
    await repo.updateBatch(trx, id, { name: after.name, date: after.date, updated_at: after.updated_at });
    await appendAudit(trx, actor, {
      action: 'update',
      entity: 'batch',
      entityId: id,
      before: toBatch(before),
      after: toBatch(after),
    });
    return withTotals(trx, after);
  });
}

/** Only an open, empty batch can be deleted: donations are moved or deleted first. */
export async function deleteBatch(db: TenantDb, actor: Actor, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await requireOpenBatch(trx, id);
    if ((await repo.batchTotals(trx, [id])).has(id)) throw GivingErrors.batchNotEmpty();
    await repo.deleteBatch(trx, id);
    await appendAudit(trx, actor, {
      action: 'delete',
      entity: 'batch',
      entityId: id,
      before: toBatch(before),
    });
  });
}

/** Commits an open batch; from then on it and its donations are immutable (a second commit is 409). */
export async function commitBatch(db: TenantDb, actor: Actor, id: string): Promise<Batch> {
  return db.transaction().execute(async (trx) => {
    const at = new Date().toISOString();
    if (!(await repo.markCommitted(trx, id, actor.userId, at))) {
      if (await repo.findBatch(trx, id)) throw GivingErrors.batchCommitted();
      throw GivingErrors.batchNotFound();
    }
    const batch = await withTotals(trx, (await repo.findBatch(trx, id))!);
    await appendAudit(trx, actor, {
      action: 'commit',
      entity: 'batch',
      entityId: id,
      before: { status: 'open' },
      after: {
        status: 'committed',
        committedAt: at,
        donationCount: batch.donationCount,
        totalCents: batch.totalCents,
      },
    });
    return batch;
  });
}
