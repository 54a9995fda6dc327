import { v7 } from 'uuid';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  type JobContext,
  type JobDefinition,
} from './job-definition.js';
import type { JobMetrics } from './job-metrics.js';
import { QueueFullError } from './job-queue.js';
import { runJob } from './run-job.js';

interface Pending {
  id: string;
  def: JobDefinition;
  payload: unknown;
  attempt: number;
}

/**
 * Runs jobs in this process with bounded concurrency and a bounded backlog: the backend when
 * there is no Redis, and the fallback while Redis is down. Its backlog dies with the process,
 * which is why every job kind is re-dispatchable from the database (see JobDefinition).
 */
export class InProcessRunner {
  private readonly waiting: Pending[] = [];
  private readonly known = new Set<string>();
  private active = 0;
  private closed = false;
  private readonly idle = new Set<() => void>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly ctx: JobContext,
    private readonly metrics: JobMetrics,
    private readonly opts: { concurrency: number; maxPending: number },
  ) {}

  /** Accepts a job; a job id already waiting or running here is not queued twice. */
  enqueue(def: JobDefinition, payload: unknown, jobId?: string): string {
    if (this.closed) throw new QueueFullError('the in-process job runner is shutting down');
    const id = jobId ?? v7();
    if (this.known.has(id)) return id;
    if (this.waiting.length >= this.opts.maxPending) {
      throw new QueueFullError(`in-process job backlog is full (${this.opts.maxPending})`);
    }
    this.known.add(id);
    this.waiting.push({ id, def, payload, attempt: 1 });
    this.pump();
    return id;
  }

  depth(): { waiting: number; active: number } {
    return { waiting: this.waiting.length, active: this.active };
  }

  /** Resolves when nothing is waiting or running (tests, shutdown). */
  onIdle(): Promise<void> {
    if (this.active === 0 && this.waiting.length === 0 && this.retryTimers.size === 0)
      return Promise.resolve();
    return new Promise((resolve) => this.idle.add(resolve));
  }

  /** Stops taking jobs and waits for running ones up to `deadlineMs`; the backlog is dropped. */
  async close(deadlineMs: number): Promise<number> {
    this.closed = true;
    const dropped = this.waiting.splice(0).length;
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.onIdle(),
      new Promise((r) => {
        timer = setTimeout(r, deadlineMs);
      }),
    ]);
    clearTimeout(timer);
    return dropped;
  }

  private pump(): void {
    while (!this.closed && this.active < this.opts.concurrency && this.waiting.length) {
      const job = this.waiting.shift()!;
      this.active++;
      void this.execute(job).finally(() => {
        this.active--;
        this.pump();
        this.checkIdle();
      });
    }
    this.checkIdle();
  }

  private async execute(job: Pending): Promise<void> {
    const { attempt } = job;
    const attempts = job.def.options?.attempts ?? DEFAULT_ATTEMPTS;
    const final = attempt >= attempts || this.closed;
    try {
      await runJob(
        job.def,
        job.payload,
        this.ctx,
        { jobId: job.id, attempt, final, backend: 'in-process' },
        this.metrics,
      );
      this.known.delete(job.id);
    } catch {
      if (final) {
        this.known.delete(job.id);
        return;
      }
      // Retry later without holding a concurrency slot; it re-enters at the head of the line.
      const delay = (job.def.options?.backoffMs ?? DEFAULT_BACKOFF_MS) * 2 ** (attempt - 1);
      const t = setTimeout(() => {
        this.retryTimers.delete(t);
        if (this.closed) {
          this.known.delete(job.id);
          return this.checkIdle();
        }
        this.waiting.unshift({ ...job, attempt: attempt + 1 });
        this.pump();
      }, delay);
      this.retryTimers.add(t);
    }
  }

  private checkIdle(): void {
    if (this.active || this.waiting.length || this.retryTimers.size) return;
    for (const resolve of this.idle) resolve();
    this.idle.clear();
  }
}
