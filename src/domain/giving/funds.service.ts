import { v7 as uuidv7 } from 'uuid';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type Actor, appendAudit } from '../audit/audit.repository.js';
import { isUniqueViolation } from '../../infra/db/errors.js';
import { GivingErrors } from './giving-errors.js';
import * as repo from './funds.repository.js';
import type { CreateFundBody, Fund, UpdateFundBody } from './funds.schemas.js';
import type { FundRow } from './funds.table.js';
import { decodeCursor, pageOf } from '../cursor.js';

/** The API shape of a fund row. */
export function toFund(row: FundRow): Fund {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    taxDeductible: row.tax_deductible === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function cleanName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw GivingErrors.invalid('/body/name', 'must not be blank');
  return trimmed;
}

/** Runs a write, turning a duplicate fund name into 409 whichever check caught it. */
async function uniqueName<T>(db: TenantDb, name: string, exceptId: string | null, fn: () => Promise<T>) {
  const existing = await repo.findFundByName(db, name);
  if (existing && existing.id !== exceptId) throw GivingErrors.fundNameTaken();
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err)) throw GivingErrors.fundNameTaken();
    throw err;
  }
}

export async function createFund(db: TenantDb, actor: Actor, input: CreateFundBody): Promise<Fund> {
  const now = new Date().toISOString();
  const row: FundRow = {
    id: uuidv7(),
    name: cleanName(input.name),
    description: input.description ?? null,
    tax_deductible: input.taxDeductible === false ? 0 : 1,
    created_at: now,
    updated_at: now,
  };
  return db.transaction().execute(async (trx) =>
    uniqueName(trx, row.name, null, async () => {
      await repo.insertFund(trx, row);
      await appendAudit(trx, actor, {
        action: 'create',
        entity: 'fund',
        entityId: row.id,
        after: toFund(row),
      });
      return toFund(row);
    }),
  );
}

export async function getFund(db: TenantDb, id: string): Promise<Fund> {
  const row = await repo.findFund(db, id);
  if (!row) throw GivingErrors.fundNotFound();
  return toFund(row);
}

export async function listFunds(db: TenantDb, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
  const rows = await repo.listFunds(db, { limit: q.limit, after });
  const page = pageOf(rows, q.limit, (r) => [r.name, r.id]);
  return { items: page.items.map(toFund), nextCursor: page.nextCursor };
}

export async function updateFund(
  db: TenantDb,
  actor: Actor,
  id: string,
  input: UpdateFundBody,
): Promise<Fund> {
  return db.transaction().execute(async (trx) => {
    const before = await repo.findFund(trx, id);
    if (!before) throw GivingErrors.fundNotFound();
    const after: FundRow = {
      ...before,
      name: input.name === undefined ? before.name : cleanName(input.name),
      description: input.description === undefined ? before.description : input.description,
      tax_deductible: input.taxDeductible === undefined ? before.tax_deductible : input.taxDeductible ? 1 : 0,
      updated_at: new Date().toISOString(),
    };
    // Committed gifts were (or will be) receipted as deductible or not: that must not change later.
    if (after.tax_deductible !== before.tax_deductible && (await repo.fundHasCommittedDonations(trx, id))) {
      throw GivingErrors.fundTaxStatusLocked();
    }
    return uniqueName(trx, after.name, id, async () => {
      await repo.updateFund(trx, id, {
        name: after.name,
        description: after.description,
        tax_deductible: after.tax_deductible,
        updated_at: after.updated_at,
      });
      await appendAudit(trx, actor, {
        action: 'update',
        entity: 'fund',
        entityId: id,
        before: toFund(before),
        after: toFund(after),
      });
      return toFund(after);
    });
  });
}

/** A fund that any donation uses stays: deleting it would rewrite giving history. */
export async function deleteFund(db: TenantDb, actor: Actor, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await repo.findFund(trx, id);
    if (!before) throw GivingErrors.fundNotFound();
    if (await repo.fundHasDonations(trx, id)) throw GivingErrors.fundInUse();
    await repo.deleteFund(trx, id);
    await appendAudit(trx, actor, { action: 'delete', entity: 'fund', entityId: id, before: toFund(before) });
  });
}
