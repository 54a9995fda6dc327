import { z } from 'zod';
import { defineJob } from '../jobs/job-definition.js';
import type { MailDelivery } from './mail-delivery.js';

declare module '../jobs/job-definition.js' {
  interface JobContext {
    mail: MailDelivery;
  }
}

export const DELIVER_MAIL = 'deliver-mail';

/**
 * One delivery pass over a church's outbox. Re-dispatchable: the outbox rows are the record, each
 * send is claimed, and the sweeper starts a pass for any church the catalog marks as due. Retries
 * of single messages are the outbox's own (their back-off outlives any job).
 */
export const deliverMailJob = defineJob({
  name: DELIVER_MAIL,
  payload: z.object({ tenantId: z.string().uuid() }),
  options: { attempts: 3, backoffMs: 1000 },
  async handler({ tenantId }, run) {
    await run.mail.deliver(tenantId);
  },
});
