import type { Migration } from 'kysely';
import * as m0001 from './0001_tenants_and_servers.js';
import * as m0101 from './0101_tenant_migration_ledger.js';
import * as m0200 from './0200_registrations.js';
import * as m0201 from './0201_tenant_purge_after.js';
import * as m0202 from './0202_registration_password_state.js';
import * as m0301 from './0301_token_revocations.js';
import * as m0302 from './0302_auth_failure_counters.js';
import * as m0303 from './0303_session_revocations.js';
import * as m0400 from './0400_drop_registration_password_state.js';
import * as m0410 from './0410_mail_pending.js';
import * as m0420 from './0420_tenant_moves.js';
import * as m0430 from './0430_spare_databases.js';

/**
 * Catalog migrations in order. Listed statically (not read from disk) so they run the same from
 * TypeScript sources and compiled output. Number ranges per area avoid merge clashes:
 * 00xx foundation, 01xx tenancy, 02xx registration, 03xx auth, 04xx later changes across areas.
 */
export const catalogMigrations: Record<string, Migration> = {
  '0001_tenants_and_servers': m0001,
  '0101_tenant_migration_ledger': m0101,
  '0200_registrations': m0200,
  '0201_tenant_purge_after': m0201,
  '0202_registration_password_state': m0202,
  '0301_token_revocations': m0301,
  '0302_auth_failure_counters': m0302,
  '0303_session_revocations': m0303,
  '0400_drop_registration_password_state': m0400,
  '0410_mail_pending': m0410,
  '0420_tenant_moves': m0420,
  '0430_spare_databases': m0430,
};
