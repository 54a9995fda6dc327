import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Tenant } from './catalog.table.js';
import type { TenantLifecycle } from './tenant-lifecycle.js';
import { DataEnvelope, ok } from '../http/envelope.js';
import { named } from '../http/openapi/named-schema.js';
import { StringEnum } from '../http/openapi/schema-helpers.js';
import { installOpsGuard } from '../http/ops-auth.js';
import { problems } from '../http/openapi/problem-responses.js';

const TENANT_STATUSES = ['provisioning', 'active', 'suspended', 'deleting', 'deleted', 'failed'] as const;
const TenantView = named(
  'Tenant',
  Type.Object({
    id: Type.String(),
    slug: Type.String(),
    name: Type.String(),
    status: named('TenantStatus', StringEnum(TENANT_STATUSES)),
    serverId: Type.Union([Type.String(), Type.Null()]),
    schemaVersion: Type.Integer(),
    createdAt: Type.String(),
    lastActiveAt: Type.Union([Type.String(), Type.Null()]),
  }),
);

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

/** `:ref` of the operator's church routes. */
export const ChurchRefParams = Type.Object({
  ref: Type.String({
    minLength: 1,
    maxLength: 64,
    pattern: '^[a-z0-9-]+$',
    description: "The church's id or slug.",
  }),
});

export interface OpsTenantRoutesOptions {
  lifecycle: TenantLifecycle;
  opsToken: string | undefined;
}

/** Operator lifecycle of churches (OPS_TOKEN): list, suspend, resume, export, delete. */
export const opsTenantRoutes: FastifyPluginAsyncTypebox<OpsTenantRoutesOptions> = async (
  app,
  { lifecycle, opsToken },
) => {
  const tags = ['ops'];
  installOpsGuard(app, opsToken);

  app.get(
    '/ops/tenants',
    {
      schema: {
        operationId: 'listTenants',
        summary: 'List churches',
        tags,
        response: { 200: DataEnvelope(Type.Array(TenantView)) },
      },
    },
    async () => ok((await lifecycle.list()).map(view)),
  );
  app.post(
    '/ops/tenants/:ref/suspend',
    {
      schema: {
        operationId: 'suspendTenant',
        summary: 'Suspend a church',
        description: 'Its staff are refused (403) until it is resumed; nothing is deleted.',
        tags,
        params: ChurchRefParams,
        response: { 200: DataEnvelope(TenantView), ...problems(409) },
      },
    },
    async (req) => ok(view(await lifecycle.suspend(req.params.ref))),
  );
  app.post(
    '/ops/tenants/:ref/resume',
    {
      schema: {
        operationId: 'resumeTenant',
        summary: 'Resume a suspended church',
        tags,
        params: ChurchRefParams,
        response: { 200: DataEnvelope(TenantView), ...problems(409) },
      },
    },
    async (req) => ok(view(await lifecycle.resume(req.params.ref))),
  );
  app.post(
    '/ops/tenants/:ref/export',
    {
      schema: {
        operationId: 'exportTenant',
        summary: "Export a church's data to a file on the server",
        tags,
        params: ChurchRefParams,
        response: {
          200: DataEnvelope(named('TenantExportFile', Type.Object({ file: Type.String() }))),
          ...problems(409),
        },
      },
    },
    async (req) => ok({ file: await lifecycle.exportToFile(req.params.ref) }),
  );
  app.delete(
    '/ops/tenants/:ref',
    {
      schema: {
        operationId: 'deleteTenant',
        summary: 'Delete a church',
        description:
          'Exports it, then keeps its database for the grace period (`?now=true`: drops it at once).',
        tags,
        params: ChurchRefParams,
        querystring: Type.Object({ now: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: {
          200: DataEnvelope(
            named(
              'TenantDeletion',
              Type.Object({ tenant: TenantView, exportFile: Type.Union([Type.String(), Type.Null()]) }),
            ),
          ),
          ...problems(409),
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
