import { z } from 'zod';
import { defineJob } from '../../jobs/job-definition.js';
import type { YearEndStatements } from './year-end.service.js';

declare module '../../jobs/job-definition.js' {
  interface JobContext {
    yearEnd: YearEndStatements;
  }
}

export const YEAR_END_EMAILS = 'year-end-emails';
const ATTEMPTS = 3;

/**
 * Emails one run's statements. Re-runnable: every message is keyed by year and donor, so a
 * retry or a redelivered job records nothing twice; a run whose job was lost goes quiet and
 * can be started again.
 */
export const yearEndEmailsJob = defineJob({
  name: YEAR_END_EMAILS,
  payload: z.object({ tenantId: z.string().uuid(), runId: z.string().uuid() }),
  options: { attempts: ATTEMPTS, backoffMs: 5000 },
  async handler({ tenantId, runId }, run) {
    await run.yearEnd.runEmails(tenantId, runId, { final: run.attempt >= ATTEMPTS });
  },
});
