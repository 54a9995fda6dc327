import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as batches from '../../../src/domain/giving/batches.service.js';
import { reverseDonation } from '../../../src/domain/giving/donation-reversal.service.js';
import * as donations from '../../../src/domain/giving/donations.service.js';
import * as funds from '../../../src/domain/giving/funds.service.js';
import type { TenantDb } from '../../../src/tenancy/tenant-database.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { createTestTenantDb } from '../../helpers/tenant-db.js';
import { actor, auditOf, seedHousehold, seedPerson } from './giving-fixtures.js';

describe.each(DIALECTS)('donations on %s', (dialect) => {
  let t: { db: TenantDb; close: () => Promise<void> };
  let general: string;
  let missions: string;
  let personId: string;
  let householdId: string;
  beforeAll(async () => {
    t = await createTestTenantDb(dialect);
    general = (await funds.createFund(t.db, actor, { name: 'General' })).id;
    missions = (await funds.createFund(t.db, actor, { name: 'Missions' })).id;
    personId = await seedPerson(t.db, 'Ana', 'Diaz');
    householdId = await seedHousehold(t.db, 'Diaz family', [personId]);
  });
  afterAll(() => t.close());

  const gift = { receivedOn: '2025-05-04', method: 'cash' as const };

  it('records a single-fund gift and a split gift', async () => {
    const single = await donations.createDonation(t.db, actor, {
      ...gift,
      personId,
      fundId: general,
      amountCents: 5000,
    });
    expect(single).toMatchObject({
      personId,
      householdId: null,
      batchId: null,
      fundId: general,
      amountCents: 5000,
      splits: [{ fundId: general, amountCents: 5000 }],
      reversesId: null,
      reversedById: null,
      createdBy: 'user-finance',
    });
    const split = await donations.createDonation(t.db, actor, {
      ...gift,
      householdId,
      splits: [
        { fundId: missions, amountCents: 1234 },
        { fundId: general, amountCents: 766 },
      ],
    });
    expect(split).toMatchObject({ fundId: null, amountCents: 2000, householdId });
    expect(split.splits).toEqual([
      { fundId: missions, amountCents: 1234 },
      { fundId: general, amountCents: 766 },
    ]);
    expect(await donations.getDonation(t.db, split.id)).toEqual(split);
    const audit = await auditOf(t.db, split.id);
    expect(audit.map((a) => a.action)).toEqual(['create']);
    expect(JSON.parse(audit[0]!.changes).after.splits).toHaveLength(2);
  });

  it('rejects ambiguous, missing, repeated or unknown money and donor references', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        { fundId: general, amountCents: 1, splits: [{ fundId: general, amountCents: 1 }] },
        'VALIDATION_FAILED',
      ],
      [{}, 'VALIDATION_FAILED'],
      [{ fundId: general }, 'VALIDATION_FAILED'],
      [{ amountCents: 5 }, 'VALIDATION_FAILED'],
      [
        {
          splits: [
            { fundId: general, amountCents: 1 },
            { fundId: general, amountCents: 2 },
          ],
        },
        'VALIDATION_FAILED',
      ],
      [
        {
          splits: [
            { fundId: general, amountCents: 10_000_000_000 },
            { fundId: missions, amountCents: 1 },
          ],
        },
        'VALIDATION_FAILED',
      ],
      [{ fundId: 'no-such-fund', amountCents: 5 }, 'NOT_FOUND'],
      [{ fundId: general, amountCents: 5, personId: 'no-such-person' }, 'NOT_FOUND'],
      [{ fundId: general, amountCents: 5, householdId: 'no-such-household' }, 'NOT_FOUND'],
      [{ fundId: general, amountCents: 5, batchId: 'no-such-batch' }, 'NOT_FOUND'],
    ];
    const before = await t.db
      .selectFrom('donations')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    for (const [body, code] of cases) {
      await expect(donations.createDonation(t.db, actor, { ...gift, ...body })).rejects.toMatchObject({
        code,
      });
    }
    const after = await t.db
      .selectFrom('donations')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('edits open gifts; committed gifts and batches are immutable', async () => {
    const open = await batches.createBatch(t.db, actor, { name: 'Open', date: '2025-06-01' });
    const locked = await batches.createBatch(t.db, actor, { name: 'Locked', date: '2025-06-01' });
    const d = await donations.createDonation(t.db, actor, {
      ...gift,
      batchId: open.id,
      fundId: general,
      amountCents: 100,
    });
    const edited = await donations.updateDonation(t.db, actor, d.id, {
      splits: [
        { fundId: general, amountCents: 60 },
        { fundId: missions, amountCents: 90 },
      ],
      checkNumber: '77',
      method: 'check',
    });
    expect(edited).toMatchObject({ amountCents: 150, fundId: null, checkNumber: '77', method: 'check' });
    const back = await donations.updateDonation(t.db, actor, d.id, { fundId: missions, amountCents: 40 });
    expect(back).toMatchObject({
      amountCents: 40,
      fundId: missions,
      splits: [{ fundId: missions, amountCents: 40 }],
    });

    const inLocked = await donations.createDonation(t.db, actor, {
      ...gift,
      batchId: locked.id,
      fundId: general,
      amountCents: 700,
    });
    await batches.commitBatch(t.db, actor, locked.id);
    const conflict = { code: 'CONFLICT' };
    await expect(donations.updateDonation(t.db, actor, inLocked.id, { note: 'x' })).rejects.toMatchObject(
      conflict,
    );
    await expect(
      donations.updateDonation(t.db, actor, inLocked.id, { batchId: open.id }),
    ).rejects.toMatchObject(conflict);
    await expect(donations.deleteDonation(t.db, actor, inLocked.id)).rejects.toMatchObject(conflict);
    await expect(
      donations.createDonation(t.db, actor, { ...gift, batchId: locked.id, fundId: general, amountCents: 1 }),
    ).rejects.toMatchObject(conflict);
    await expect(donations.updateDonation(t.db, actor, d.id, { batchId: locked.id })).rejects.toMatchObject(
      conflict,
    );
    expect(await donations.getDonation(t.db, inLocked.id)).toEqual(inLocked);
    expect(await batches.getBatch(t.db, locked.id)).toMatchObject({ donationCount: 1, totalCents: 700 });

    await donations.deleteDonation(t.db, actor, d.id);
    await expect(donations.getDonation(t.db, d.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await auditOf(t.db, d.id)).map((a) => a.action)).toEqual([
      'create',
      'update',
      'update',
      'delete',
    ]);
  });

  it('reverses a committed gift once, negating every split, dated like the original', async () => {
    const b = await batches.createBatch(t.db, actor, { name: 'Deposit', date: '2025-07-06' });
    const original = await donations.createDonation(t.db, actor, {
      personId,
      batchId: b.id,
      receivedOn: '2025-07-06',
      method: 'check',
      checkNumber: '501',
      splits: [
        { fundId: general, amountCents: 3000 },
        { fundId: missions, amountCents: 1500 },
      ],
    });
    await batches.commitBatch(t.db, actor, b.id);
    const reversal = await reverseDonation(t.db, actor, original.id);
    expect(reversal).toMatchObject({
      personId,
      batchId: null,
      reversesId: original.id,
      receivedOn: '2025-07-06',
      method: 'check',
      checkNumber: '501',
      amountCents: -4500,
      splits: [
        { fundId: general, amountCents: -3000 },
        { fundId: missions, amountCents: -1500 },
      ],
    });
    expect(await donations.getDonation(t.db, original.id)).toMatchObject({ reversedById: reversal.id });
    await expect(reverseDonation(t.db, actor, original.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(reverseDonation(t.db, actor, reversal.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(donations.updateDonation(t.db, actor, reversal.id, { note: 'x' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(reverseDonation(t.db, actor, 'missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const audit = await auditOf(t.db, reversal.id);
    expect(audit.map((a) => a.action)).toEqual(['reverse']);
    expect(JSON.parse(audit[0]!.changes).after).toMatchObject({
      reversesId: original.id,
      amountCents: -4500,
    });
  });

  it('lets a reversal in an open batch be deleted, freeing the original for a new one', async () => {
    const open = await batches.createBatch(t.db, actor, { name: 'Corrections', date: '2025-08-03' });
    const original = await donations.createDonation(t.db, actor, {
      ...gift,
      fundId: general,
      amountCents: 900,
    });
    const rev = await reverseDonation(t.db, actor, original.id, {
      batchId: open.id,
      receivedOn: '2025-08-03',
      note: null,
    });
    expect(rev).toMatchObject({ batchId: open.id, receivedOn: '2025-08-03', note: null, amountCents: -900 });
    await expect(donations.updateDonation(t.db, actor, original.id, { note: 'x' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(donations.deleteDonation(t.db, actor, original.id)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await donations.deleteDonation(t.db, actor, rev.id);
    expect(await donations.getDonation(t.db, original.id)).toMatchObject({ reversedById: null });
    const again = await reverseDonation(t.db, actor, original.id);
    expect(again.reversesId).toBe(original.id);
  });

  it('lets only one of two concurrent reversals through', async () => {
    const original = await donations.createDonation(t.db, actor, {
      ...gift,
      fundId: general,
      amountCents: 111,
    });
    const results = await Promise.allSettled([
      reverseDonation(t.db, actor, original.id),
      reverseDonation(t.db, actor, original.id),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: 'CONFLICT' });
  });

  it('lists with filters and stable cursor pages', async () => {
    const list = await seedPerson(t.db, 'Lia', 'Paged');
    const ids: string[] = [];
    for (const day of ['2024-02-01', '2024-02-03', '2024-02-03', '2024-02-02']) {
      ids.push(
        (
          await donations.createDonation(t.db, actor, {
            personId: list,
            receivedOn: day,
            method: 'card',
            fundId: missions,
            amountCents: 10,
          })
        ).id,
      );
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await donations.listDonations(t.db, { personId: list, limit: 3, cursor });
      seen.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([ids[2], ids[1], ids[3], ids[0]]);
    const feb2 = await donations.listDonations(t.db, {
      personId: list,
      from: '2024-02-02',
      to: '2024-02-02',
      limit: 50,
    });
    expect(feb2.items.map((d) => d.id)).toEqual([ids[3]]);
    const byFund = await donations.listDonations(t.db, {
      fundId: general,
      from: '2024-01-01',
      to: '2024-12-31',
      limit: 50,
    });
    expect(byFund.items).toEqual([]);
  });
});
