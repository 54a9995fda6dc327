import { afterEach, describe, expect, it } from 'vitest';
import { prepareUserIfAbsent } from '../../../src/auth/user.repository.js';
import {
  executeCompiled,
  executeCompiledInTransaction,
  fillSlot,
  firstRowCompiled,
} from '../../../src/infra/db/direct-sqlite.js';
import type { TenantDb } from '../../../src/tenancy/tenant-database.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { createTestTenantDb } from '../../helpers/tenant-db.js';

const T = '2026-11-29T00:00:00.000Z';
const userRow = (id: string, email: string) => ({
  id,
  email,
  name: id,
  role: 'admin',
  password_hash: 'h',
  disabled: 0,
  created_at: T,
  updated_at: T,
});

describe.each(DIALECTS)(
  'compiled writes run directly on SQLite, through Kysely otherwise (%s)',
  (dialect) => {
    const closers: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const c of closers.splice(0)) await c();
    });
    async function open(): Promise<TenantDb> {
      const t = await createTestTenantDb(dialect);
      closers.push(t.close);
      return t.db;
    }
    const emails = async (db: TenantDb) =>
      (await db.selectFrom('users').select('email').orderBy('email').execute()).map((r) => r.email);

    it('writes a user prepared before its password hash existed, once; a second is skipped', async () => {
      const db = await open();
      const first = prepareUserIfAbsent(db, { email: 'Admin@Church.example', name: 'A', role: 'admin' });
      const again = prepareUserIfAbsent(db, { email: 'admin@church.example', name: 'B', role: 'admin' });
      await first('$argon2id$first');
      await again('$argon2id$second');
      const rows = await db.selectFrom('users').select(['email', 'name', 'password_hash']).execute();
      expect(rows).toEqual([{ email: 'admin@church.example', name: 'A', password_hash: '$argon2id$first' }]);
    });

    it('commits a transaction of compiled writes, or rolls all of it back when the check throws', async () => {
      const db = await open();
      const insert = (id: string) =>
        db
          .insertInto('users')
          .values(userRow(id, `${id}@x.example`))
          .compile();
      const seen: number[][] = [];
      await executeCompiledInTransaction(db, [insert('a'), insert('b')], (changed) => {
        seen.push(changed);
      });
      const touchNone = db.updateTable('users').set({ name: 'z' }).where('id', '=', 'none').compile();
      await expect(
        executeCompiledInTransaction(db, [insert('c'), touchNone], ([, updated]) => {
          seen.push([updated ?? -1]);
          if (updated !== 1) throw new Error('lost');
        }),
      ).rejects.toThrow('lost');
      expect(seen).toEqual([[1, 1], [0]]);
      expect(await emails(db)).toEqual(['a@x.example', 'b@x.example']);
    });

    it('fills every use of a slot in a query compiled ahead, and refuses a slot it does not use', async () => {
      const db = await open();
      const SLOT = '\u0000later';
      const query = db
        .insertInto('users')
        .values({ ...userRow('s', 's@x.example'), created_at: SLOT, updated_at: SLOT })
        .compile();
      await executeCompiled(db, fillSlot(query, SLOT, T));
      const row = await db.selectFrom('users').select(['created_at', 'updated_at']).executeTakeFirstOrThrow();
      expect(row).toEqual({ created_at: T, updated_at: T });
      expect(() => fillSlot(query, '\u0000other', T)).toThrow('is not a parameter');
    });

    it('never runs a query inside a transaction another caller has open on the handle', async () => {
      const db = await open();
      let release = () => {};
      const held = new Promise<void>((r) => {
        release = r;
      });
      let inside = () => {};
      const opened = new Promise<void>((r) => {
        inside = r;
      });
      const trx = db
        .transaction()
        .execute(async (t) => {
          await t.insertInto('users').values(userRow('in-trx', 'in@x.example')).execute();
          inside();
          await held;
          throw new Error('rolled back');
        })
        .catch((e: Error) => e.message);
      await opened;
      const seenDuring = firstRowCompiled(
        db,
        db.selectFrom('users').select('email').where('id', '=', 'in-trx').compile(),
      );
      const outside = executeCompiled(
        db,
        db.insertInto('users').values(userRow('outside', 'out@x.example')).compile(),
      );
      release();
      expect(await trx).toBe('rolled back');
      expect(await outside).toBe(1);
      expect(await seenDuring).toBeUndefined();
      expect(await emails(db)).toEqual(['out@x.example']);
    });
  },
);
