import type { TenantDb } from '../../tenancy/tenant-database.js';
import type { AttendanceRow } from './events.table.js';

/** Inserts check-ins, skipping people already checked in; returns the ids newly checked in. */
export async function checkIn(
  db: TenantDb,
  eventId: string,
  personIds: readonly string[],
  at: string,
  by: string | null,
): Promise<string[]> {
  if (personIds.length === 0) return [];
  const existing = await db
    .selectFrom('attendance')
    .select('person_id')
    .where('event_id', '=', eventId)
    .where('person_id', 'in', personIds)
    .execute();
  const had = new Set(existing.map((r) => r.person_id));
  const fresh = personIds.filter((id) => !had.has(id));
  if (fresh.length === 0) return [];
  // onConflict covers a concurrent check-in of the same person between the read and the insert.
  await db
    .insertInto('attendance')
    .values(
      fresh.map((person_id) => ({ event_id: eventId, person_id, checked_in_at: at, checked_in_by: by })),
    )
    .onConflict((oc) => oc.columns(['event_id', 'person_id']).doNothing())
    .execute();
  return fresh;
}

export async function removeCheckIn(db: TenantDb, eventId: string, personId: string): Promise<boolean> {
  const res = await db
    .deleteFrom('attendance')
    .where('event_id', '=', eventId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export async function attendanceOf(db: TenantDb, eventId: string, personIds: readonly string[]) {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('attendance')
    .selectAll()
    .where('event_id', '=', eventId)
    .where('person_id', 'in', personIds)
    .orderBy('checked_in_at')
    .orderBy('person_id')
    .execute();
}

/** An event's check-ins in check-in order; keyset after [checked_in_at, person_id]. */
export async function listAttendance(
  db: TenantDb,
  eventId: string,
  q: { after?: string[]; limit: number },
): Promise<AttendanceRow[]> {
  let stmt = db
    .selectFrom('attendance')
    .selectAll()
    .where('event_id', '=', eventId)
    .orderBy('checked_in_at')
    .orderBy('person_id')
    .limit(q.limit + 1);
  if (q.after) {
    const [at, id] = q.after as [string, string];
    stmt = stmt.where(({ eb, refTuple, tuple }) =>
      eb(refTuple('checked_in_at', 'person_id'), '>', tuple(at, id)),
    );
  }
  return stmt.execute();
}

/** A person's attendance, newest event first; keyset after [starts_at, event id]. */
export async function personAttendance(
  db: TenantDb,
  personId: string,
  q: { from?: string; to?: string; after?: string[]; limit: number },
) {
  let stmt = db
    .selectFrom('attendance as a')
    .innerJoin('events as e', 'e.id', 'a.event_id')
    .select(['e.id as event_id', 'e.name', 'e.starts_at', 'e.group_id', 'a.checked_in_at', 'a.checked_in_by'])
    .where('a.person_id', '=', personId)
    .orderBy('e.starts_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(q.limit + 1);
  if (q.from) stmt = stmt.where('e.starts_at', '>=', q.from);
  if (q.to) stmt = stmt.where('e.starts_at', '<', q.to);
  if (q.after) {
    const [startsAt, id] = q.after as [string, string];
    stmt = stmt.where(({ eb, refTuple, tuple }) =>
      eb(refTuple('e.starts_at', 'e.id'), '<', tuple(startsAt, id)),
    );
  }
  return stmt.execute();
}
