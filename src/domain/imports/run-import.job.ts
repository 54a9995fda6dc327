import { z } from 'zod';
import { defineJob } from '../../jobs/job-definition.js';
import type { TenantDatabases } from '../../tenancy/tenant-database.js';
import { runStoredImport } from './import-jobs.service.js';

declare module '../../jobs/job-definition.js' {
  interface JobContext {
    tenants: TenantDatabases;
  }
}

export const RUN_IMPORT = 'run-import';

/**
 * Runs one stored import of one church. Re-dispatchable: the imports row is the record (its
 * status says whether it still has to run) and a rerun of an interrupted import is idempotent.
 */
export const runImportJob = defineJob({
  name: RUN_IMPORT,
  payload: z.object({ tenantId: z.string().min(1).max(100), importId: z.string().uuid() }),
  options: { attempts: 3, backoffMs: 2000 },
  async handler({ tenantId, importId }, run) {
    await run.tenants.withTenant(tenantId, (db) => runStoredImport(db, importId));
  },
});
