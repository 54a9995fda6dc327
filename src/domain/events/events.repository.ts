import type { TenantDb } from '../../tenancy/tenant-database.js';
import type { EventRow, EventUpdate } from './events.table.js';

export interface EventsQuery {
  from?: string;
  to?: string;
  groupId?: string;
  /** [starts_at, id] of the last row of the previous page. */
  after?: string[];
  limit: number;
}

export async function insertEvent(db: TenantDb, row: EventRow): Promise<void> {
  await db.insertInto('events').values(row).execute();
}

export async function findEvent(db: TenantDb, id: string): Promise<EventRow | undefined> {
  return db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateEvent(db: TenantDb, id: string, patch: EventUpdate): Promise<void> {
  await db.updateTable('events').set(patch).where('id', '=', id).execute();
}

export async function deleteEvent(db: TenantDb, id: string): Promise<void> {
  await db.deleteFrom('events').where('id', '=', id).execute();
}

/** Sorted by start time then id (calendar order); `from` inclusive, `to` exclusive. */
export async function listEvents(db: TenantDb, q: EventsQuery): Promise<EventRow[]> {
  let stmt = db
    .selectFrom('events')
    .selectAll()
    .orderBy('starts_at')
    .orderBy('id')
    .limit(q.limit + 1);
  if (q.from) stmt = stmt.where('starts_at', '>=', q.from);
  if (q.to) stmt = stmt.where('starts_at', '<', q.to);
  if (q.groupId) stmt = stmt.where('group_id', '=', q.groupId);
  if (q.after) {
    const [startsAt, id] = q.after as [string, string];
    stmt = stmt.where(({ eb, refTuple, tuple }) => eb(refTuple('starts_at', 'id'), '>', tuple(startsAt, id)));
  }
  return stmt.execute();
}
