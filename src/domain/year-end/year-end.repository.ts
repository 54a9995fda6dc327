import type { TenantDb } from '../../tenancy/tenant-database.js';

/** Someone who gave in the year: a person, or a household for gifts recorded with no person. */
export interface YearEndDonor {
  /** `person:<id>` or `household:<id>`: the key of the donor's lines and of their email. */
  key: string;
  kind: 'person' | 'household';
  id: string;
  name: string;
  email: string | null;
}

/** Donors with a tax-deductible gift dated in [from, to] (any batch state), people by name first. */
export async function yearEndDonors(db: TenantDb, from: string, to: string): Promise<YearEndDonor[]> {
  const gifts = db
    .selectFrom('donations as d')
    .innerJoin('donation_splits as s', 's.donation_id', 'd.id')
    .innerJoin('funds as f', 'f.id', 's.fund_id')
    .where('f.tax_deductible', '=', 1)
    .where('d.received_on', '>=', from)
    .where('d.received_on', '<=', to);
  const people = await db
    .selectFrom('people as p')
    .select(['p.id', 'p.first_name', 'p.last_name', 'p.preferred_name', 'p.email'])
    .where('p.id', 'in', gifts.select('d.person_id').where('d.person_id', 'is not', null))
    .orderBy('p.last_name_key')
    .orderBy('p.first_name_key')
    .orderBy('p.id')
    .execute();
  const households = await db
    .selectFrom('households as h')
    .select(['h.id', 'h.name'])
    .where(
      'h.id',
      'in',
      gifts.select('d.household_id').where('d.person_id', 'is', null).where('d.household_id', 'is not', null),
    )
    .orderBy('h.name')
    .orderBy('h.id')
    .execute();
  return [
    ...people.map((p) => ({
      key: `person:${p.id}`,
      kind: 'person' as const,
      id: p.id,
      name: `${p.preferred_name ?? p.first_name} ${p.last_name}`,
      email: p.email,
    })),
    ...households.map((h) => ({
      key: `household:${h.id}`,
      kind: 'household' as const,
      id: h.id,
      name: h.name,
      email: null,
    })),
  ];
}

/** The postal address of each donor: a person's household's, a household's own. */
export async function donorAddresses(db: TenantDb, donors: readonly YearEndDonor[]) {
  const personIds = donors.filter((d) => d.kind === 'person').map((d) => d.id);
  const householdIds = donors.filter((d) => d.kind === 'household').map((d) => d.id);
  const byKey = new Map<
    string,
    Record<'address_line1' | 'address_line2' | 'city' | 'region' | 'postal_code' | 'country', string | null>
  >();
  const cols = [
    'h.address_line1',
    'h.address_line2',
    'h.city',
    'h.region',
    'h.postal_code',
    'h.country',
  ] as const;
  if (personIds.length) {
    const rows = await db
      .selectFrom('household_members as m')
      .innerJoin('households as h', 'h.id', 'm.household_id')
      .select(['m.person_id', ...cols])
      .where('m.person_id', 'in', personIds)
      .orderBy('m.person_id')
      .orderBy('h.id')
      .execute();
    for (const { person_id, ...a } of rows)
      if (!byKey.has(`person:${person_id}`)) byKey.set(`person:${person_id}`, a);
  }
  if (householdIds.length) {
    const rows = await db
      .selectFrom('households as h')
      .select(['h.id', ...cols])
      .where('h.id', 'in', householdIds)
      .execute();
    for (const { id, ...a } of rows) byKey.set(`household:${id}`, a);
  }
  return byKey;
}

/**
 * The year's tax-deductible gifts and their total, committed batches (and gifts outside any
 * batch) apart from gifts still in open batches, as the statements count them.
 */
export async function yearEndTotals(db: TenantDb, from: string, to: string) {
  const rows = await db
    .selectFrom('donations as d')
    .innerJoin('donation_splits as s', 's.donation_id', 'd.id')
    .innerJoin('funds as f', 'f.id', 's.fund_id')
    .leftJoin('batches as b', 'b.id', 'd.batch_id')
    .select((eb) => [
      'b.status as batchStatus',
      eb.fn.count<number | string>('d.id').distinct().as('gifts'),
      eb.fn.sum<number | string>('s.amount_cents').as('cents'),
    ])
    .where('f.tax_deductible', '=', 1)
    .where('d.received_on', '>=', from)
    .where('d.received_on', '<=', to)
    .groupBy('b.status')
    .execute();
  const totals = { gifts: 0, totalCents: 0, uncommittedGifts: 0 };
  // A gift sits in one batch, so its distinct count per batch status adds up.
  for (const r of rows) {
    if (r.batchStatus === 'open') totals.uncommittedGifts += Number(r.gifts);
    else {
      totals.gifts += Number(r.gifts);
      totals.totalCents += Number(r.cents);
    }
  }
  return totals;
}
