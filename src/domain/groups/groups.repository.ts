import { sql } from 'kysely';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { prefixPattern } from '../search.js';
import type { GroupMemberRow, GroupRole, GroupRow, GroupUpdate } from './groups.table.js';

export async function insertGroup(db: TenantDb, row: GroupRow): Promise<void> {
  await db.insertInto('groups').values(row).execute();
}

export async function findGroup(db: TenantDb, id: string): Promise<GroupRow | undefined> {
  return db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateGroup(db: TenantDb, id: string, patch: GroupUpdate): Promise<void> {
  await db.updateTable('groups').set(patch).where('id', '=', id).execute();
}

export async function deleteGroup(db: TenantDb, id: string): Promise<void> {
  await db.deleteFrom('groups').where('id', '=', id).execute();
}

/** Sorted by name then id; keyset paging after [name_key, id]; fetches limit + 1. */
export async function listGroups(db: TenantDb, q: { q?: string; after?: string[]; limit: number }) {
  let stmt = db
    .selectFrom('groups')
    .selectAll()
    .orderBy('name_key')
    .orderBy('id')
    .limit(q.limit + 1);
  if (q.q) stmt = stmt.where(sql<boolean>`name_key like ${prefixPattern(q.q)} escape '\\'`);
  if (q.after) {
    const [name, id] = q.after as [string, string];
    stmt = stmt.where(({ eb, refTuple, tuple }) => eb(refTuple('name_key', 'id'), '>', tuple(name, id)));
  }
  return stmt.execute();
}

export async function findGroupMember(db: TenantDb, groupId: string, personId: string) {
  return db
    .selectFrom('group_members')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

export async function upsertGroupMember(db: TenantDb, row: GroupMemberRow): Promise<void> {
  await db
    .insertInto('group_members')
    .values(row)
    .onConflict((oc) => oc.columns(['group_id', 'person_id']).doUpdateSet({ role: row.role }))
    .execute();
}

export async function deleteGroupMember(db: TenantDb, groupId: string, personId: string): Promise<void> {
  await db
    .deleteFrom('group_members')
    .where('group_id', '=', groupId)
    .where('person_id', '=', personId)
    .execute();
}

/** Members sorted like the people list; keyset after [last_name_key, first_name_key, person id]. */
export async function listGroupMembers(
  db: TenantDb,
  groupId: string,
  q: { role?: GroupRole; after?: string[]; limit: number },
) {
  let stmt = db
    .selectFrom('group_members as gm')
    .innerJoin('people as p', 'p.id', 'gm.person_id')
    .select([
      'gm.person_id',
      'gm.role',
      'gm.created_at',
      'p.first_name',
      'p.last_name',
      'p.preferred_name',
      'p.first_name_key',
      'p.last_name_key',
    ])
    .where('gm.group_id', '=', groupId)
    .orderBy('p.last_name_key')
    .orderBy('p.first_name_key')
    .orderBy('p.id')
    .limit(q.limit + 1);
  if (q.role) stmt = stmt.where('gm.role', '=', q.role);
  if (q.after) {
    const [last, first, id] = q.after as [string, string, string];
    stmt = stmt.where(({ eb, refTuple, tuple }) =>
      eb(refTuple('p.last_name_key', 'p.first_name_key', 'p.id'), '>', tuple(last, first, id)),
    );
  }
  return stmt.execute();
}

/** The groups a person belongs to, by group name. */
export async function groupsOfPerson(db: TenantDb, personId: string) {
  return db
    .selectFrom('group_members as gm')
    .innerJoin('groups as g', 'g.id', 'gm.group_id')
    .select(['g.id', 'g.name', 'gm.role', 'gm.created_at'])
    .where('gm.person_id', '=', personId)
    .orderBy('g.name_key')
    .orderBy('g.id')
    .execute();
}
