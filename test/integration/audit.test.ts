import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, diff, listAudit } from '../../src/domain/audit/audit.repository.js';
import type { TenantDb } from '../../src/tenancy/tenant-database.js';
import { DIALECTS } from '../helpers/dialects.js';
import { createTestTenantDb } from '../helpers/tenant-db.js';

describe('audit diff', () => {
  it('keeps only changed fields', () => {
    expect(diff({ a: 1, b: 2 }, { a: 1, b: 3 })).toEqual({ before: { b: 2 }, after: { b: 3 } });
    expect(diff(null, { a: 1 })).toEqual({ before: undefined, after: { a: 1 } });
  });
});

describe.each(DIALECTS)('audit log on %s', (dialect) => {
  let t: { db: TenantDb; close: () => Promise<void> };
  beforeAll(async () => {
    t = await createTestTenantDb(dialect);
  });
  afterAll(() => t.close());

  it('appends inside the caller transaction and lists newest first with filters', async () => {
    const actor = { userId: 'u1', requestId: 'r1' };
    await t.db.transaction().execute(async (trx) => {
      await appendAudit(trx, actor, { action: 'create', entity: 'person', entityId: 'p1', after: { n: 1 } });
      await appendAudit(trx, actor, {
        action: 'update',
        entity: 'person',
        entityId: 'p1',
        before: { n: 1 },
        after: { n: 2 },
      });
    });
    await expect(
      t.db.transaction().execute(async (trx) => {
        await appendAudit(
          trx,
          { userId: 'u2', requestId: null },
          { action: 'create', entity: 'fund', entityId: 'f1' },
        );
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    const rows = await listAudit(t.db, { limit: 10 });
    expect(rows.map((r) => r.action)).toEqual(['update', 'create']);
    expect(JSON.parse(rows[0]!.changes)).toEqual({ before: { n: 1 }, after: { n: 2 } });
    expect(await listAudit(t.db, { limit: 10, actorId: 'u2' })).toEqual([]);
    const page2 = await listAudit(t.db, { limit: 1, beforeId: rows[0]!.id });
    expect(page2.map((r) => r.action)).toEqual(['create']);
  });
});
