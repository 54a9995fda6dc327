import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { HealthCheck, HealthState } from '../infra/health.js';
import { DataEnvelope, ok } from './envelope.js';
import { named } from './openapi/named-schema.js';
import { PROBLEM_MEDIA_TYPE, Problem } from './openapi/problem-responses.js';
import { StringEnum } from './openapi/schema-helpers.js';

const CHECK_TIMEOUT_MS = 1000;
const tags = ['health'];

const Liveness = named('Liveness', Type.Object({ status: Type.Literal('ok') }));
const Readiness = named(
  'Readiness',
  Type.Object({
    status: StringEnum(['ready', 'degraded', 'unavailable'] as const, {
      description: '`unavailable` (a critical dependency is down) comes with status 503.',
    }),
    checks: Type.Record(Type.String(), named('HealthState', StringEnum(['up', 'down', 'disabled'] as const))),
  }),
);

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
        operationId: 'getLiveness',
        summary: 'Liveness',
        description: 'Answers while the process runs; touches no dependency.',
        tags,
        security: [],
        response: { 200: DataEnvelope(Liveness) },
      },
    },
    async () => ok({ status: 'ok' as const }),
  );

  app.get(
    '/health/ready',
    {
      schema: {
        operationId: 'getReadiness',
        summary: 'Readiness',
        description: 'Each dependency up, down or disabled; 503 when a critical one is down.',
        tags,
        security: [],
        response: {
          200: DataEnvelope(Readiness),
          // Not ready is a report, not an error; a server that is shutting down still answers a problem.
          503: {
            description: 'A critical dependency is down (or the server is shutting down).',
            content: {
              'application/json': { schema: DataEnvelope(Readiness) },
              [PROBLEM_MEDIA_TYPE]: { schema: Problem },
            },
          },
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
