import { v7 as uuidv7 } from 'uuid';
import { Errors } from '../../errors/app-error.js';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type Actor, appendAudit } from '../audit/audit.repository.js';
import { decodeCursor, pageOf } from '../cursor.js';
import { isUniqueViolation } from '../../infra/db/errors.js';
import { findPerson } from '../people/people.repository.js';
import { searchKey } from '../search.js';
import * as repo from './tags.repository.js';
import type { TagRow } from './tags.table.js';

export const TagErrors = {
  notFound: () => Errors.notFound('tag'),
  duplicate: () => Errors.conflict('A tag with this name already exists.'),
};

export function toTag(row: TagRow) {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}
export type Tag = ReturnType<typeof toTag>;

async function mustFind(db: TenantDb, id: string): Promise<TagRow> {
  const row = await repo.findTag(db, id);
  if (!row) throw TagErrors.notFound();
  return row;
}

export async function getTag(db: TenantDb, id: string): Promise<Tag> {
  return toTag(await mustFind(db, id));
}

export async function listTags(db: TenantDb, q: { cursor?: string; limit: number }) {
  const rows = await repo.listTags(db, { after: decodeCursor(q.cursor, 2), limit: q.limit });
  const page = pageOf(rows, q.limit, (r) => [r.name_key, r.id]);
  return { items: page.items.map(toTag), nextCursor: page.nextCursor };
}

// Unique-name races surface as a unique violation; both paths answer 409.
async function uniqueName<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err)) throw TagErrors.duplicate();
    throw err;
  }
}

export async function createTag(db: TenantDb, actor: Actor, input: { name: string }): Promise<Tag> {
  return uniqueName(() =>
    db.transaction().execute(async (trx) => {
      const key = searchKey(input.name);
      if (await repo.findTagByKey(trx, key)) throw TagErrors.duplicate();
      const row = { id: uuidv7(), name: input.name, name_key: key, created_at: new Date().toISOString() };
      await repo.insertTag(trx, row);
      const after = toTag(row);
      await appendAudit(trx, actor, { action: 'create', entity: 'tag', entityId: row.id, after });
      return after;
    }),
  );
}

export async function renameTag(
  db: TenantDb,
  actor: Actor,
  id: string,
  input: { name: string },
): Promise<Tag> {
  return uniqueName(() =>
    db.transaction().execute(async (trx) => {
      const before = toTag(await mustFind(trx, id));
      const key = searchKey(input.name);
      const other = await repo.findTagByKey(trx, key);
      if (other && other.id !== id) throw TagErrors.duplicate();
      await repo.renameTag(trx, id, input.name, key);
      const after = await getTag(trx, id);
      await appendAudit(trx, actor, { action: 'update', entity: 'tag', entityId: id, before, after });
      return after;
    }),
  );
}

export async function deleteTag(db: TenantDb, actor: Actor, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = toTag(await mustFind(trx, id));
    await repo.deleteTag(trx, id);
    await appendAudit(trx, actor, { action: 'delete', entity: 'tag', entityId: id, before });
  });
}

export async function personTags(db: TenantDb, personId: string): Promise<Tag[]> {
  if (!(await findPerson(db, personId))) throw Errors.notFound('person');
  return (await repo.tagsOfPerson(db, personId)).map(toTag);
}

/** PUT semantics: tagging twice is a no-op (and writes no second audit row). */
export async function tagPerson(db: TenantDb, actor: Actor, personId: string, tagId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await findPerson(trx, personId))) throw Errors.notFound('person');
    await mustFind(trx, tagId);
    if (await repo.linkTag(trx, personId, tagId, new Date().toISOString())) {
      await appendAudit(trx, actor, {
        action: 'create',
        entity: 'person_tag',
        entityId: `${personId}:${tagId}`,
        after: { personId, tagId },
      });
    }
  });
}

/** DELETE semantics: removing a tag the person does not have is a no-op. */
export async function untagPerson(
  db: TenantDb,
  actor: Actor,
  personId: string,
  tagId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await findPerson(trx, personId))) throw Errors.notFound('person');
    await mustFind(trx, tagId);
    if (await repo.unlinkTag(trx, personId, tagId)) {
      await appendAudit(trx, actor, {
        action: 'delete',
        entity: 'person_tag',
        entityId: `${personId}:${tagId}`,
        before: { personId, tagId },
      });
    }
  });
}
