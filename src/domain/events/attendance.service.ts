import { Errors } from '../../errors/app-error.js';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type Actor, appendAudit } from '../audit/audit.repository.js';
import { decodeCursor, pageOf } from '../cursor.js';
import { existingPersonIds, findPerson } from '../people/people.repository.js';
import * as repo from './attendance.repository.js';
import type { AttendanceRow } from './events.table.js';
import { mustFindEvent } from './events.service.js';
import { timeRange } from './time-range.js';

export function toAttendance(row: AttendanceRow) {
  return { personId: row.person_id, checkedInAt: row.checked_in_at, checkedInBy: row.checked_in_by };
}

/**
 * Checks people in to an event. Checking someone in twice is a no-op (their first check-in is
 * kept); an unknown person fails the whole request with nothing written.
 */
export async function checkIn(db: TenantDb, actor: Actor, eventId: string, personIds: readonly string[]) {
  const ids = [...new Set(personIds)];
  return db.transaction().execute(async (trx) => {
    await mustFindEvent(trx, eventId);
    const known = await existingPersonIds(trx, ids);
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length > 0) throw Errors.notFound('person');
    const fresh = await repo.checkIn(trx, eventId, ids, new Date().toISOString(), actor.userId);
    if (fresh.length > 0) {
      await appendAudit(trx, actor, {
        action: 'check_in',
        entity: 'event',
        entityId: eventId,
        after: { personIds: fresh },
      });
    }
    const rows = await repo.attendanceOf(trx, eventId, ids);
    return {
      items: rows.map(toAttendance),
      checkedIn: fresh.length,
      alreadyCheckedIn: ids.length - fresh.length,
    };
  });
}

export async function undoCheckIn(db: TenantDb, actor: Actor, eventId: string, personId: string) {
  await db.transaction().execute(async (trx) => {
    await mustFindEvent(trx, eventId);
    if (!(await repo.removeCheckIn(trx, eventId, personId))) throw Errors.notFound('check-in');
    await appendAudit(trx, actor, {
      action: 'undo_check_in',
      entity: 'event',
      entityId: eventId,
      before: { personIds: [personId] },
    });
  });
}

export async function listAttendance(db: TenantDb, eventId: string, q: { cursor?: string; limit: number }) {
  await mustFindEvent(db, eventId);
  const rows = await repo.listAttendance(db, eventId, { after: decodeCursor(q.cursor, 2), limit: q.limit });
  const page = pageOf(rows, q.limit, (r) => [r.checked_in_at, r.person_id]);
  return { items: page.items.map(toAttendance), nextCursor: page.nextCursor };
}

/** A person's attendance history, newest event first. */
export async function personAttendance(
  db: TenantDb,
  personId: string,
  q: { from?: string; to?: string; cursor?: string; limit: number },
) {
  if (!(await findPerson(db, personId))) throw Errors.notFound('person');
  const rows = await repo.personAttendance(db, personId, {
    ...timeRange(q),
    after: decodeCursor(q.cursor, 2),
    limit: q.limit,
  });
  const page = pageOf(rows, q.limit, (r) => [r.starts_at, r.event_id]);
  return {
    items: page.items.map((r) => ({
      eventId: r.event_id,
      eventName: r.name,
      startsAt: r.starts_at,
      groupId: r.group_id,
      checkedInAt: r.checked_in_at,
      checkedInBy: r.checked_in_by,
    })),
    nextCursor: page.nextCursor,
  };
}
