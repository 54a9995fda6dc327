import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.js';
import { addDbServer } from '../../../src/platform/db-servers.js';
import { createServices, type Services } from '../../../src/services.js';
import { buildTestApp, type TestStack, createTestStack } from '../../helpers/app.js';
import { testLogger } from '../../helpers/config.js';
import { seedEveryTable } from '../../helpers/church-data.js';
import { adminPgUrl, DIALECTS } from '../../helpers/dialects.js';
import { createTestChurch, type TestChurch } from '../../helpers/session.js';

for (const dialect of DIALECTS) {
  describe(`two instances sharing the catalog (catalog on ${dialect})`, () => {
    let a: TestStack;
    let b: { services: Services; app: App };
    let church: TestChurch;
    let serverId: string;

    beforeAll(async () => {
      a = await createTestStack(dialect);
      // The second instance: the same catalog and DATA_DIR (so the same JWT secret), its own
      // tenant handles and placement watcher.
      const services = await createServices(a.config, testLogger());
      b = { services, app: await buildTestApp(services.deps) };
      serverId = (await addDbServer(a.services.deps.catalog, adminPgUrl())).id;
      church = await createTestChurch(a);
      await a.services.deps.tenants.withTenant(church.id, (db) => seedEveryTable(db, church.users.admin.id));
    });
    afterAll(async () => {
      await b?.app.close();
      await b?.services.close();
      await a?.close();
    });

    const get = (app: App, url: string) => app.inject({ url, headers: church.as('admin') });

    it('one moves the church; the other serves it from the new side after the switch', async () => {
      expect((await get(b.app, '/api/people')).statusCode).toBe(200); // B holds a handle on the SQLite file
      expect(b.services.deps.tenants.getStatus().find((s) => s.tenantId === church.id)?.kind).toBe('sqlite');

      const result = await a.services.deps.moves.mover.move(church.id, serverId);
      expect(result.moved).toBe(true);

      // Written through A (on PostgreSQL now), read through B once its watcher evicted the old handle.
      const created = await a.app.inject({
        method: 'POST',
        url: '/api/people',
        headers: church.as('admin'),
        payload: { firstName: 'Seen', lastName: 'Everywhere' },
      });
      expect(created.statusCode).toBe(201);
      const id = created.json().data.id;
      await expect
        .poll(async () => (await get(b.app, `/api/people/${id}`)).statusCode, {
          timeout: 5000,
          interval: 100,
        })
        .toBe(200);
      expect(b.services.deps.tenants.getStatus().find((s) => s.tenantId === church.id)?.kind).toBe(
        'postgres',
      );

      // A write through B lands on the new side too.
      const viaB = await b.app.inject({
        method: 'POST',
        url: '/api/people',
        headers: church.as('admin'),
        payload: { firstName: 'Written', lastName: 'ViaB' },
      });
      expect(viaB.statusCode).toBe(201);
      expect((await get(a.app, `/api/people/${viaB.json().data.id}`)).statusCode).toBe(200);
    });

    it('a stale handle never takes a write: the old side refuses it with 503 until the handle is evicted', async () => {
      // B reads from PostgreSQL now; move back to SQLite while B's watcher is the only eviction.
      const result = await a.services.deps.moves.mover.move(church.id, null);
      expect(result.moved).toBe(true);
      const res = await b.app.inject({
        method: 'POST',
        url: '/api/people',
        headers: church.as('admin'),
        payload: { firstName: 'Right', lastName: 'After' },
      });
      expect([201, 503]).toContain(res.statusCode);
      if (res.statusCode === 503) expect(res.headers['retry-after']).toBe('1');
      else expect((await get(a.app, `/api/people/${res.json().data.id}`)).statusCode).toBe(200);
    });
  });
}
