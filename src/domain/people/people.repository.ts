import { sql } from 'kysely';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { queryTemplate } from '../../infra/db/query-template.js';
import { prefixPattern } from '../search.js';
import type { HouseholdRole } from '../households/households.table.js';
import type { MembershipStatus, NewPersonRow, PersonRow, PersonUpdate } from './people.table.js';

/** A person row with the household it belongs to and their role there (from household_members). */
export type PersonWithHousehold = PersonRow & {
  household_id: string | null;
  household_role: HouseholdRole | null;
};

export interface PeopleQuery {
  q?: string;
  membershipStatus?: MembershipStatus;
  tagId?: string;
  groupId?: string;
  /** Custom-field filters: the person holds exactly this stored value of each field. */
  fields?: ReadonlyArray<{ fieldId: string; text: string }>;
  /** Sort key of the last row of the previous page: [last_name_key, first_name_key, id]. */
  after?: string[];
  limit: number;
}

// Every column by name rather than `people.*`: SQLite readers then build rows faster
// (infra/db/sqlite-fixed-rows.ts); the PersonWithHousehold type checks that none is missing.
const PEOPLE_COLUMNS = [
  'people.id',
  'people.first_name',
  'people.last_name',
  'people.middle_name',
  'people.suffix',
  'people.preferred_name',
  'people.email',
  'people.phone',
  'people.birth_date',
  'people.gender',
  'people.membership_status',
  'people.notes',
  'people.first_name_key',
  'people.last_name_key',
  'people.preferred_name_key',
  'people.email_key',
  'people.created_at',
  'people.updated_at',
] as const;

function selectPeople(db: TenantDb) {
  return db
    .selectFrom('people')
    .leftJoin('household_members as hm', 'hm.person_id', 'people.id')
    .select(PEOPLE_COLUMNS)
    .select(['hm.household_id', 'hm.role as household_role']);
}

export async function insertPerson(db: TenantDb, row: NewPersonRow): Promise<void> {
  await db.insertInto('people').values(row).execute();
}

export async function findPerson(db: TenantDb, id: string): Promise<PersonWithHousehold | undefined> {
  return selectPeople(db).where('people.id', '=', id).executeTakeFirst();
}

export async function updatePerson(db: TenantDb, id: string, patch: PersonUpdate): Promise<void> {
  await db.updateTable('people').set(patch).where('id', '=', id).execute();
}

export async function deletePerson(db: TenantDb, id: string): Promise<void> {
  await db.deleteFrom('people').where('id', '=', id).execute();
}

/** Ids among `ids` that exist, for bulk operations that must reject unknown people. */
export async function existingPersonIds(db: TenantDb, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('people').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

interface ListArgs {
  membershipStatus?: MembershipStatus;
  tagId?: string;
  groupId?: string;
  fields: ReadonlyArray<{ fieldId: string; text: string }>;
  /** One LIKE pattern per search term. */
  patterns: string[];
  after?: string[];
  take: number;
}

const listPeopleQuery = queryTemplate((db: TenantDb, a: ListArgs) => {
  let stmt = selectPeople(db)
    .orderBy('people.last_name_key')
    .orderBy('people.first_name_key')
    .orderBy('people.id')
    .limit(a.take);
  if (a.membershipStatus !== undefined)
    stmt = stmt.where('people.membership_status', '=', a.membershipStatus);
  if (a.tagId !== undefined) {
    const tagId = a.tagId;
    stmt = stmt.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('person_tags')
          .select('person_tags.person_id')
          .whereRef('person_tags.person_id', '=', 'people.id')
          .where('person_tags.tag_id', '=', tagId),
      ),
    );
  }
  if (a.groupId !== undefined) {
    const groupId = a.groupId;
    stmt = stmt.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('group_members')
          .select('group_members.person_id')
          .whereRef('group_members.person_id', '=', 'people.id')
          .where('group_members.group_id', '=', groupId),
      ),
    );
  }
  for (const f of a.fields) {
    stmt = stmt.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('person_field_values as v')
          .select('v.person_id')
          .whereRef('v.person_id', '=', 'people.id')
          .where('v.field_id', '=', f.fieldId)
          .where('v.value', '=', f.text),
      ),
    );
  }
  for (const p of a.patterns) {
    stmt = stmt.where(
      sql<boolean>`(people.first_name_key like ${p} escape '\\' or people.last_name_key like ${p} escape '\\'
        or people.preferred_name_key like ${p} escape '\\' or people.email_key like ${p} escape '\\')`,
    );
  }
  if (a.after) {
    const [last, first, id] = a.after as [string, string, string];
    stmt = stmt.where(({ eb, refTuple, tuple }) =>
      eb(refTuple('people.last_name_key', 'people.first_name_key', 'people.id'), '>', tuple(last, first, id)),
    );
  }
  return stmt;
});

/**
 * Sorted by last name, first name, id (case-insensitive keys); keyset paging; fetches limit + 1.
 * Every whitespace-separated term of `q` must prefix-match a name or the email.
 */
export async function listPeople(db: TenantDb, query: PeopleQuery): Promise<PersonWithHousehold[]> {
  return listPeopleQuery(db, {
    membershipStatus: query.membershipStatus || undefined,
    tagId: query.tagId || undefined,
    groupId: query.groupId || undefined,
    fields: query.fields ?? [],
    patterns: (query.q ?? '').split(/\s+/).filter(Boolean).map(prefixPattern),
    after: query.after,
    take: query.limit + 1,
  });
}
