import type { InsertObject } from 'kysely';
import type { TenantDatabase, TenantDb } from '../../tenancy/tenant-database.js';
import type { PersonWithHousehold } from '../people/people.repository.js';

const CHUNK = 500;

async function inChunks<K, R>(keys: readonly K[], load: (part: K[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += CHUNK) out.push(...(await load(unique.slice(i, i + CHUNK))));
  return out;
}

/** Match candidates: people whose email key or last-name key is one of the given keys. */
export async function candidatesByKeys(
  db: TenantDb,
  column: 'email_key' | 'last_name_key',
  keys: readonly string[],
) {
  return inChunks(keys, (part) =>
    db
      .selectFrom('people')
      .select(['id', 'email_key', 'first_name_key', 'last_name_key', 'birth_date'])
      .where(column, 'in', part)
      .execute(),
  );
}

/** People rows with their household membership, by id. */
export async function peopleByIds(db: TenantDb, ids: readonly string[]): Promise<PersonWithHousehold[]> {
  return inChunks(ids, (part) =>
    db
      .selectFrom('people')
      .leftJoin('household_members as hm', 'hm.person_id', 'people.id')
      .selectAll('people')
      .select(['hm.household_id', 'hm.role as household_role'])
      .where('people.id', 'in', part)
      .execute(),
  );
}

export async function householdsByIds(db: TenantDb, ids: readonly string[]) {
  return inChunks(ids, (part) => db.selectFrom('households').selectAll().where('id', 'in', part).execute());
}

export async function householdsByNameKeys(db: TenantDb, keys: readonly string[]) {
  return inChunks(keys, (part) =>
    db.selectFrom('households').selectAll().where('name_key', 'in', part).orderBy('id').execute(),
  );
}

/** Multi-row insert in slices that stay under both dialects' bind-parameter limits. */
export async function insertMany<T extends keyof TenantDatabase & string>(
  db: TenantDb,
  table: T,
  rows: ReadonlyArray<InsertObject<TenantDatabase, T>>,
  perStatement = 200,
): Promise<void> {
  for (let i = 0; i < rows.length; i += perStatement) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + perStatement))
      .execute();
  }
}
