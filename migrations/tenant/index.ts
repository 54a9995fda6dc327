import type { Migration } from 'kysely';
import * as m0001 from './0001_church.js';
import * as m0002 from './0002_audit_log.js';
import * as m0010 from './0010_users.js';
import * as m0011 from './0011_refresh_tokens.js';
import * as m0100 from './0100_people.js';
import * as m0101 from './0101_households.js';
import * as m0102 from './0102_tags.js';
import * as m0103 from './0103_groups.js';
import * as m0104 from './0104_events.js';
import * as m0200 from './0200_funds.js';
import * as m0201 from './0201_batches.js';
import * as m0202 from './0202_donations.js';
import * as m0310 from './0310_custom_fields.js';
import * as m0311 from './0311_person_details.js';
import * as m0312 from './0312_imports.js';
import * as m0320 from './0320_mail_outbox.js';
import * as m0321 from './0321_password_resets.js';
import * as m0322 from './0322_staff_invites.js';
import * as m0323 from './0323_year_end_runs.js';
import * as m0324 from './0324_church_tax_receipt_text.js';
import * as m0325 from './0325_import_files.js';
import * as m0326 from './0326_import_file_parts.js';

/**
 * Tenant migrations in order; every church database runs them. Listed statically so they run
 * the same from sources and compiled output. Name ranges per area avoid merge clashes:
 * 00xx core (church, audit), 001x auth (users, refresh tokens), 01xx-09xx domain modules.
 * Never rename or reorder a released entry: the schema version is the count of entries.
 */
export const tenantMigrations: Record<string, Migration> = {
  '0001_church': m0001,
  '0002_audit_log': m0002,
  '0010_users': m0010,
  '0011_refresh_tokens': m0011,
  '0100_people': m0100,
  '0101_households': m0101,
  '0102_tags': m0102,
  '0103_groups': m0103,
  '0104_events': m0104,
  '0200_funds': m0200,
  '0201_batches': m0201,
  '0202_donations': m0202,
  '0310_custom_fields': m0310,
  '0311_person_details': m0311,
  '0312_imports': m0312,
  '0320_mail_outbox': m0320,
  '0321_password_resets': m0321,
  '0322_staff_invites': m0322,
  '0323_year_end_runs': m0323,
  '0324_church_tax_receipt_text': m0324,
  '0325_import_files': m0325,
  '0326_import_file_parts': m0326,
};
