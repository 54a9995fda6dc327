import type { TenantDb } from '../../tenancy/tenant-database.js';
import { prefixPattern } from '../search.js';
import { sql } from 'kysely';
import type {
  HouseholdMemberRow,
  HouseholdRole,
  HouseholdRow,
  HouseholdUpdate,
  NewHouseholdRow,
} from './households.table.js';

export async function insertHousehold(db: TenantDb, row: NewHouseholdRow): Promise<void> {
  await db.insertInto('households').values(row).execute();
}

export async function findHousehold(db: TenantDb, id: string): Promise<HouseholdRow | undefined> {
  return db.selectFrom('households').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateHousehold(db: TenantDb, id: string, patch: HouseholdUpdate): Promise<void> {
  await db.updateTable('households').set(patch).where('id', '=', id).execute();
}

export async function deleteHousehold(db: TenantDb, id: string): Promise<void> {
  await db.deleteFrom('households').where('id', '=', id).execute();
}

/** Sorted by name then id; keyset paging after [name_key, id]; fetches limit + 1. */
export async function listHouseholds(
  db: TenantDb,
  query: { q?: string; after?: string[]; limit: number },
): Promise<HouseholdRow[]> {
  let stmt = db
    .selectFrom('households')
    .selectAll()
    .orderBy('name_key')
    .orderBy('id')
    .limit(query.limit + 1);
  if (query.q) stmt = stmt.where(sql<boolean>`name_key like ${prefixPattern(query.q)} escape '\\'`);
  if (query.after) {
    const [name, id] = query.after as [string, string];
    stmt = stmt.where(({ eb, refTuple, tuple }) => eb(refTuple('name_key', 'id'), '>', tuple(name, id)));
  }
  return stmt.execute();
}

export async function findMembership(
  db: TenantDb,
  personId: string,
): Promise<HouseholdMemberRow | undefined> {
  return db.selectFrom('household_members').selectAll().where('person_id', '=', personId).executeTakeFirst();
}

export async function upsertMembership(
  db: TenantDb,
  row: { person_id: string; household_id: string; role: HouseholdRole; created_at: string },
): Promise<void> {
  await db
    .insertInto('household_members')
    .values(row)
    .onConflict((oc) =>
      oc.column('person_id').doUpdateSet({ household_id: row.household_id, role: row.role }),
    )
    .execute();
}

export async function deleteMembership(db: TenantDb, personId: string): Promise<void> {
  await db.deleteFrom('household_members').where('person_id', '=', personId).execute();
}

/** Members with their names, sorted like the people list (a household is small: no paging). */
export async function listMembers(db: TenantDb, householdId: string) {
  return db
    .selectFrom('household_members as hm')
    .innerJoin('people as p', 'p.id', 'hm.person_id')
    .select(['hm.person_id', 'hm.role', 'hm.created_at', 'p.first_name', 'p.last_name', 'p.preferred_name'])
    .where('hm.household_id', '=', householdId)
    .orderBy('p.last_name_key')
    .orderBy('p.first_name_key')
    .orderBy('p.id')
    .execute();
}
