import type { Migration } from 'kysely';
import * as m0001 from './0001_church.js';
import * as m0002 from './0002_audit_log.js';
import * as m0100 from './0100_people.js';
import * as m0101 from './0101_households.js';

/**
 * Tenant migrations in order; every church database runs them. Listed statically so they run
 * the same from sources and compiled output. Name ranges per area avoid merge clashes:
 * 00xx core (church, audit), 001x auth (users, refresh tokens), 01xx-09xx domain modules.
 * Never rename or reorder a released entry: the schema version is the count of entries.
 */
export const tenantMigrations: Record<string, Migration> = {
  '0001_church': m0001,
  '0002_audit_log': m0002,
  '0100_people': m0100,
  '0101_households': m0101,
};
