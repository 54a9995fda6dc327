import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { QueueDepth } from './job-queue.js';

export type JobOutcome = 'completed' | 'failed' | 'retried';

export interface JobMetrics {
  outcome(job: string, backend: string, outcome: JobOutcome, seconds: number): void;
  /** Registers the depth gauge, read from `read` at scrape time. */
  trackDepth(read: () => Promise<QueueDepth>): void;
}

export function createJobMetrics(registry: Registry | undefined): JobMetrics {
  if (!registry) return { outcome: () => {}, trackDepth: () => {} };
  const outcomes = new Counter({
    name: 'steeple_jobs_total',
    help: 'Job runs by job name, backend and outcome (completed, failed for good, retried)',
    // `kind`, not `job`: Prometheus reserves `job` for the scrape job.
    labelNames: ['kind', 'backend', 'outcome'],
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'steeple_job_duration_seconds',
    help: 'Duration of one job run',
    labelNames: ['kind', 'backend'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
    registers: [registry],
  });
  return {
    outcome: (job, backend, outcome, seconds) => {
      outcomes.inc({ kind: job, backend, outcome });
      durations.observe({ kind: job, backend }, seconds);
    },
    trackDepth: (read) => {
      new Gauge({
        name: 'steeple_jobs_queue_depth',
        help: 'Jobs waiting, active, delayed or failed, by backend',
        labelNames: ['backend', 'state'],
        registers: [registry],
        async collect() {
          const d = await read();
          this.reset();
          for (const [state, n] of Object.entries(d.inProcess)) this.set({ backend: 'in-process', state }, n);
          if (d.bullmq)
            for (const [state, n] of Object.entries(d.bullmq)) this.set({ backend: 'bullmq', state }, n);
        },
      });
    },
  };
}
