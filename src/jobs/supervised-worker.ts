import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger.js';
import type { RedisService } from '../infra/redis/redis-service.js';
import { QUEUE_NAME } from './bullmq-producer.js';
import { withTimeout } from './with-timeout.js';

export interface SupervisedWorkerOptions {
  concurrency: number;
  stalledIntervalMs: number;
  /** A worker still not ready this long after Redis became usable is recreated. */
  graceMs: number;
  logger: Logger;
}

type Status = { status?: string } | undefined;

/**
 * A BullMQ worker with a watchdog. BullMQ reconnects by itself, but a worker can be left not
 * consuming after an outage (a blocking connection that ended, a run loop that stopped); the
 * watchdog replaces such a worker so jobs flow again with no restart.
 */
export class SupervisedWorker {
  private worker: Worker | undefined;
  private connection: Redis | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** How many times the watchdog replaced the worker (tests, metrics). */
  recreated = 0;

  constructor(
    private readonly redis: RedisService,
    private readonly processor: (job: Job) => Promise<void>,
    private readonly opts: SupervisedWorkerOptions,
  ) {}

  start(): void {
    this.create();
    this.timer = setInterval(() => this.check(), Math.min(1000, Math.max(100, this.opts.graceMs / 2)));
    this.timer.unref();
  }

  /** Both of the worker's connections are ready and its run loop is running. */
  isReady(): boolean {
    const w = this.worker;
    if (!w?.isRunning()) return false;
    const backend = w.backend as unknown as {
      connection?: { _client?: Status };
      blockingConnection?: { _client?: Status };
    };
    const statuses = [backend.connection?._client?.status, backend.blockingConnection?._client?.status];
    // Unknown internals (a BullMQ upgrade) read as ready: the run-loop check still applies.
    return statuses.every((s) => s === undefined || s === 'ready');
  }

  /** One watchdog pass (also called by tests). */
  check(): void {
    if (this.closed) return;
    const upSince = this.redis.upSince();
    if (upSince === undefined || Date.now() - upSince < this.opts.graceMs || this.isReady()) return;
    this.opts.logger.warn(
      { upForMs: Date.now() - upSince },
      'BullMQ worker not ready although Redis is; recreating it',
    );
    this.recreated++;
    const old = this.worker;
    const oldConnection = this.connection;
    this.create();
    void this.retire(old, oldConnection);
  }

  /** Closes the worker after its current jobs (up to the deadline), then its connection. */
  async close(deadlineMs: number): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.retire(this.worker, this.connection, deadlineMs);
  }

  private create(): void {
    this.connection = this.redis.createWorkerConnection();
    const worker = new Worker(QUEUE_NAME, this.processor, {
      connection: this.connection,
      prefix: this.redis.keys.queuePrefix(),
      concurrency: this.opts.concurrency,
      stalledInterval: this.opts.stalledIntervalMs,
      // A dead worker's lock expires on the same clock as the stall check that redelivers.
      lockDuration: this.opts.stalledIntervalMs,
      maxStalledCount: 2,
    });
    worker.on('error', (err) => this.redis.reportError('worker', err));
    this.worker = worker;
  }

  private async retire(worker: Worker | undefined, connection: Redis | undefined, deadlineMs = 2000) {
    if (worker) {
      await withTimeout(worker.close(), deadlineMs, 'worker close timed out').catch(async () => {
        await withTimeout(worker.close(true), 1000, 'forced close timed out').catch(() => {});
      });
    }
    connection?.disconnect();
  }
}
