import type { TenantDb } from '../../tenancy/tenant-database.js';
import type { TagRow } from './tags.table.js';

export async function insertTag(db: TenantDb, row: TagRow): Promise<void> {
  await db.insertInto('tags').values(row).execute();
}

export async function findTag(db: TenantDb, id: string): Promise<TagRow | undefined> {
  return db.selectFrom('tags').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findTagByKey(db: TenantDb, nameKey: string): Promise<TagRow | undefined> {
  return db.selectFrom('tags').selectAll().where('name_key', '=', nameKey).executeTakeFirst();
}

export async function renameTag(db: TenantDb, id: string, name: string, nameKey: string): Promise<void> {
  await db.updateTable('tags').set({ name, name_key: nameKey }).where('id', '=', id).execute();
}

export async function deleteTag(db: TenantDb, id: string): Promise<void> {
  await db.deleteFrom('tags').where('id', '=', id).execute();
}

/** Sorted by name then id; keyset paging after [name_key, id]; fetches limit + 1. */
export async function listTags(db: TenantDb, q: { after?: string[]; limit: number }): Promise<TagRow[]> {
  let stmt = db
    .selectFrom('tags')
    .selectAll()
    .orderBy('name_key')
    .orderBy('id')
    .limit(q.limit + 1);
  if (q.after) {
    const [name, id] = q.after as [string, string];
    stmt = stmt.where(({ eb, refTuple, tuple }) => eb(refTuple('name_key', 'id'), '>', tuple(name, id)));
  }
  return stmt.execute();
}

/** Tags one person has, by name. */
export async function tagsOfPerson(db: TenantDb, personId: string): Promise<TagRow[]> {
  return db
    .selectFrom('person_tags as pt')
    .innerJoin('tags', 'tags.id', 'pt.tag_id')
    .selectAll('tags')
    .where('pt.person_id', '=', personId)
    .orderBy('tags.name_key')
    .orderBy('tags.id')
    .execute();
}

/** Returns true when the link was new (tagging twice is a no-op). */
export async function linkTag(db: TenantDb, personId: string, tagId: string, now: string): Promise<boolean> {
  const res = await db
    .insertInto('person_tags')
    .values({ person_id: personId, tag_id: tagId, created_at: now })
    .onConflict((oc) => oc.columns(['person_id', 'tag_id']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Returns true when a link was removed. */
export async function unlinkTag(db: TenantDb, personId: string, tagId: string): Promise<boolean> {
  const res = await db
    .deleteFrom('person_tags')
    .where('person_id', '=', personId)
    .where('tag_id', '=', tagId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
