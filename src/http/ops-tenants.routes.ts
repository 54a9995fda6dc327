import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Tenant } from '../platform/catalog.table.js';
import type { TenantLifecycle } from '../platform/tenant-lifecycle.js';
import { DataEnvelope, ok } from './envelope.js';
import { opsGuard } from './ops-auth.js';

const TenantView = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  status: Type.String(),
  serverId: Type.Union([Type.String(), Type.Null()]),
  schemaVersion: Type.Integer(),
  createdAt: Type.String(),
  lastActiveAt: Type.Union([Type.String(), Type.Null()]),
});

const view = (t: Tenant) => ({
  id: t.id,
  slug: t.slug,
  name: t.name,
  status: t.status,
  serverId: t.server_id,
  schemaVersion: t.schema_version,
  createdAt: t.created_at,
  lastActiveAt: t.last_active_at,
});

const Ref = Type.Object({ ref: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+$' }) });

export interface OpsTenantRoutesOptions {
  lifecycle: TenantLifecycle;
  opsToken: string | undefined;
}

/** Operator lifecycle of churches (OPS_TOKEN): list, suspend, resume, export, delete. */
export const opsTenantRoutes: FastifyPluginAsyncTypebox<OpsTenantRoutesOptions> = async (
  app,
  { lifecycle, opsToken },
) => {
  const common = { tags: ['ops'], security: [{ bearer: [] }] };
  app.addHook('preHandler', opsGuard(opsToken));

  app.get(
    '/ops/tenants',
    { schema: { ...common, response: { 200: DataEnvelope(Type.Array(TenantView)) } } },
    async () => ok((await lifecycle.list()).map(view)),
  );
  app.post(
    '/ops/tenants/:ref/suspend',
    { schema: { ...common, params: Ref, response: { 200: DataEnvelope(TenantView) } } },
    async (req) => ok(view(await lifecycle.suspend(req.params.ref))),
  );
  app.post(
    '/ops/tenants/:ref/resume',
    { schema: { ...common, params: Ref, response: { 200: DataEnvelope(TenantView) } } },
    async (req) => ok(view(await lifecycle.resume(req.params.ref))),
  );
  app.post(
    '/ops/tenants/:ref/export',
    {
      schema: {
        ...common,
        params: Ref,
        response: { 200: DataEnvelope(Type.Object({ file: Type.String() })) },
      },
    },
    async (req) => ok({ file: await lifecycle.exportToFile(req.params.ref) }),
  );
  app.delete(
    '/ops/tenants/:ref',
    {
      schema: {
        ...common,
        params: Ref,
        querystring: Type.Object({ now: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: {
          200: DataEnvelope(
            Type.Object({ tenant: TenantView, exportFile: Type.Union([Type.String(), Type.Null()]) }),
          ),
        },
      },
    },
    async (req) => {
      const { tenant, exportFile } = await lifecycle.requestDelete(req.params.ref, {
        now: req.query.now ?? false,
      });
      return ok({ tenant: view(tenant), exportFile });
    },
  );
};
