import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreChurch } from '../../../src/domain/export/church-restore.js';
import { addDbServer } from '../../../src/platform/db-servers.js';
import { type TestStack, createTestStack } from '../../helpers/app.js';
import { seedEveryTable } from '../../helpers/church-data.js';
import { adminPgUrl, DIALECTS } from '../../helpers/dialects.js';
import { createTestChurch, type TestChurch } from '../../helpers/session.js';

const OPS_TOKEN = 'restore-test-ops-token-0123456789';
const ops = { authorization: `Bearer ${OPS_TOKEN}` };

/** The export's tables, without what differs by design between two exports (the time). */
function tablesOf(file: string): Record<string, unknown[]> {
  return JSON.parse(fs.readFileSync(file, 'utf8')).data.tables;
}

for (const dialect of DIALECTS) {
  describe(`steeple tenants restore (catalog on ${dialect})`, () => {
    let home: TestStack;
    let elsewhere: TestStack; // a fresh deployment whose churches live on PostgreSQL
    let church: TestChurch;
    let exportFile: string;

    beforeAll(async () => {
      home = await createTestStack(dialect, { OPS_TOKEN });
      elsewhere = await createTestStack(dialect, { OPS_TOKEN });
      await addDbServer(elsewhere.services.deps.catalog, adminPgUrl());
      church = await createTestChurch(home);
      await home.services.deps.tenants.withTenant(church.id, (db) =>
        seedEveryTable(db, church.users.admin.id),
      );
      exportFile = await home.services.deps.registrations.lifecycle.exportToFile(church.id);
    });
    afterAll(async () => {
      await elsewhere?.close();
      await home?.close();
    });

    const restoreInto = (stack: TestStack, text: string, slug?: string) =>
      restoreChurch(stack.services.deps, text, { slug });
    const counts = async (stack: TestStack) => ({
      tenants: (await stack.services.deps.catalog.selectFrom('tenants').select('id').execute()).length,
      files: fs.existsSync(path.join(stack.config.dataDir, 'tenants'))
        ? fs.readdirSync(path.join(stack.config.dataDir, 'tenants')).length
        : 0,
    });

    it('restores on PostgreSQL elsewhere with the same id: exported again, identical but for the time; staff sign in', async () => {
      const r = await restoreInto(elsewhere, fs.readFileSync(exportFile, 'utf8'));
      expect(r).toMatchObject({ tenantId: church.id, slug: church.slug });
      expect(r.serverId).not.toBeNull();
      const again = await elsewhere.services.deps.registrations.lifecycle.exportToFile(church.id);
      expect(tablesOf(again)).toEqual(tablesOf(exportFile));
      for (const user of Object.values(church.users)) {
        const login = await elsewhere.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { church: church.slug, email: user.email, password: user.password },
        });
        expect(login.statusCode, login.body).toBe(200);
      }
    });

    it('restores beside the original under another address (new id), through the operator route', async () => {
      fs.copyFileSync(exportFile, path.join(home.config.dataDir, 'exports', 'copy.json'));
      const res = await home.app.inject({
        method: 'POST',
        url: '/api/ops/tenants/restore',
        headers: ops,
        payload: { file: 'copy.json', as: 'restored-copy' },
      });
      expect(res.statusCode, res.body).toBe(201);
      const r = res.json().data;
      expect(r.slug).toBe('restored-copy');
      expect(r.tenantId).not.toBe(church.id);
      const again = await home.services.deps.registrations.lifecycle.exportToFile(r.tenantId);
      const { church: c1, ...rest1 } = tablesOf(again) as Record<string, Array<Record<string, unknown>>>;
      const { church: c0, ...rest0 } = tablesOf(exportFile) as Record<string, Array<Record<string, unknown>>>;
      expect(rest1).toEqual(rest0);
      expect(c1).toEqual([{ ...c0![0], id: r.tenantId, slug: 'restored-copy' }]);
    });

    it('refuses bad files and a taken address with a clear message, creating nothing', async () => {
      const text = fs.readFileSync(exportFile, 'utf8');
      const doc = JSON.parse(text);
      const bad: Array<[string, string, RegExp]> = [
        ['truncated', text.slice(0, Math.floor(text.length / 2)), /truncated or not JSON/],
        [
          'newer format',
          JSON.stringify({ data: { ...doc.data, format: 'steeple-export-2' } }),
          /newer than this release/,
        ],
        [
          'a foreign table',
          JSON.stringify({ data: { ...doc.data, tables: { ...doc.data.tables, secrets: [{ id: 1 }] } } }),
          /does not fit/,
        ],
        [
          'a foreign column',
          JSON.stringify({
            data: {
              ...doc.data,
              tables: { ...doc.data.tables, people: [{ ...doc.data.tables.people[0], x: 1 }] },
            },
          }),
          /does not fit/,
        ],
        ['not an export', '{"hello":"world"}', /not a Steeple export/],
      ];
      const before = await counts(home);
      for (const [what, content, message] of bad) {
        const err = await restoreInto(home, content, `bad-${what.replaceAll(' ', '-')}`).catch((e) => e);
        expect(err?.message, what).toMatch(message);
        expect(err.status, what).toBe(422);
      }
      const foreign = await restoreInto(home, bad[2]![1]).catch((e) => e);
      expect(foreign.errors).toContainEqual({
        path: '/tables/secrets',
        message: 'is not a table of a church export',
      });
      const taken = await restoreInto(home, text).catch((e) => e);
      expect(taken.status).toBe(409);
      expect(taken.message).toMatch(/is taken/);
      expect(await counts(home)).toEqual(before);

      const traversal = await home.app.inject({
        method: 'POST',
        url: '/api/ops/tenants/restore',
        headers: ops,
        payload: { file: '../catalog.json' },
      });
      expect(traversal.statusCode).toBe(400);
      const missing = await home.app.inject({
        method: 'POST',
        url: '/api/ops/tenants/restore',
        headers: ops,
        payload: { file: 'nothing-here.json' },
      });
      expect(missing.statusCode).toBe(404);
    });

    it('an export without password hashes restores staff who must set a new password', async () => {
      const doc = JSON.parse(fs.readFileSync(exportFile, 'utf8'));
      for (const u of doc.data.tables.users) delete u.password_hash;
      const r = await restoreInto(home, JSON.stringify(doc), 'no-hashes');
      const user = church.users.admin;
      const login = await home.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { church: r.slug, email: user.email, password: user.password },
      });
      expect(login.statusCode).toBe(401);
    });
  });
}
