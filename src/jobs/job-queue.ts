/** Where an accepted job went. */
export interface EnqueueResult {
  id: string;
  backend: 'bullmq' | 'in-process';
}

export interface QueueDepth {
  bullmq: { waiting: number; active: number; delayed: number; failed: number } | undefined;
  inProcess: { waiting: number; active: number };
}

/**
 * The one way to start background work. `enqueue` never waits on Redis: when BullMQ is not
 * usable it hands the job to the in-process runner. It throws only on a programming error
 * (unknown job, invalid payload) or when the in-process backlog is full (QueueFullError).
 */
export interface JobQueue {
  enqueue<P>(name: string, payload: P, opts?: { jobId?: string }): Promise<EnqueueResult>;
  depth(): Promise<QueueDepth>;
  /** Starts BullMQ workers in this process (no-op without BullMQ). */
  startWorkers(): void;
  /** Stops accepting, lets running jobs finish (up to the deadline), closes connections. */
  close(deadlineMs?: number): Promise<void>;
}

export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

export class UnknownJobError extends Error {
  override name = 'UnknownJobError';
}
