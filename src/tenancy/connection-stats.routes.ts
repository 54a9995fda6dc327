import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { DataEnvelope, ok } from '../http/envelope.js';
import { named } from '../http/openapi/named-schema.js';
import { installOpsGuard } from '../http/ops-auth.js';
import type { TenantDbManager } from './tenant-db-manager.js';

export interface ConnectionStatsRoutesOptions {
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

/** `GET /api/health/connections`: the tenant handle cache's stats, for operators only. */
export const connectionStatsRoutes: FastifyPluginAsyncTypebox<ConnectionStatsRoutesOptions> = async (
  app,
  { tenants, opsToken },
) => {
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
