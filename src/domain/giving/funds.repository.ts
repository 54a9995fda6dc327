import type { TenantDb } from '../../tenancy/tenant-database.js';
import type { FundRow, FundUpdate, NewFundRow } from './funds.table.js';

export interface FundQuery {
  /** Keyset: rows after this (name, id). */
  after?: [string, string];
  limit: number;
}

export async function insertFund(db: TenantDb, row: NewFundRow): Promise<void> {
  await db.insertInto('funds').values(row).execute();
}

export async function findFund(db: TenantDb, id: string): Promise<FundRow | undefined> {
  return db.selectFrom('funds').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findFundsByIds(db: TenantDb, ids: readonly string[]): Promise<FundRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('funds')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

export async function findFundByName(db: TenantDb, name: string): Promise<FundRow | undefined> {
  return db.selectFrom('funds').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Sorted by name, then id; fetches `limit + 1` so the caller knows whether a page follows. */
export async function listFunds(db: TenantDb, q: FundQuery): Promise<FundRow[]> {
  let query = db
    .selectFrom('funds')
    .selectAll()
    .orderBy('name')
    .orderBy('id')
    .limit(q.limit + 1);
  if (q.after) {
    const [name, id] = q.after;
    query = query.where((eb) =>
      eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]),
    );
  }
  return query.execute();
}

export async function updateFund(db: TenantDb, id: string, patch: FundUpdate): Promise<void> {
  await db.updateTable('funds').set(patch).where('id', '=', id).execute();
}

export async function deleteFund(db: TenantDb, id: string): Promise<void> {
  await db.deleteFrom('funds').where('id', '=', id).execute();
}

/** Whether any donation split points at the fund. */
export async function fundHasDonations(db: TenantDb, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('donation_splits')
    .select('donation_id')
    .where('fund_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether a donation in a committed batch uses the fund (its tax status is then settled). */
export async function fundHasCommittedDonations(db: TenantDb, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('donation_splits as s')
    .innerJoin('donations as d', 'd.id', 's.donation_id')
    .innerJoin('batches as b', 'b.id', 'd.batch_id')
    .select('s.donation_id')
    .where('s.fund_id', '=', id)
    .where('b.status', '=', 'committed')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
