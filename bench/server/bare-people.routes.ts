import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { listPeople } from '../../src/domain/people/people.service.js';
import { PeopleListQuery, PersonSchema } from '../../src/domain/people/people.schemas.js';
import { pageBody, paging } from '../../src/domain/route-helpers.js';
import type { TenantDatabases, TenantLease } from '../../src/tenancy/tenant-database.js';
import { PageEnvelope } from '../../src/http/envelope.js';

export interface BarePeopleRoutesOptions {
  tenants: TenantDatabases;
}

/**
 * The bare baseline (bench server only, never in src/): the same people query, mapping and
 * response schema as `GET /api/people`, on a tenant handle leased once and kept open, with no
 * token, revocation, church-status or permission check and no per-request lease.
 * `bench/tenancy-overhead.bench.ts` compares the real route's throughput with this one.
 */
export const barePeopleRoutes: FastifyPluginAsyncTypebox<BarePeopleRoutesOptions> = async (
  app,
  { tenants },
) => {
  const held = new Map<string, Promise<TenantLease>>();
  app.addHook('onClose', async () => {
    for (const lease of held.values()) (await lease.catch(() => undefined))?.release();
  });

  app.get(
    '/people/:tenantId',
    {
      schema: {
        hide: true,
        params: Type.Object({ tenantId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        querystring: PeopleListQuery,
        response: { 200: PageEnvelope(PersonSchema) },
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      let lease = held.get(tenantId);
      if (!lease) {
        lease = tenants.acquire(tenantId);
        held.set(tenantId, lease);
        lease.catch(() => held.delete(tenantId));
      }
      const { q, membershipStatus, tag, ...rest } = request.query;
      const p = paging(rest);
      return pageBody(await listPeople((await lease).db, { q, membershipStatus, tag, ...p }), p.limit);
    },
  );
};
