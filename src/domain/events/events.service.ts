import { v7 as uuidv7 } from 'uuid';
import { Errors } from '../../errors/app-error.js';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type Actor, appendAudit } from '../audit/audit.repository.js';
import { decodeCursor, pageOf } from '../cursor.js';
import { findGroup } from '../groups/groups.repository.js';
import * as repo from './events.repository.js';
import type { EventRow, EventUpdate } from './events.table.js';
import { timeRange, toInstant } from './time-range.js';

export interface EventInput {
  name: string;
  startsAt: string;
  endsAt?: string | null;
  groupId?: string | null;
  location?: string | null;
}

export const EventErrors = { notFound: () => Errors.notFound('event') };

export function toEvent(row: EventRow) {
  return {
    id: row.id,
    name: row.name,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    groupId: row.group_id,
    location: row.location,
    headcount: row.headcount,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
export type Event = ReturnType<typeof toEvent>;

export async function mustFindEvent(db: TenantDb, id: string): Promise<EventRow> {
  const row = await repo.findEvent(db, id);
  if (!row) throw EventErrors.notFound();
  return row;
}

export async function getEvent(db: TenantDb, id: string): Promise<Event> {
  return toEvent(await mustFindEvent(db, id));
}

export async function listEvents(
  db: TenantDb,
  q: { from?: string; to?: string; groupId?: string; cursor?: string; limit: number },
) {
  const rows = await repo.listEvents(db, {
    ...timeRange(q),
    groupId: q.groupId,
    after: decodeCursor(q.cursor, 2),
    limit: q.limit,
  });
  const page = pageOf(rows, q.limit, (r) => [r.starts_at, r.id]);
  return { items: page.items.map(toEvent), nextCursor: page.nextCursor };
}

function columns(input: Partial<EventInput>): EventUpdate {
  const c: EventUpdate = {};
  if (input.name !== undefined) c.name = input.name;
  if (input.startsAt !== undefined) c.starts_at = toInstant(input.startsAt, '/body/startsAt');
  if (input.endsAt !== undefined)
    c.ends_at = input.endsAt === null ? null : toInstant(input.endsAt, '/body/endsAt');
  if (input.groupId !== undefined) c.group_id = input.groupId;
  if (input.location !== undefined) c.location = input.location;
  return c;
}

async function checkRefs(trx: TenantDb, row: Pick<EventRow, 'starts_at' | 'ends_at' | 'group_id'>) {
  if (row.ends_at !== null && row.ends_at < row.starts_at) {
    throw Errors.validation([{ path: '/body/endsAt', message: 'must not be before startsAt' }]);
  }
  if (row.group_id !== null && !(await findGroup(trx, row.group_id))) throw Errors.notFound('group');
}

export async function createEvent(db: TenantDb, actor: Actor, input: EventInput): Promise<Event> {
  return db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const row: EventRow = {
      id: uuidv7(),
      name: input.name,
      starts_at: toInstant(input.startsAt, '/body/startsAt'),
      ends_at: input.endsAt ? toInstant(input.endsAt, '/body/endsAt') : null,
      group_id: input.groupId ?? null,
      location: input.location ?? null,
      headcount: null,
      created_at: now,
      updated_at: now,
    };
    await checkRefs(trx, row);
    await repo.insertEvent(trx, row);
    const after = toEvent(row);
    await appendAudit(trx, actor, { action: 'create', entity: 'event', entityId: row.id, after });
    return after;
  });
}

export async function updateEvent(db: TenantDb, actor: Actor, id: string, patch: Partial<EventInput>) {
  return db.transaction().execute(async (trx) => {
    const current = await mustFindEvent(trx, id);
    const cols = columns(patch);
    await checkRefs(trx, { ...current, ...cols } as EventRow);
    if (Object.keys(cols).length > 0) {
      await repo.updateEvent(trx, id, { ...cols, updated_at: new Date().toISOString() });
    }
    const after = await getEvent(trx, id);
    await appendAudit(trx, actor, {
      action: 'update',
      entity: 'event',
      entityId: id,
      before: toEvent(current),
      after,
    });
    return after;
  });
}

/** Sets the counted attendance of a headcount-only service (null clears it). */
export async function setHeadcount(db: TenantDb, actor: Actor, id: string, count: number | null) {
  return db.transaction().execute(async (trx) => {
    const current = await mustFindEvent(trx, id);
    await repo.updateEvent(trx, id, { headcount: count, updated_at: new Date().toISOString() });
    await appendAudit(trx, actor, {
      action: 'headcount',
      entity: 'event',
      entityId: id,
      before: { headcount: current.headcount },
      after: { headcount: count },
    });
    return getEvent(trx, id);
  });
}

export async function deleteEvent(db: TenantDb, actor: Actor, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = toEvent(await mustFindEvent(trx, id));
    await repo.deleteEvent(trx, id);
    await appendAudit(trx, actor, { action: 'delete', entity: 'event', entityId: id, before });
  });
}
