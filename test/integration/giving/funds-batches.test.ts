import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as batches from '../../../src/domain/giving/batches.service.js';
import * as donations from '../../../src/domain/giving/donations.service.js';
import * as funds from '../../../src/domain/giving/funds.service.js';
import type { TenantDb } from '../../../src/tenancy/tenant-database.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { createTestTenantDb } from '../../helpers/tenant-db.js';
import { actor, auditOf } from './giving-fixtures.js';

describe.each(DIALECTS)('funds and batches on %s', (dialect) => {
  let t: { db: TenantDb; close: () => Promise<void> };
  beforeAll(async () => {
    t = await createTestTenantDb(dialect);
  });
  afterAll(() => t.close());

  it('creates, renames, pages and deletes funds, with audit rows', async () => {
    const general = await funds.createFund(t.db, actor, { name: '  General  ' });
    expect(general).toMatchObject({ name: 'General', taxDeductible: true, description: null });
    const bldg = await funds.createFund(t.db, actor, { name: 'Building', taxDeductible: true });
    const coffee = await funds.createFund(t.db, actor, { name: 'Coffee', taxDeductible: false });
    await expect(funds.createFund(t.db, actor, { name: 'General' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(funds.updateFund(t.db, actor, coffee.id, { name: 'Building' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(funds.createFund(t.db, actor, { name: '   ' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });

    const p1 = await funds.listFunds(t.db, { limit: 2 });
    expect(p1.items.map((f) => f.name)).toEqual(['Building', 'Coffee']);
    expect(p1.nextCursor).toEqual(expect.any(String));
    const p2 = await funds.listFunds(t.db, { limit: 2, cursor: p1.nextCursor! });
    expect(p2.items.map((f) => f.name)).toEqual(['General']);
    expect(p2.nextCursor).toBeNull();
    await expect(funds.listFunds(t.db, { limit: 2, cursor: 'garbage' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });

    const renamed = await funds.updateFund(t.db, actor, coffee.id, {
      name: 'Hospitality',
      description: 'Cups',
    });
    expect(renamed).toMatchObject({ name: 'Hospitality', description: 'Cups', taxDeductible: false });
    await funds.deleteFund(t.db, actor, bldg.id);
    await expect(funds.getFund(t.db, bldg.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(funds.deleteFund(t.db, actor, bldg.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const audit = await auditOf(t.db, coffee.id);
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
    expect(JSON.parse(audit[1]!.changes)).toEqual({
      before: { name: 'Coffee', description: null, updatedAt: coffee.updatedAt },
      after: { name: 'Hospitality', description: 'Cups', updatedAt: renamed.updatedAt },
    });
    expect(audit[1]).toMatchObject({ actor_id: 'user-finance', request_id: 'req-1', entity: 'fund' });
    expect((await auditOf(t.db, bldg.id)).map((a) => a.action)).toEqual(['create', 'delete']);
  });

  it('commits a batch once; a committed batch cannot be edited, deleted or recommitted', async () => {
    const fund = await funds.createFund(t.db, actor, { name: 'Batch fund' });
    const b = await batches.createBatch(t.db, actor, { name: 'Sunday 1', date: '2025-03-02' });
    expect(b).toMatchObject({ status: 'open', donationCount: 0, totalCents: 0, committedAt: null });
    await donations.createDonation(t.db, actor, {
      batchId: b.id,
      fundId: fund.id,
      amountCents: 2500,
      receivedOn: '2025-03-02',
      method: 'cash',
    });
    await donations.createDonation(t.db, actor, {
      batchId: b.id,
      splits: [{ fundId: fund.id, amountCents: 10_000_000_000 }],
      receivedOn: '2025-03-02',
      method: 'check',
      checkNumber: '1001',
    });
    await expect(batches.deleteBatch(t.db, actor, b.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    const renamed = await batches.updateBatch(t.db, actor, b.id, { name: 'Sunday service' });
    expect(renamed).toMatchObject({ name: 'Sunday service', donationCount: 2, totalCents: 10_000_002_500 });

    const committed = await batches.commitBatch(t.db, actor, b.id);
    expect(committed).toMatchObject({
      status: 'committed',
      committedBy: 'user-finance',
      totalCents: 10_000_002_500,
    });
    expect(committed.committedAt).toEqual(expect.any(String));

    await expect(batches.commitBatch(t.db, actor, b.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(batches.updateBatch(t.db, actor, b.id, { name: 'x' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(batches.deleteBatch(t.db, actor, b.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(batches.commitBatch(t.db, actor, 'missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await batches.getBatch(t.db, b.id)).toEqual(committed);
    // Receipted gifts keep their tax status: the fund's flag is settled, its name is not.
    await expect(funds.updateFund(t.db, actor, fund.id, { taxDeductible: false })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(
      await funds.updateFund(t.db, actor, fund.id, { name: 'Batch fund 2', taxDeductible: true }),
    ).toMatchObject({
      name: 'Batch fund 2',
      taxDeductible: true,
    });
    await expect(funds.deleteFund(t.db, actor, fund.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await auditOf(t.db, b.id)).map((a) => a.action)).toEqual(['create', 'update', 'commit']);
  });

  it('deletes an open empty batch and pages batches newest first', async () => {
    const a = await batches.createBatch(t.db, actor, { name: 'A', date: '2024-01-07' });
    const b = await batches.createBatch(t.db, actor, { name: 'B', date: '2024-01-14' });
    const c = await batches.createBatch(t.db, actor, { name: 'C', date: '2024-01-14' });
    await batches.deleteBatch(t.db, actor, a.id);
    await expect(batches.getBatch(t.db, a.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await batches.listBatches(t.db, { limit: 1, status: 'open', cursor });
      all.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    // Same date: the later id (created later) comes first.
    expect(all.filter((id) => id === b.id || id === c.id)).toEqual([c.id, b.id]);
    const committed = await batches.listBatches(t.db, { limit: 50, status: 'committed' });
    expect(committed.items.every((x) => x.status === 'committed')).toBe(true);
  });
});
