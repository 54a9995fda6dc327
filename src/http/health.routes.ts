import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { HealthCheck, HealthState } from '../infra/health.js';
import { DataEnvelope, ok } from './envelope.js';

const CHECK_TIMEOUT_MS = 1000;

export interface HealthRoutesOptions {
  checks: readonly HealthCheck[];
}

async function runCheck(check: HealthCheck): Promise<HealthState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HealthState>((resolve) => {
    timer = setTimeout(() => resolve('down'), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check.check().catch((): HealthState => 'down'), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Liveness (no I/O) and readiness (each dependency up, down or disabled). */
export const healthRoutes: FastifyPluginAsyncTypebox<HealthRoutesOptions> = async (app, { checks }) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        response: { 200: DataEnvelope(Type.Object({ status: Type.Literal('ok') })) },
      },
    },
    async () => ok({ status: 'ok' as const }),
  );

  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['health'],
        response: {
          '2xx': DataEnvelope(
            Type.Object({ status: Type.String(), checks: Type.Record(Type.String(), Type.String()) }),
          ),
        },
      },
    },
    async (_request, reply) => {
      const states = await Promise.all(checks.map(runCheck));
      const results: Record<string, HealthState> = {};
      checks.forEach((c, i) => {
        results[c.name] = states[i]!;
      });
      const down = checks.filter((_, i) => states[i] === 'down');
      const status = down.some((c) => c.critical) ? 'unavailable' : down.length ? 'degraded' : 'ready';
      reply.status(status === 'unavailable' ? 503 : 200);
      return ok({ status, checks: results });
    },
  );
};
