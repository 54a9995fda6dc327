import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryTemplate } from '../../../src/infra/db/query-template.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { createTestTenantDb } from '../../helpers/tenant-db.js';

interface Db {
  pets: { id: number; name: string; kind: string; owner: string | null };
}

describe.each(DIALECTS)('query templates (%s)', (dialect) => {
  let db: Kysely<Db>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    // A scratch table in a test database of the dialect.
    const t = await createTestTenantDb(dialect);
    db = t.db as unknown as Kysely<Db>;
    close = t.close;
    await db.schema
      .createTable('pets')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('owner', 'text')
      .execute();
    await db
      .insertInto('pets')
      .values([
        { id: 1, name: 'Ada', kind: 'cat', owner: 'x' },
        { id: 2, name: 'Bo', kind: 'dog', owner: null },
        { id: 3, name: 'Cy', kind: 'cat', owner: 'y' },
        { id: 4, name: 'Di', kind: 'dog', owner: 'x' },
      ])
      .execute();
  });
  afterAll(() => close());

  it('builds once per shape and runs each call with its own values', async () => {
    let builds = 0;
    const pets = queryTemplate((d: Kysely<Db>, a: { kinds: string[]; owner?: string; take: number }) => {
      builds++;
      let q = d.selectFrom('pets').select('name').where('kind', 'in', a.kinds).orderBy('id').limit(a.take);
      if (a.owner !== undefined) q = q.where('owner', '=', a.owner);
      return q;
    });
    const names = async (a: Parameters<typeof pets>[1]) => (await pets(db, a)).map((r) => r.name);

    expect(await names({ kinds: ['cat'], take: 10 })).toEqual(['Ada', 'Cy']);
    expect(await names({ kinds: ['dog'], take: 1 })).toEqual(['Bo']);
    expect(builds).toBe(1);
    // Another list length, another filter present: other shapes, each built once.
    expect(await names({ kinds: ['cat', 'dog'], take: 3 })).toEqual(['Ada', 'Bo', 'Cy']);
    expect(await names({ kinds: ['dog'], owner: 'x', take: 10 })).toEqual(['Di']);
    expect(await names({ kinds: ['cat'], owner: 'y', take: 10 })).toEqual(['Cy']);
    expect(builds).toBe(3);
  });

  it('runs inside the caller’s transaction', async () => {
    const count = queryTemplate((d: Kysely<Db>, a: { kind: string }) =>
      d
        .selectFrom('pets')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('kind', '=', a.kind),
    );
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('pets').values({ id: 5, name: 'Ed', kind: 'eel', owner: null }).execute();
      expect(Number((await count(trx, { kind: 'eel' }))[0]!.n)).toBe(1);
    });
    await db.deleteFrom('pets').where('id', '=', 5).execute();
    expect(Number((await count(db, { kind: 'eel' }))[0]!.n)).toBe(0);
  });

  it('refuses a build that computes with a value, on the first call', async () => {
    const plusOne = queryTemplate((d: Kysely<Db>, a: { take: number }) =>
      d
        .selectFrom('pets')
        .select('name')
        .limit(((a.take as unknown as string) + 1) as unknown as number),
    );
    await expect(plusOne(db, { take: 1 })).rejects.toThrow(/a value was used while building/);
    const spliced = queryTemplate((d: Kysely<Db>, a: { name: string }) =>
      d.selectFrom('pets').select('id').where('name', '=', `${a.name}%`),
    );
    await expect(spliced(db, { name: 'A' })).rejects.toThrow(/a value was used while building/);
  });
});
