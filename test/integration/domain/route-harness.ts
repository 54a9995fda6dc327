import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { can, type Role } from '../../../src/auth/roles.js';
import { domainRoutes } from '../../../src/domain/domain.routes.js';
import { installErrorHandling } from '../../../src/http/error-handler.js';
import { installValidation } from '../../../src/http/validation.js';
import type { TenantDb } from '../../../src/tenancy/tenant-database.js';
import type { Dialect } from '../../helpers/dialects.js';
import { createTestTenantDb } from '../../helpers/tenant-db.js';

/**
 * Two churches' tenant databases behind the real domain routes, validation and error renderer.
 * Until the auth hook is mounted in buildApp, a stand-in hook reads `x-test-church` (a|b) and
 * `x-test-role`, enforces each route's declared permission with the real role table, and
 * attaches that church's database, as the tenant-context hook does from a verified token.
 */
export async function createDomainHarness(dialect: Dialect) {
  const churches = { a: await createTestTenantDb(dialect), b: await createTestTenantDb(dialect) };
  const now = new Date().toISOString();
  for (const [key, t] of Object.entries(churches)) {
    await t.db
      .insertInto('church')
      .values({
        id: `church-${key}`,
        slug: `church-${key}`,
        name: `Church ${key.toUpperCase()}`,
        timezone: 'America/Chicago',
        currency: 'USD',
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  const app = Fastify({ logger: false }).withTypeProvider<TypeBoxTypeProvider>();
  installValidation(app);
  installErrorHandling(app);
  await app.register(
    async (api) => {
      api.decorateRequest('auth', null);
      api.decorateRequest('tenantDb', null);
      api.addHook('onRequest', async (request, reply) => {
        const church = request.headers['x-test-church'] === 'b' ? 'b' : 'a';
        const role = (request.headers['x-test-role'] as Role | undefined) ?? 'admin';
        const permission = request.routeOptions.config.permission;
        if (!permission || !can(role, permission)) {
          return reply.status(403).send({ code: 'FORBIDDEN' });
        }
        request.auth = {
          userId: `user-${church}-${role}`,
          tenantId: `church-${church}`,
          role,
          jti: 'j',
          issuedAt: 0,
          expiresAt: 0,
        };
        request.tenantDb = churches[church].db;
      });
      await api.register(domainRoutes);
    },
    { prefix: '/api' },
  );
  await app.ready();
  return {
    app,
    dbA: churches.a.db as TenantDb,
    dbB: churches.b.db as TenantDb,
    async close() {
      await app.close();
      await churches.a.close();
      await churches.b.close();
    },
  };
}
