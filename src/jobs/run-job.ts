import type { JobContext, JobDefinition } from './job-definition.js';
import type { JobMetrics } from './job-metrics.js';

export interface RunInfo {
  jobId: string;
  attempt: number;
  /** No retry follows a failure of this run. */
  final: boolean;
  backend: 'bullmq' | 'in-process';
}

/** Runs one attempt of a job with a job-scoped logger, recording its outcome and duration. */
export async function runJob(
  def: JobDefinition,
  rawPayload: unknown,
  ctx: JobContext,
  info: RunInfo,
  metrics: JobMetrics,
): Promise<void> {
  const logger = ctx.logger.child({ job: def.name, jobId: info.jobId, attempt: info.attempt });
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const payload = def.payload.parse(rawPayload);
    await def.handler(payload, { ...ctx, logger, jobId: info.jobId, attempt: info.attempt });
    metrics.outcome(def.name, info.backend, 'completed', seconds());
  } catch (err) {
    metrics.outcome(def.name, info.backend, info.final ? 'failed' : 'retried', seconds());
    logger[info.final ? 'error' : 'warn']({ err }, info.final ? 'job failed' : 'job failed; will retry');
    throw err;
  }
}
