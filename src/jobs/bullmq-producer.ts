import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RedisService } from '../infra/redis/redis-service.js';
import { DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS, type JobDefinition } from './job-definition.js';
import type { QueueDepth } from './job-queue.js';
import { withTimeout } from './with-timeout.js';

export const QUEUE_NAME = 'jobs';

/**
 * Adds jobs to the BullMQ queue over its own fail-fast connection: a Redis that is down or
 * silent makes `add` reject within `timeoutMs`, and the caller falls back to in-process.
 */
export class BullmqProducer {
  private readonly connection: Redis;
  private queue: Queue | undefined;

  constructor(
    private readonly redis: RedisService,
    private readonly timeoutMs: number,
  ) {
    this.connection = redis.createProducerConnection();
  }

  async add(def: JobDefinition, payload: unknown, jobId?: string): Promise<string> {
    const job = await this.guard(
      (q) =>
        q.add(def.name, payload, {
          ...(jobId ? { jobId } : {}),
          attempts: def.options?.attempts ?? DEFAULT_ATTEMPTS,
          backoff: { type: 'exponential', delay: def.options?.backoffMs ?? DEFAULT_BACKOFF_MS },
          // Bounded history: the database, not Redis, is the record of what happened.
          removeOnComplete: { age: 3600, count: 1000 },
          removeOnFail: { age: 7 * 86400, count: 5000 },
        }),
      'BullMQ add',
    );
    return job.id!;
  }

  async depth(): Promise<NonNullable<QueueDepth['bullmq']>> {
    const c = await this.guard(
      (q) => q.getJobCounts('waiting', 'active', 'delayed', 'failed'),
      'BullMQ counts',
    );
    return { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0 };
  }

  async close(): Promise<void> {
    const q = this.queue;
    this.queue = undefined;
    if (q) await withTimeout(q.close(), this.timeoutMs, 'close').catch(() => {});
    this.connection.disconnect();
  }

  /**
   * Runs `op` within the timeout. The Queue is built on first use with a ready connection (its
   * init reads the server version once, and a failed init would fail every later call), and is
   * rebuilt after any error.
   */
  private async guard<T>(op: (q: Queue) => Promise<T>, what: string): Promise<T> {
    if (this.connection.status !== 'ready') throw new Error(`${what}: Redis connection not ready`);
    if (!this.queue) {
      this.queue = new Queue(QUEUE_NAME, {
        connection: this.connection,
        prefix: this.redis.keys.queuePrefix(),
      });
      this.queue.on('error', (err) => this.redis.reportError('queue', err));
    }
    const q = this.queue;
    try {
      return await withTimeout(op(q), this.timeoutMs, `${what} timed out`);
    } catch (err) {
      // Rebuild after any failure: a Queue whose initialization failed (e.g. ioredis "Command
      // timed out" while Redis came back) keeps rejecting every later call with that error.
      if (this.queue === q) {
        this.queue = undefined;
        void q.close().catch(() => {});
      }
      throw err;
    }
  }
}
