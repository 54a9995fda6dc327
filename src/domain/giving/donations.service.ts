import { v7 as uuidv7 } from 'uuid';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type Actor, appendAudit } from '../audit/audit.repository.js';
import { requireOpenBatch } from './batches.service.js';
import { requireFunds, requireRefs, splitsOf, sumCents } from './donation-input.js';
import * as repo from './donations.repository.js';
import type {
  CreateDonationBody,
  Donation,
  DonationListQuery,
  UpdateDonationBody,
} from './donations.schemas.js';
import type { DonationRow, DonationSplitRow } from './donations.table.js';
import { GivingErrors } from './giving-errors.js';
import { decodeCursor, pageOf } from '../cursor.js';

/** The API shape of a donation with its splits and, if reversed, its reversal's id. */
export function toDonation(
  row: DonationRow,
  splits: DonationSplitRow[],
  reversedById: string | null,
): Donation {
  const mine = splits.filter((s) => s.donation_id === row.id).sort((a, b) => a.position - b.position);
  return {
    id: row.id,
    personId: row.person_id,
    householdId: row.household_id,
    batchId: row.batch_id,
    fundId: mine.length === 1 ? mine[0]!.fund_id : null,
    amountCents: row.amount_cents,
    splits: mine.map((s) => ({ fundId: s.fund_id, amountCents: s.amount_cents })),
    receivedOn: row.received_on,
    method: row.method,
    checkNumber: row.check_number,
    note: row.note,
    reversesId: row.reverses_id,
    reversedById,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Loads the API shape of donations by row, in the given order. */
export async function present(db: TenantDb, rows: DonationRow[]): Promise<Donation[]> {
  const ids = rows.map((r) => r.id);
  const [splits, reversals] = await Promise.all([repo.findSplits(db, ids), repo.findReversals(db, ids)]);
  return rows.map((r) => toDonation(r, splits, reversals.get(r.id) ?? null));
}

async function load(db: TenantDb, id: string): Promise<Donation> {
  const row = await repo.findDonation(db, id);
  if (!row) throw GivingErrors.donationNotFound();
  return (await present(db, [row]))[0]!;
}

export async function createDonation(
  db: TenantDb,
  actor: Actor,
  input: CreateDonationBody,
): Promise<Donation> {
  const splits = splitsOf(input);
  if (!splits) throw GivingErrors.invalid('/body/fundId', 'give either fundId and amountCents, or splits');
  const now = new Date().toISOString();
  const row: DonationRow = {
    id: uuidv7(),
    person_id: input.personId ?? null,
    household_id: input.householdId ?? null,
    batch_id: input.batchId ?? null,
    reverses_id: null,
    received_on: input.receivedOn,
    method: input.method,
    check_number: input.checkNumber ?? null,
    note: input.note ?? null,
    amount_cents: sumCents(splits),
    created_by: actor.userId,
    created_at: now,
    updated_at: now,
  };
  return db.transaction().execute(async (trx) => {
    await requireRefs(trx, { personId: row.person_id, householdId: row.household_id, batchId: row.batch_id });
    await requireFunds(trx, splits);
    await repo.insertDonation(trx, row, splits);
    const created = await load(trx, row.id);
    await appendAudit(trx, actor, { action: 'create', entity: 'donation', entityId: row.id, after: created });
    return created;
  });
}

export async function getDonation(db: TenantDb, id: string): Promise<Donation> {
  return load(db, id);
}

export async function listDonations(db: TenantDb, q: DonationListQuery & { limit: number }) {
  const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
  const rows = await repo.listDonations(db, { ...q, after });
  const page = pageOf(rows, q.limit, (r) => [r.received_on, r.id]);
  return { items: await present(db, page.items), nextCursor: page.nextCursor };
}

/**
 * Loads a donation for a change and enforces immutability: a reversal, a reversed donation
 * and a donation in a committed batch cannot change (409). Locks its batch for the transaction.
 */
async function loadMutable(trx: TenantDb, id: string): Promise<Donation> {
  const before = await load(trx, id);
  if (before.batchId) await requireOpenBatch(trx, before.batchId);
  if (before.reversesId) throw GivingErrors.isReversal();
  if (before.reversedById) throw GivingErrors.hasReversal();
  return before;
}

export async function updateDonation(
  db: TenantDb,
  actor: Actor,
  id: string,
  input: UpdateDonationBody,
): Promise<Donation> {
  const splits = splitsOf(input);
  return db.transaction().execute(async (trx) => {
    const before = await loadMutable(trx, id);
    await requireRefs(trx, {
      personId: input.personId,
      householdId: input.householdId,
      batchId: input.batchId,
    });
    if (splits) {
      await requireFunds(trx, splits);
      await repo.replaceSplits(trx, id, splits);
    }
    await repo.updateDonation(trx, id, {
      person_id: input.personId === undefined ? before.personId : input.personId,
      household_id: input.householdId === undefined ? before.householdId : input.householdId,
      batch_id: input.batchId === undefined ? before.batchId : input.batchId,
      received_on: input.receivedOn ?? before.receivedOn,
      method: input.method ?? (before.method as DonationRow['method']),
      check_number: input.checkNumber === undefined ? before.checkNumber : input.checkNumber,
      note: input.note === undefined ? before.note : input.note,
      amount_cents: splits ? sumCents(splits) : before.amountCents,
      updated_at: new Date().toISOString(),
    });
    const after = await load(trx, id);
    await appendAudit(trx, actor, { action: 'update', entity: 'donation', entityId: id, before, after });
    return after;
  });
}

/** Deletes a donation not yet locked in: deleting a reversal re-opens its original for reversal. */
export async function deleteDonation(db: TenantDb, actor: Actor, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await load(trx, id);
    if (before.batchId) await requireOpenBatch(trx, before.batchId);
    if (before.reversedById) throw GivingErrors.hasReversal();
    await repo.deleteDonation(trx, id);
    await appendAudit(trx, actor, { action: 'delete', entity: 'donation', entityId: id, before });
  });
}
