import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as batches from '../../../src/domain/giving/batches.service.js';
import { reverseDonation } from '../../../src/domain/giving/donation-reversal.service.js';
import { createDonation } from '../../../src/domain/giving/donations.service.js';
import { createFund } from '../../../src/domain/giving/funds.service.js';
import { householdStatement, personStatement } from '../../../src/domain/giving/statements.service.js';
import type { TenantDb } from '../../../src/tenancy/tenant-database.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { createTestTenantDb } from '../../helpers/tenant-db.js';
import { actor, seedChurch, seedHousehold, seedPerson } from './giving-fixtures.js';

describe.each(DIALECTS)('giving statements on %s', (dialect) => {
  let t: { db: TenantDb; close: () => Promise<void> };
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestTenantDb(dialect);
    const db = t.db;
    await seedChurch(db, 'Grace Chapel', 'USD');
    const general = (await createFund(db, actor, { name: 'General' })).id;
    const missions = (await createFund(db, actor, { name: 'Missions' })).id;
    const coffee = (await createFund(db, actor, { name: 'Coffee', taxDeductible: false })).id;
    const ana = await seedPerson(db, 'Ana', 'Diaz');
    const ben = await seedPerson(db, 'Ben', 'Diaz');
    const carl = await seedPerson(db, 'Carl', 'Other');
    const home = await seedHousehold(db, 'Diaz family', [ana, ben]);
    Object.assign(ids, { general, missions, coffee, ana, ben, carl, home });
    const give = (body: Record<string, unknown>) =>
      createDonation(db, actor, { method: 'check', receivedOn: '2025-01-01', ...body } as never);

    // Ana, 2025: the cases a statement must get right.
    ids.d1 = (
      await give({
        personId: ana,
        householdId: home,
        receivedOn: '2025-01-05',
        fundId: general,
        amountCents: 10_000,
      })
    ).id;
    ids.d2 = (
      await give({
        personId: ana,
        receivedOn: '2025-02-02',
        splits: [
          { fundId: general, amountCents: 2_500 },
          { fundId: missions, amountCents: 1_500 },
          { fundId: coffee, amountCents: 700 },
        ],
      })
    ).id;
    const batch = await batches.createBatch(db, actor, { name: 'March', date: '2025-03-09' });
    ids.d3 = (
      await give({
        personId: ana,
        batchId: batch.id,
        receivedOn: '2025-03-09',
        fundId: missions,
        amountCents: 3_000,
      })
    ).id;
    await batches.commitBatch(db, actor, batch.id);
    ids.d3r = (await reverseDonation(db, actor, ids.d3)).id;
    await give({ personId: ana, receivedOn: '2024-12-29', fundId: general, amountCents: 99_999 });
    ids.d5 = (await give({ personId: ana, receivedOn: '2026-01-01', fundId: general, amountCents: 5 })).id;
    ids.d6 = (
      await give({
        personId: ana,
        receivedOn: '2025-12-31',
        splits: [
          { fundId: general, amountCents: 1 },
          { fundId: missions, amountCents: 2 },
        ],
      })
    ).id;
    await give({ personId: ana, receivedOn: '2025-06-01', fundId: coffee, amountCents: 5_000 });
    ids.d8 = (
      await give({ personId: ana, receivedOn: '2025-04-06', fundId: general, amountCents: 20_000 })
    ).id;
    ids.d8r = (await reverseDonation(db, actor, ids.d8, { receivedOn: '2026-01-10' })).id;
    // Ben, the household itself, and a non-member.
    ids.b1 = (
      await give({ personId: ben, receivedOn: '2025-05-05', fundId: missions, amountCents: 7_000 })
    ).id;
    ids.h1 = (
      await give({ householdId: home, receivedOn: '2025-07-07', fundId: general, amountCents: 1_000 })
    ).id;
    await give({ personId: carl, receivedOn: '2025-05-05', fundId: general, amountCents: 50_000 });
  });
  afterAll(() => t.close());

  it("totals a person's tax-deductible gifts with splits and reversals (hand-computed)", async () => {
    const s = await personStatement(t.db, ids.ana!, 2025);
    // 10000 + (2500 + 1500; coffee 700 excluded) + (3000 - 3000) + (1 + 2) + 20000 (reversed in 2026)
    expect(s.totalCents).toBe(34_003);
    expect(s.byFund).toEqual([
      { fundId: ids.general, fundName: 'General', totalCents: 32_501 },
      { fundId: ids.missions, fundName: 'Missions', totalCents: 1_502 },
    ]);
    expect(s.donations.map((d) => [d.id, d.amountCents])).toEqual([
      [ids.d1, 10_000],
      [ids.d2, 4_000],
      [ids.d3, 3_000],
      [ids.d3r, -3_000],
      [ids.d8, 20_000],
      [ids.d6, 3],
    ]);
    expect(s.donations[1]!.splits).toEqual([
      { fundId: ids.general, fundName: 'General', amountCents: 2_500 },
      { fundId: ids.missions, fundName: 'Missions', amountCents: 1_500 },
    ]);
    expect(s.donations[3]).toMatchObject({ reversesId: ids.d3, receivedOn: '2025-03-09' });
    expect(s).toMatchObject({
      year: 2025,
      currency: 'USD',
      uncommittedDonations: 0,
      church: { name: 'Grace Chapel' },
      person: { id: ids.ana, firstName: 'Ana', lastName: 'Diaz' },
      address: { line1: '1 Main St', city: 'Springfield' },
    });
  });

  it('puts a reversal dated in the next year on that year', async () => {
    const s = await personStatement(t.db, ids.ana!, 2026);
    expect(s.totalCents).toBe(5 - 20_000);
    expect(s.donations.map((d) => d.id)).toEqual([ids.d5, ids.d8r]);
    const empty = await personStatement(t.db, ids.carl!, 2023);
    expect(empty).toMatchObject({ totalCents: 0, byFund: [], donations: [], address: null });
  });

  it("totals a household's gifts and its members' gifts once each (hand-computed)", async () => {
    const s = await householdStatement(t.db, ids.home!, 2025);
    // Ana 34003 + Ben 7000 + household 1000; Carl is not a member; d1 names both Ana and the household.
    expect(s.totalCents).toBe(42_003);
    expect(s.byFund).toEqual([
      { fundId: ids.general, fundName: 'General', totalCents: 33_501 },
      { fundId: ids.missions, fundName: 'Missions', totalCents: 8_502 },
    ]);
    expect(s.donations.filter((d) => d.id === ids.d1)).toHaveLength(1);
    expect(s.donations.map((d) => d.id)).toEqual([
      ids.d1,
      ids.d2,
      ids.d3,
      ids.d3r,
      ids.d8,
      ids.b1,
      ids.h1,
      ids.d6,
    ]);
    expect(s.household).toEqual({ id: ids.home, name: 'Diaz family' });
    expect(s.members.map((m) => m.firstName)).toEqual(['Ana', 'Ben']);
  });

  it('leaves gifts in an open batch off until the batch is committed, and says how many wait', async () => {
    const db = t.db;
    const dora = await seedPerson(db, 'Dora', 'Open');
    const batch = await batches.createBatch(db, actor, { name: 'Sunday', date: '2025-09-07' });
    const give = (body: Record<string, unknown>) =>
      createDonation(db, actor, { method: 'cash', personId: dora, fundId: ids.general, ...body } as never);
    const counted = await give({ receivedOn: '2025-09-07', batchId: batch.id, amountCents: 4_000 });
    await give({ receivedOn: '2025-09-07', batchId: batch.id, fundId: ids.coffee, amountCents: 300 });
    const online = await give({ receivedOn: '2025-09-08', method: 'card', amountCents: 500 });

    let s = await personStatement(db, dora, 2025);
    // The coffee gift is not tax-deductible: it neither counts nor waits.
    expect(s).toMatchObject({ totalCents: 500, uncommittedDonations: 1 });
    expect(s.donations.map((d) => d.id)).toEqual([online.id]);

    await batches.commitBatch(db, actor, batch.id);
    s = await personStatement(db, dora, 2025);
    expect(s).toMatchObject({ totalCents: 4_500, uncommittedDonations: 0 });
    expect(s.donations.map((d) => d.id)).toEqual([counted.id, online.id]);
  });

  it('answers 404 for unknown donors', async () => {
    await expect(personStatement(t.db, 'nobody', 2025)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(householdStatement(t.db, 'nowhere', 2025)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
