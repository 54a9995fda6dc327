import type { TenantDb } from '../../tenancy/tenant-database.js';
import { requireOpenBatch } from './batches.service.js';
import * as repo from './donations.repository.js';
import type { SplitValue } from './donations.repository.js';
import { findFundsByIds } from './funds.repository.js';
import { GivingErrors } from './giving-errors.js';
import { MAX_CENTS } from './money.js';

interface MoneyInput {
  fundId?: string;
  amountCents?: number;
  splits?: SplitValue[];
}

/**
 * The splits a body asks for: `fundId` + `amountCents` (one split) or `splits`, never both.
 * Returns undefined when the body names no money at all (allowed on PATCH only).
 */
export function splitsOf(body: MoneyInput): SplitValue[] | undefined {
  const single = body.fundId !== undefined || body.amountCents !== undefined;
  if (single && body.splits !== undefined) {
    throw GivingErrors.invalid('/body/splits', 'give either fundId and amountCents, or splits, not both');
  }
  if (body.splits !== undefined) {
    const seen = new Set<string>();
    body.splits.forEach((s, i) => {
      if (seen.has(s.fundId)) throw GivingErrors.invalid(`/body/splits/${i}/fundId`, 'repeats a fund');
      seen.add(s.fundId);
    });
    const total = body.splits.reduce((sum, s) => sum + s.amountCents, 0);
    if (total > MAX_CENTS)
      throw GivingErrors.invalid('/body/splits', `must total at most ${MAX_CENTS} cents`);
    return body.splits.map((s) => ({ fundId: s.fundId, amountCents: s.amountCents }));
  }
  if (!single) return undefined;
  if (body.fundId === undefined) throw GivingErrors.invalid('/body/fundId', 'is required with amountCents');
  if (body.amountCents === undefined)
    throw GivingErrors.invalid('/body/amountCents', 'is required with fundId');
  return [{ fundId: body.fundId, amountCents: body.amountCents }];
}

/** Every fund the splits name must exist in this church (else 404, as for any foreign id). */
export async function requireFunds(db: TenantDb, splits: readonly SplitValue[]): Promise<void> {
  const ids = [...new Set(splits.map((s) => s.fundId))];
  const found = await findFundsByIds(db, ids);
  if (found.length !== ids.length) throw GivingErrors.fundNotFound();
}

/** Checks the donor and batch references a body sets; locks a named batch until the transaction ends. */
export async function requireRefs(
  db: TenantDb,
  refs: { personId?: string | null; householdId?: string | null; batchId?: string | null },
): Promise<void> {
  if (refs.personId && !(await repo.personExists(db, refs.personId))) throw GivingErrors.personNotFound();
  if (refs.householdId && !(await repo.householdExists(db, refs.householdId))) {
    throw GivingErrors.householdNotFound();
  }
  if (refs.batchId) await requireOpenBatch(db, refs.batchId);
}

export function sumCents(splits: readonly SplitValue[]): number {
  return splits.reduce((sum, s) => sum + s.amountCents, 0);
}
