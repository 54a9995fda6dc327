import { z } from 'zod';
import { defineJob } from '../../jobs/job-definition.js';
import { type ProvisionerDeps, provisionRegistration } from './provisioner.js';

declare module '../../jobs/job-definition.js' {
  interface JobContext {
    provisioner: ProvisionerDeps;
  }
}

export const PROVISION_REGISTRATION = 'provision-registration';

/**
 * Provisions one registration. Re-dispatchable: the catalog row is the record, the claim is
 * atomic, every step is idempotent. A failed attempt is thrown so the queue retries it soon;
 * the reconciler covers anything the queue loses.
 */
export const provisionRegistrationJob = defineJob({
  name: PROVISION_REGISTRATION,
  payload: z.object({ registrationId: z.string().uuid() }),
  options: { attempts: 3, backoffMs: 500 },
  async handler({ registrationId }, run) {
    const outcome = await provisionRegistration(run.provisioner, registrationId);
    if (outcome === 'retry') throw new Error(`registration ${registrationId} attempt failed; retrying`);
  },
});
