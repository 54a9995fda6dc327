import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '../../../src/domain/audit/audit.repository.js';
import type { TenantDb } from '../../../src/tenancy/tenant-database.js';

export const actor: Actor = { userId: 'user-finance', requestId: 'req-1' };

/** The church profile row provisioning would write. */
export async function seedChurch(db: TenantDb, name = 'Grace Chapel', currency = 'USD'): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto('church')
    .values({
      id: uuidv7(),
      slug: 'grace-chapel',
      name,
      timezone: 'America/Chicago',
      currency,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function seedPerson(db: TenantDb, firstName: string, lastName: string): Promise<string> {
  const id = uuidv7();
  const now = new Date().toISOString();
  await db
    .insertInto('people')
    .values({
      id,
      first_name: firstName,
      last_name: lastName,
      preferred_name: null,
      email: null,
      phone: null,
      birth_date: null,
      gender: null,
      membership_status: 'member',
      notes: null,
      first_name_key: firstName.toLowerCase(),
      last_name_key: lastName.toLowerCase(),
      preferred_name_key: null,
      email_key: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export async function seedHousehold(db: TenantDb, name: string, memberIds: string[]): Promise<string> {
  const id = uuidv7();
  const now = new Date().toISOString();
  await db
    .insertInto('households')
    .values({
      id,
      name,
      name_key: name.toLowerCase(),
      address_line1: '1 Main St',
      address_line2: null,
      city: 'Springfield',
      region: 'IL',
      postal_code: '62701',
      country: 'US',
      created_at: now,
      updated_at: now,
    })
    .execute();
  for (const personId of memberIds) {
    await db
      .insertInto('household_members')
      .values({ person_id: personId, household_id: id, role: 'adult', created_at: now })
      .execute();
  }
  return id;
}

/** Audit rows for one entity id, oldest first. */
export async function auditOf(db: TenantDb, entityId: string) {
  return db.selectFrom('audit_log').selectAll().where('entity_id', '=', entityId).orderBy('id').execute();
}
