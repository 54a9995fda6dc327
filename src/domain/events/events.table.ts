import type { Selectable, Updateable } from 'kysely';

export interface EventsTable {
  id: string;
  name: string;
  /** ISO-8601 UTC */
  starts_at: string;
  ends_at: string | null;
  group_id: string | null;
  location: string | null;
  /** Counted attendance for services where names are not taken. */
  headcount: number | null;
  created_at: string;
  updated_at: string;
}
export type EventRow = Selectable<EventsTable>;
export type EventUpdate = Updateable<EventsTable>;

/** One row per person checked in to an event; the key makes a second check-in a no-op. */
export interface AttendanceTable {
  event_id: string;
  person_id: string;
  checked_in_at: string;
  /** The user who recorded the check-in. */
  checked_in_by: string | null;
}
export type AttendanceRow = Selectable<AttendanceTable>;

declare module '../../tenancy/tenant-database.js' {
  interface TenantDatabase {
    events: EventsTable;
    attendance: AttendanceTable;
  }
}
