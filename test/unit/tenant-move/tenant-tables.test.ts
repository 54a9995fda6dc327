import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../../src/infra/db/sqlite.js';
import { TableChecksum } from '../../../src/platform/tenant-move/table-checksum.js';
import { shapeDifference, tenantTables } from '../../../src/platform/tenant-move/tenant-tables.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { createTestTenantDb } from '../../helpers/tenant-db.js';

describe('the tables a move copies', () => {
  it.each(DIALECTS)('are every church table of the database (%s), parents first', async (dialect) => {
    const t = await createTestTenantDb(dialect);
    try {
      const tables = await tenantTables(t.db as never);
      const names = tables.map((t) => t.name);
      expect(names).not.toContain('tenant_migrations');
      for (const t of tables)
        for (const r of t.references)
          if (r.table !== t.name)
            expect(names.indexOf(r.table), `${r.table} before ${t.name}`).toBeLessThan(names.indexOf(t.name));
      expect(tables.find((t) => t.name === 'donations')?.selfRefColumns).toEqual(['reverses_id']);
      expect(shapeDifference(tables, tables)).toBeNull();
      const changed = tables.map((t) => (t.name === 'people' ? { ...t, columns: t.columns.slice(1) } : t));
      expect(shapeDifference(tables, changed)).toMatch(/^table people differs/);
    } finally {
      await t.close();
    }
  });

  it('refuses a table without a primary key and references in a cycle', async () => {
    const db = openSqlite(':memory:');
    try {
      await sql`create table loose (a text)`.execute(db);
      await expect(tenantTables(db)).rejects.toThrow(/loose has no primary key/);
      await sql`drop table loose`.execute(db);
      await sql`create table a (id text primary key, b_id text references b(id))`.execute(db);
      await sql`create table b (id text primary key, a_id text references a(id))`.execute(db);
      await expect(tenantTables(db)).rejects.toThrow(/cycle: a, b/);
    } finally {
      await db.destroy();
    }
  });
});

describe('a table checksum', () => {
  it('does not depend on row order, and changes with any value or a missing row', () => {
    const rows = [
      { id: 'b', n: 1, t: 'x' },
      { id: 'a', n: 2, t: null },
      { id: 'c', n: 3, t: 'Zoë' },
    ];
    const sum = (rs: typeof rows) => {
      const s = new TableChecksum(['id', 'n', 't']);
      for (const r of rs) s.add(r);
      return s.value;
    };
    expect(sum(rows)).toBe(sum([...rows].reverse()));
    expect(sum(rows)).not.toBe(sum([rows[0]!, rows[1]!]));
    expect(sum(rows)).not.toBe(sum([rows[0]!, rows[1]!, { ...rows[2]!, n: 4 }]));
    expect(sum(rows)).not.toBe(sum([rows[0]!, rows[1]!, { ...rows[2]!, t: null }]));
  });
});
