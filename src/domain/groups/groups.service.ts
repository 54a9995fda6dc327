import { v7 as uuidv7 } from 'uuid';
import { Errors } from '../../errors/app-error.js';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type Actor, appendAudit } from '../audit/audit.repository.js';
import { decodeCursor, pageOf } from '../cursor.js';
import { findPerson } from '../people/people.repository.js';
import { searchKey } from '../search.js';
import * as repo from './groups.repository.js';
import type { GroupRole, GroupRow, GroupUpdate } from './groups.table.js';

export interface GroupInput {
  name: string;
  description?: string | null;
}

export const GroupErrors = {
  notFound: () => Errors.notFound('group'),
  notMember: () => Errors.notFound('group member'),
};

export function toGroup(row: GroupRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
export type Group = ReturnType<typeof toGroup>;

export async function getGroup(db: TenantDb, id: string): Promise<Group> {
  const row = await repo.findGroup(db, id);
  if (!row) throw GroupErrors.notFound();
  return toGroup(row);
}

export async function listGroups(db: TenantDb, q: { q?: string; cursor?: string; limit: number }) {
  const rows = await repo.listGroups(db, { q: q.q, after: decodeCursor(q.cursor, 2), limit: q.limit });
  const page = pageOf(rows, q.limit, (r) => [r.name_key, r.id]);
  return { items: page.items.map(toGroup), nextCursor: page.nextCursor };
}

export async function createGroup(db: TenantDb, actor: Actor, input: GroupInput): Promise<Group> {
  return db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const row: GroupRow = {
      id: uuidv7(),
      name: input.name,
      name_key: searchKey(input.name),
      description: input.description ?? null,
      created_at: now,
      updated_at: now,
    };
    await repo.insertGroup(trx, row);
    const after = toGroup(row);
    await appendAudit(trx, actor, { action: 'create', entity: 'group', entityId: row.id, after });
    return after;
  });
}

export async function updateGroup(db: TenantDb, actor: Actor, id: string, patch: Partial<GroupInput>) {
  return db.transaction().execute(async (trx) => {
    const before = await getGroup(trx, id);
    const cols: GroupUpdate = {};
    if (patch.name !== undefined) {
      cols.name = patch.name;
      cols.name_key = searchKey(patch.name);
    }
    if (patch.description !== undefined) cols.description = patch.description;
    if (Object.keys(cols).length > 0) {
      await repo.updateGroup(trx, id, { ...cols, updated_at: new Date().toISOString() });
    }
    const after = await getGroup(trx, id);
    await appendAudit(trx, actor, { action: 'update', entity: 'group', entityId: id, before, after });
    return after;
  });
}

export async function deleteGroup(db: TenantDb, actor: Actor, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await getGroup(trx, id);
    await repo.deleteGroup(trx, id);
    await appendAudit(trx, actor, { action: 'delete', entity: 'group', entityId: id, before });
  });
}

/** Adds a member, or changes the role of someone already in the group. */
export async function addGroupMember(
  db: TenantDb,
  actor: Actor,
  groupId: string,
  input: { personId: string; role: GroupRole },
) {
  return db.transaction().execute(async (trx) => {
    await getGroup(trx, groupId);
    if (!(await findPerson(trx, input.personId))) throw Errors.notFound('person');
    const current = await repo.findGroupMember(trx, groupId, input.personId);
    const createdAt = current?.created_at ?? new Date().toISOString();
    await repo.upsertGroupMember(trx, {
      group_id: groupId,
      person_id: input.personId,
      role: input.role,
      created_at: createdAt,
    });
    const after = { groupId, personId: input.personId, role: input.role, addedAt: createdAt };
    if (current?.role !== input.role) {
      await appendAudit(trx, actor, {
        action: current ? 'update' : 'create',
        entity: 'group_member',
        entityId: `${groupId}:${input.personId}`,
        before: current ? { role: current.role } : null,
        after: current ? { role: input.role } : after,
      });
    }
    return after;
  });
}

export async function removeGroupMember(db: TenantDb, actor: Actor, groupId: string, personId: string) {
  await db.transaction().execute(async (trx) => {
    await getGroup(trx, groupId);
    const current = await repo.findGroupMember(trx, groupId, personId);
    if (!current) throw GroupErrors.notMember();
    await repo.deleteGroupMember(trx, groupId, personId);
    await appendAudit(trx, actor, {
      action: 'delete',
      entity: 'group_member',
      entityId: `${groupId}:${personId}`,
      before: { groupId, personId, role: current.role },
    });
  });
}

export async function listGroupMembers(
  db: TenantDb,
  groupId: string,
  q: { role?: GroupRole; cursor?: string; limit: number },
) {
  await getGroup(db, groupId);
  const rows = await repo.listGroupMembers(db, groupId, {
    role: q.role,
    after: decodeCursor(q.cursor, 3),
    limit: q.limit,
  });
  const page = pageOf(rows, q.limit, (r) => [r.last_name_key, r.first_name_key, r.person_id]);
  return {
    items: page.items.map((r) => ({
      personId: r.person_id,
      role: r.role,
      firstName: r.first_name,
      lastName: r.last_name,
      preferredName: r.preferred_name,
      addedAt: r.created_at,
    })),
    nextCursor: page.nextCursor,
  };
}

/** The groups a person is in, with their role in each (a person is in few: no paging). */
export async function personGroups(db: TenantDb, personId: string) {
  if (!(await findPerson(db, personId))) throw Errors.notFound('person');
  return (await repo.groupsOfPerson(db, personId)).map((r) => ({
    groupId: r.id,
    name: r.name,
    role: r.role,
    addedAt: r.created_at,
  }));
}
