import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as batches from '../../../src/domain/giving/batches.service.js';
import { createDonation, listDonations } from '../../../src/domain/giving/donations.service.js';
import { createFund } from '../../../src/domain/giving/funds.service.js';
import type { TenantDb } from '../../../src/tenancy/tenant-database.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { createTestTenantDb } from '../../helpers/tenant-db.js';
import { actor } from './giving-fixtures.js';

// The invariant, whatever the interleaving: once a commit is acknowledged, the batch holds exactly
// the donations the commit reported, and every write that lost the race got 409 (never a 500).
describe.each(DIALECTS)('commit racing donation writes on %s', (dialect) => {
  let t: { db: TenantDb; close: () => Promise<void> };
  beforeAll(async () => {
    t = await createTestTenantDb(dialect);
  });
  afterAll(() => t.close());

  it('never lets a donation into a batch after its commit', async () => {
    const fund = await createFund(t.db, actor, { name: 'Race' });
    for (let round = 0; round < 3; round++) {
      const batch = await batches.createBatch(t.db, actor, { name: `Race ${round}`, date: '2025-10-05' });
      const gift = (cents: number) =>
        createDonation(t.db, actor, {
          batchId: batch.id,
          fundId: fund.id,
          amountCents: cents,
          receivedOn: '2025-10-05',
          method: 'cash',
        });
      const writes = Array.from({ length: 8 }, (_, i) => gift(i + 1));
      const commit = batches.commitBatch(t.db, actor, batch.id);
      const results = await Promise.allSettled([...writes, commit]);
      const committed = await commit;
      for (const r of results.slice(0, 8)) {
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'CONFLICT' });
      }
      const inBatch = (await listDonations(t.db, { batchId: batch.id, limit: 200 })).items;
      const accepted = results.slice(0, 8).filter((r) => r.status === 'fulfilled').length;
      expect(inBatch).toHaveLength(accepted);
      expect(committed.donationCount).toBe(accepted);
      expect(committed.totalCents).toBe(inBatch.reduce((s, d) => s + d.amountCents, 0));
    }
  });
});
