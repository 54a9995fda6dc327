import type { Migration } from 'kysely';
import * as m0001 from './0001_tenants_and_servers.js';

/**
 * Catalog migrations in order. Listed statically (not read from disk) so they run the same from
 * TypeScript sources and compiled output. Number ranges per area avoid merge clashes:
 * 00xx foundation, 01xx tenancy, 02xx registration, 03xx auth, 04xx jobs.
 */
export const catalogMigrations: Record<string, Migration> = {
  '0001_tenants_and_servers': m0001,
};
