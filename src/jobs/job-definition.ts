import type { z } from 'zod';
import type { Config } from '../config.js';
import type { Logger } from '../infra/logger.js';
import type { RedisPort } from '../infra/redis/redis-port.js';

/**
 * What a job handler may use: process-wide dependencies, never a request's tenant context (a
 * job that concerns a tenant carries `tenantId` in its payload and opens that tenant itself).
 * Modules that need more (e.g. the provisioner, with the catalog) add fields here by declaration merging and
 * supply them where the context is built (src/services.ts).
 */
export interface JobContext {
  config: Config;
  logger: Logger;
  redis: RedisPort;
}

/** Per-run information handed to the handler next to the shared context. */
export interface JobRun extends JobContext {
  jobId: string;
  /** 1 on the first run; a redelivered or retried job sees a higher number. */
  attempt: number;
}

export interface JobOptions {
  /** Runs in all (first + retries) before the job counts as failed. Default 3. */
  attempts?: number;
  /** First retry delay; doubles each retry. Default 1000 ms. */
  backoffMs?: number;
}

/**
 * One kind of background job, in one file: name, payload schema, options, handler.
 *
 * Every job kind MUST be re-dispatchable: a queue can lose jobs (Redis down when enqueued,
 * in-process backlog lost in a crash) and the same job can run twice (redelivery after a stall,
 * an enqueue that timed out but landed). So the durable record lives in the database (written
 * before enqueue), a reconciler re-enqueues unfinished records, and the handler is idempotent:
 * each step checks or atomically claims its effect, so the effect happens exactly once.
 */
export interface JobDefinition<P = unknown> {
  /** Stable name, also the BullMQ job name: [a-z0-9-]. */
  name: string;
  /** Validates the payload at enqueue and again at run time (payloads cross processes). */
  payload: z.ZodType<P>;
  options?: JobOptions;
  handler(payload: P, run: JobRun): Promise<void>;
}

/** Identity function that infers the payload type from the schema. */
export function defineJob<P>(def: JobDefinition<P>): JobDefinition<P> {
  return def;
}

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 1000;
