import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Registry } from '../infra/metrics.js';
import { installOpsGuard } from './ops-auth.js';

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
