import { v7 as uuidv7 } from 'uuid';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type Actor, appendAudit } from '../audit/audit.repository.js';
import { requireRefs } from './donation-input.js';
import * as repo from './donations.repository.js';
import type { Donation, ReverseDonationBody } from './donations.schemas.js';
import { present } from './donations.service.js';
import type { DonationRow } from './donations.table.js';
import { isUniqueViolation } from '../../infra/db/errors.js';
import { GivingErrors } from './giving-errors.js';

/**
 * Corrects a donation by adding its mirror image: a new donation with every split negated,
 * linked by `reversesId`. Allowed whether or not the original's batch is committed (that is
 * the point: committed gifts are never edited). A donation is reversed at most once, and a
 * reversal is never itself reversed (delete it instead while its batch is open).
 */
export async function reverseDonation(
  db: TenantDb,
  actor: Actor,
  id: string,
  input: ReverseDonationBody = {},
): Promise<Donation> {
  try {
    return await db.transaction().execute(async (trx) => {
      const originalRow = await repo.findDonation(trx, id);
      if (!originalRow) throw GivingErrors.donationNotFound();
      const [original] = await present(trx, [originalRow]);
      if (original!.reversesId) throw GivingErrors.isReversal();
      if (original!.reversedById) throw GivingErrors.alreadyReversed();
      await requireRefs(trx, { batchId: input.batchId });
      const now = new Date().toISOString();
      const row: DonationRow = {
        id: uuidv7(),
        person_id: originalRow.person_id,
        household_id: originalRow.household_id,
        batch_id: input.batchId ?? null,
        reverses_id: id,
        received_on: input.receivedOn ?? originalRow.received_on,
        method: originalRow.method,
        check_number: originalRow.check_number,
        note: input.note === undefined ? `Reversal of donation ${id}` : input.note,
        amount_cents: -originalRow.amount_cents,
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      };
      const splits = original!.splits.map((s) => ({ fundId: s.fundId, amountCents: -s.amountCents }));
      await repo.insertDonation(trx, row, splits);
      const [reversal] = await present(trx, [row]);
      await appendAudit(trx, actor, {
        action: 'reverse',
        entity: 'donation',
        entityId: row.id,
        after: reversal,
      });
      return reversal!;
    });
  } catch (err) {
    // Two concurrent reversals: the unique index on reverses_id lets only one through.
    if (isUniqueViolation(err)) throw GivingErrors.alreadyReversed();
    throw err;
  }
}
