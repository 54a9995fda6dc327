import type { TenantDb } from '../../tenancy/tenant-database.js';
import type { DonationRow, DonationSplitRow, DonationUpdate, NewDonationRow } from './donations.table.js';

export interface DonationFilter {
  batchId?: string;
  personId?: string;
  householdId?: string;
  fundId?: string;
  /** Inclusive YYYY-MM-DD bounds on received_on. */
  from?: string;
  to?: string;
  /** Keyset: rows after this (received_on, id) in newest-first order. */
  after?: [string, string];
  limit: number;
}

export interface SplitValue {
  fundId: string;
  amountCents: number;
}

/** Inserts a donation and its splits (positions in the given order). */
export async function insertDonation(db: TenantDb, row: NewDonationRow, splits: readonly SplitValue[]) {
  await db.insertInto('donations').values(row).execute();
  await insertSplits(db, row.id, splits);
}

async function insertSplits(db: TenantDb, donationId: string, splits: readonly SplitValue[]) {
  await db
    .insertInto('donation_splits')
    .values(
      splits.map((s, position) => ({
        donation_id: donationId,
        position,
        fund_id: s.fundId,
        amount_cents: s.amountCents,
      })),
    )
    .execute();
}

export async function replaceSplits(db: TenantDb, donationId: string, splits: readonly SplitValue[]) {
  await db.deleteFrom('donation_splits').where('donation_id', '=', donationId).execute();
  await insertSplits(db, donationId, splits);
}

export async function findDonation(db: TenantDb, id: string): Promise<DonationRow | undefined> {
  return db.selectFrom('donations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Splits of the given donations, in position order. */
export async function findSplits(db: TenantDb, ids: readonly string[]): Promise<DonationSplitRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('donation_splits')
    .selectAll()
    .where('donation_id', 'in', [...ids])
    .orderBy('donation_id')
    .orderBy('position')
    .execute();
}

/** Original id -> id of the reversal that cancels it, for the given originals. */
export async function findReversals(db: TenantDb, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('donations')
    .select(['id', 'reverses_id'])
    .where('reverses_id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.reverses_id!, r.id]));
}

/** Newest gift first (received_on, then id, descending); fetches `limit + 1`. */
export async function listDonations(db: TenantDb, f: DonationFilter): Promise<DonationRow[]> {
  let q = db
    .selectFrom('donations')
    .selectAll()
    .orderBy('received_on', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit + 1);
  if (f.batchId) q = q.where('batch_id', '=', f.batchId);
  if (f.personId) q = q.where('person_id', '=', f.personId);
  if (f.householdId) q = q.where('household_id', '=', f.householdId);
  if (f.from) q = q.where('received_on', '>=', f.from);
  if (f.to) q = q.where('received_on', '<=', f.to);
  if (f.fundId) {
    const fundId = f.fundId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('donation_splits')
          .select('position')
          .whereRef('donation_splits.donation_id', '=', 'donations.id')
          .where('donation_splits.fund_id', '=', fundId),
      ),
    );
  }
  if (f.after) {
    const [on, id] = f.after;
    q = q.where((eb) =>
      eb.or([eb('received_on', '<', on), eb.and([eb('received_on', '=', on), eb('id', '<', id)])]),
    );
  }
  return q.execute();
}

export async function updateDonation(db: TenantDb, id: string, patch: DonationUpdate): Promise<void> {
  await db.updateTable('donations').set(patch).where('id', '=', id).execute();
}

/** Deletes a donation and its splits (explicitly, not relying on the cascade). */
export async function deleteDonation(db: TenantDb, id: string): Promise<void> {
  await db.deleteFrom('donation_splits').where('donation_id', '=', id).execute();
  await db.deleteFrom('donations').where('id', '=', id).execute();
}

export async function personExists(db: TenantDb, id: string): Promise<boolean> {
  return (await db.selectFrom('people').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function householdExists(db: TenantDb, id: string): Promise<boolean> {
  return (
    (await db.selectFrom('households').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
  );
}
