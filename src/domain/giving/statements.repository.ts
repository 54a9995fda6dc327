import type { TenantDb } from '../../tenancy/tenant-database.js';
import type { DonationMethod } from './donations.table.js';

/** One tax-deductible split of a donation, with its header and fund name. */
export interface StatementLine {
  donationId: string;
  personId: string | null;
  receivedOn: string;
  method: DonationMethod;
  checkNumber: string | null;
  reversesId: string | null;
  position: number;
  fundId: string;
  fundName: string;
  amountCents: number;
}

/** A line as read: whether its gift sits in a batch not committed yet. */
export type DonorLine = StatementLine & { inOpenBatch: boolean };

export type Donor = { personId: string } | { householdId: string };

/** Every tax-deductible split given in [from, to], oldest first, with its batch's status. */
function yearLines(db: TenantDb, from: string, to: string) {
  return db
    .selectFrom('donations as d')
    .innerJoin('donation_splits as s', 's.donation_id', 'd.id')
    .innerJoin('funds as f', 'f.id', 's.fund_id')
    .leftJoin('batches as b', 'b.id', 'd.batch_id')
    .select([
      'd.id as donationId',
      'd.person_id as personId',
      'd.household_id as householdId',
      'd.received_on as receivedOn',
      'd.method as method',
      'd.check_number as checkNumber',
      'd.reverses_id as reversesId',
      's.position as position',
      's.fund_id as fundId',
      'f.name as fundName',
      's.amount_cents as amountCents',
      'b.status as batchStatus',
    ])
    .where('f.tax_deductible', '=', 1)
    .where('d.received_on', '>=', from)
    .where('d.received_on', '<=', to)
    .orderBy('d.received_on')
    .orderBy('d.id')
    .orderBy('s.position');
}

type RawLine = Awaited<ReturnType<ReturnType<typeof yearLines>['execute']>>[number];

// bigint columns arrive as numbers on both dialects; coerce defensively for sums.
const toDonorLine = ({ batchStatus, householdId: _h, ...r }: RawLine): DonorLine => ({
  ...r,
  amountCents: Number(r.amountCents),
  inOpenBatch: batchStatus === 'open',
});

/**
 * Every tax-deductible split given in [from, to] by the donor, oldest first. A household's
 * lines are those recorded against the household plus those of its current members.
 */
export async function deductibleLines(db: TenantDb, donor: Donor, from: string, to: string) {
  let q = yearLines(db, from, to);
  if ('personId' in donor) {
    q = q.where('d.person_id', '=', donor.personId);
  } else {
    const { householdId } = donor;
    q = q.where((eb) =>
      eb.or([
        eb('d.household_id', '=', householdId),
        eb(
          'd.person_id',
          'in',
          eb.selectFrom('household_members').select('person_id').where('household_id', '=', householdId),
        ),
      ]),
    );
  }
  return (await q.execute()).map(toDonorLine);
}

/**
 * The lines of many donors at once (year-end runs): gifts of these people, and gifts recorded
 * against these households with no person. Keyed `person:<id>` or `household:<id>`.
 */
export async function deductibleLinesByDonor(
  db: TenantDb,
  donors: { personIds: string[]; householdIds: string[] },
  from: string,
  to: string,
): Promise<Map<string, DonorLine[]>> {
  const byDonor = new Map<string, DonorLine[]>();
  const add = (rows: RawLine[]) => {
    for (const r of rows) {
      const key = r.personId ? `person:${r.personId}` : `household:${r.householdId}`;
      const list = byDonor.get(key) ?? [];
      if (!list.length) byDonor.set(key, list);
      list.push(toDonorLine(r));
    }
  };
  if (donors.personIds.length)
    add(await yearLines(db, from, to).where('d.person_id', 'in', donors.personIds).execute());
  if (donors.householdIds.length)
    add(
      await yearLines(db, from, to)
        .where('d.person_id', 'is', null)
        .where('d.household_id', 'in', donors.householdIds)
        .execute(),
    );
  return byDonor;
}

/** The church's name, currency, address and receipt wording, for the statement's letterhead. */
export async function churchProfile(db: TenantDb) {
  return db
    .selectFrom('church')
    .select([
      'name',
      'currency',
      'timezone',
      'address_line1',
      'address_line2',
      'city',
      'region',
      'postal_code',
      'country',
      'tax_receipt_text',
    ])
    .limit(1)
    .executeTakeFirst();
}

export async function findPersonForStatement(db: TenantDb, id: string) {
  return db
    .selectFrom('people')
    .select(['id', 'first_name', 'last_name', 'preferred_name', 'email'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findHouseholdForStatement(db: TenantDb, id: string) {
  return db.selectFrom('households').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Current members of a household with their names, by last then first name. */
export async function householdMemberNames(db: TenantDb, householdId: string) {
  return db
    .selectFrom('household_members as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['p.id', 'p.first_name', 'p.last_name', 'm.role'])
    .where('m.household_id', '=', householdId)
    .orderBy('p.last_name_key')
    .orderBy('p.first_name_key')
    .orderBy('p.id')
    .execute();
}

/** The household a person belongs to, if any (its address goes on the statement). */
export async function findHouseholdOfPerson(db: TenantDb, personId: string) {
  return db
    .selectFrom('household_members as m')
    .innerJoin('households as h', 'h.id', 'm.household_id')
    .selectAll('h')
    .where('m.person_id', '=', personId)
    .executeTakeFirst();
}
