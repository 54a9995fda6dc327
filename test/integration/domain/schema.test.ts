import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantDb } from '../../../src/tenancy/tenant-database.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { createTestTenantDb } from '../../helpers/tenant-db.js';

describe.each(DIALECTS)('domain schema on %s', (dialect) => {
  let t: { db: TenantDb; close: () => Promise<void> };
  beforeAll(async () => {
    t = await createTestTenantDb(dialect);
  });
  afterAll(() => t.close());

  it('keeps one household per person and cascades membership on delete', async () => {
    const now = new Date().toISOString();
    const person = {
      id: 'p1',
      first_name: 'Ana',
      last_name: 'Diaz',
      first_name_key: 'ana',
      last_name_key: 'diaz',
      membership_status: 'member' as const,
      created_at: now,
      updated_at: now,
    };
    await t.db.insertInto('people').values(person).execute();
    for (const id of ['h1', 'h2']) {
      await t.db
        .insertInto('households')
        .values({ id, name: id, name_key: id, created_at: now, updated_at: now })
        .execute();
    }
    await t.db
      .insertInto('household_members')
      .values({ person_id: 'p1', household_id: 'h1', role: 'head', created_at: now })
      .execute();
    await expect(
      t.db
        .insertInto('household_members')
        .values({ person_id: 'p1', household_id: 'h2', role: 'head', created_at: now })
        .execute(),
    ).rejects.toThrow();
    await t.db.deleteFrom('people').where('id', '=', 'p1').execute();
    expect(await t.db.selectFrom('household_members').selectAll().execute()).toEqual([]);
  });
});
