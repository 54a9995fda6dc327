import type { Job } from 'bullmq';
import type { Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { RedisService } from '../infra/redis/redis-service.js';
import { DEFAULT_ATTEMPTS, type JobContext, type JobDefinition } from './job-definition.js';
import { createJobMetrics } from './job-metrics.js';
import { type EnqueueResult, type JobQueue, type QueueDepth, UnknownJobError } from './job-queue.js';
import { InProcessRunner } from './in-process-runner.js';
import { runJob } from './run-job.js';
import type { SupervisedWorker } from './supervised-worker.js';

export interface JobQueueOptions {
  config: Config;
  redis: RedisService;
  context: JobContext;
  definitions: readonly JobDefinition[];
  metrics?: Registry;
}

/** The queue plus test hooks. */
export interface JobQueueService extends JobQueue {
  readonly backend: 'bullmq' | 'in-process';
  /** Resolves when the in-process runner has nothing waiting or running. */
  inProcessIdle(): Promise<void>;
  /** The supervised BullMQ worker of this process, once started. */
  worker(): SupervisedWorker | undefined;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * Chooses the backend in one place: BullMQ when Redis is configured and ENABLE_QUEUES is not
 * false, else in-process. With BullMQ, a job enqueued while Redis is not usable (or whose add
 * fails or times out) runs in-process instead, so enqueue never hangs and never loses a job
 * it acknowledged in this process's lifetime. BullMQ is loaded only when it is chosen: a process
 * without Redis does not carry it in memory.
 */
export async function createJobQueue(o: JobQueueOptions): Promise<JobQueueService> {
  const defs = new Map<string, JobDefinition>();
  for (const d of o.definitions) {
    if (!NAME.test(d.name)) throw new Error(`job name "${d.name}" must match ${NAME}`);
    if (defs.has(d.name)) throw new Error(`job "${d.name}" is defined twice`);
    defs.set(d.name, d);
  }
  const metrics = createJobMetrics(o.metrics);
  const { queues, redis: redisConfig } = o.config;
  const inProcess = new InProcessRunner(o.context, metrics, {
    concurrency: queues.concurrency,
    maxPending: queues.maxPending,
  });
  const useBull = queues.enabled && o.redis.state() !== 'disabled';
  const timeoutMs = Math.max(500, 2 * redisConfig.commandTimeoutMs);
  const bull = useBull
    ? await Promise.all([import('./bullmq-producer.js'), import('./supervised-worker.js')])
    : undefined;
  const producer = bull ? new bull[0].BullmqProducer(o.redis, timeoutMs) : undefined;
  let worker: SupervisedWorker | undefined;

  const processor = async (job: Job) => {
    const def = defs.get(job.name);
    if (!def) throw new UnknownJobError(`no handler for job "${job.name}"`);
    const attempt = Math.max(job.attemptsStarted ?? 0, job.attemptsMade + 1);
    const attempts = job.opts.attempts ?? DEFAULT_ATTEMPTS;
    await runJob(
      def,
      job.data,
      o.context,
      { jobId: job.id!, attempt, final: attempt >= attempts, backend: 'bullmq' },
      metrics,
    );
  };

  const depth = async (): Promise<QueueDepth> => ({
    bullmq: producer && o.redis.isUsable() ? await producer.depth().catch(() => undefined) : undefined,
    inProcess: inProcess.depth(),
  });
  metrics.trackDepth(depth);

  return {
    backend: producer ? 'bullmq' : 'in-process',
    async enqueue<P>(name: string, payload: P, opts: { jobId?: string } = {}): Promise<EnqueueResult> {
      const def = defs.get(name);
      if (!def) throw new UnknownJobError(`unknown job "${name}"`);
      const data = def.payload.parse(payload);
      if (producer && o.redis.isUsable()) {
        try {
          return { id: await producer.add(def, data, opts.jobId), backend: 'bullmq' };
        } catch (err) {
          o.context.logger.debug({ err, job: name }, 'BullMQ add failed; running the job in-process');
        }
      }
      return { id: inProcess.enqueue(def, data, opts.jobId), backend: 'in-process' };
    },
    depth,
    startWorkers() {
      if (!bull || worker) return;
      worker = new bull[1].SupervisedWorker(o.redis, processor, {
        concurrency: queues.concurrency,
        stalledIntervalMs: queues.stalledIntervalMs,
        graceMs: queues.watchdogGraceMs,
        logger: o.context.logger,
      });
      worker.start();
    },
    async close(deadlineMs = o.config.shutdownTimeoutMs / 2) {
      await Promise.all([worker?.close(deadlineMs), inProcess.close(deadlineMs)]);
      await producer?.close();
    },
    inProcessIdle: () => inProcess.onIdle(),
    worker: () => worker,
  };
}
