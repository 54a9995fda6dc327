import path from 'node:path';
import { Registry } from 'prom-client';
import type { Env } from '../../../src/config.js';
import { createRedisService, type RedisService } from '../../../src/infra/redis/redis-service.js';
import { createJobQueue, type JobQueueService } from '../../../src/jobs/create-job-queue.js';
import type { JobContext, JobDefinition } from '../../../src/jobs/job-definition.js';
import { tempDataDir, testConfig } from '../../helpers/config.js';
import { capturingLogger, uniquePrefix } from '../redis/support.js';
import { type EffectDb, effectJob, openEffectDb } from './effect-job.js';

export interface JobHarness {
  queue: JobQueueService;
  redis: RedisService;
  effects: EffectDb;
  metrics: Registry;
  lines: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * A job queue over a given Redis URL (or none) with the effect job registered, built like
 * services.ts builds it, with its own key prefix and side-effect database.
 */
export async function jobHarness(
  opts: {
    redisUrl?: string;
    env?: Env;
    sleepMs?: number;
    failFirst?: number;
    workers?: boolean;
    jobs?: JobDefinition[];
    /** Share a side-effect database with another process. */
    effectsFile?: string;
  } = {},
): Promise<JobHarness> {
  const data = tempDataDir();
  const config = testConfig(data.dir, {
    ...(opts.redisUrl ? { REDIS_URL: opts.redisUrl } : {}),
    REDIS_KEY_PREFIX: uniquePrefix('jobs'),
    REDIS_RECONNECT_MAX_MS: '500',
    JOBS_WATCHDOG_GRACE_MS: '1500',
    ...opts.env,
  });
  const { logger, lines } = capturingLogger('info');
  const metrics = new Registry();
  const redis = createRedisService({
    ...config.redis,
    reconnect: { baseMs: 50, maxMs: config.redis.reconnectMaxMs },
    logger,
    metrics,
  });
  const effects = await openEffectDb(opts.effectsFile ?? path.join(data.dir, 'effects.db'));
  // The effect job uses none of the context; modules' extra context fields are not built here.
  const context = { config, logger, redis } as unknown as JobContext;
  const queue = await createJobQueue({
    config,
    redis,
    context,
    definitions: [effectJob(effects, opts), ...(opts.jobs ?? [])],
    metrics,
  });
  if (opts.workers ?? true) queue.startWorkers();
  return {
    queue,
    redis,
    effects,
    metrics,
    lines,
    close: async () => {
      await queue.close(5000);
      await redis.close();
      await effects.destroy();
      data.cleanup();
    },
  };
}
