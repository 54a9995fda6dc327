import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Registry } from '../infra/metrics.js';
import type { TenantDbManager } from '../tenancy/tenant-db-manager.js';
import { DataEnvelope, ok } from './envelope.js';
import { named } from './openapi/named-schema.js';
import { installOpsGuard } from './ops-auth.js';

export interface OpsRoutesOptions {
  tenants: Pick<TenantDbManager, 'getStats' | 'getStatus'>;
  opsToken: string | undefined;
}

const Connections = named(
  'ConnectionStats',
  Type.Object({
    connections: Type.Object({
      totalCreated: Type.Integer(),
      totalClosed: Type.Integer(),
      totalEvicted: Type.Integer(),
      idleClosed: Type.Integer(),
      openErrors: Type.Integer(),
      closeErrors: Type.Integer(),
      closeTimeouts: Type.Integer(),
      currentlyOpen: Type.Integer(),
      closing: Type.Integer(),
      leased: Type.Integer(),
      waiting: Type.Integer(),
      potentialLeaks: Type.Integer(),
      pgConnections: Type.Integer(),
      pgConnectionBudget: Type.Integer(),
    }),
    tenants: Type.Array(
      Type.Object({
        tenantId: Type.String(),
        kind: Type.String(),
        openedAt: Type.String(),
        lastUsedAt: Type.String(),
        leases: Type.Integer(),
        connections: Type.Integer(),
      }),
    ),
  }),
);

/** `GET /api/health/connections` (DESIGN §5): the tenant manager's stats, for operators only. */
export const opsRoutes: FastifyPluginAsyncTypebox<OpsRoutesOptions> = async (app, { tenants, opsToken }) => {
  installOpsGuard(app, opsToken);
  app.get(
    '/health/connections',
    {
      schema: {
        operationId: 'getConnectionStats',
        summary: 'Tenant database connections',
        description: "The tenant manager's counters and every open church database (operators only).",
        tags: ['ops'],
        response: { 200: DataEnvelope(Connections) },
      },
    },
    async () => {
      const s = tenants.getStats();
      return ok({
        connections: {
          totalCreated: s.created,
          totalClosed: s.closed,
          totalEvicted: s.evicted,
          idleClosed: s.idleClosed,
          openErrors: s.openErrors,
          closeErrors: s.closeErrors,
          closeTimeouts: s.closeTimeouts,
          currentlyOpen: s.open,
          closing: s.closing,
          leased: s.leased,
          waiting: s.waiters,
          potentialLeaks: s.potentialLeaks,
          pgConnections: s.connections,
          pgConnectionBudget: s.connectionBudget,
        },
        tenants: tenants.getStatus(),
      });
    },
  );
};

export interface MetricsRoutesOptions {
  registry: Registry;
  opsToken: string | undefined;
}

/** `GET /metrics` in the Prometheus text format, for operators only. */
export const metricsRoutes: FastifyPluginAsyncTypebox<MetricsRoutesOptions> = async (
  app,
  { registry, opsToken },
) => {
  installOpsGuard(app, opsToken);
  app.get(
    '/metrics',
    {
      schema: {
        operationId: 'getMetrics',
        summary: 'Prometheus metrics',
        description: 'Every metric in the Prometheus text format (docs/monitoring.md lists them).',
        tags: ['ops'],
        response: {
          200: {
            description: 'The Prometheus text exposition format, version 0.0.4.',
            content: { 'text/plain': { schema: Type.String() } },
          },
        },
      },
    },
    async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );
};
