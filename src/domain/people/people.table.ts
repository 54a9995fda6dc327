import type { Insertable, Selectable, Updateable } from 'kysely';

export const MEMBERSHIP_STATUSES = ['visitor', 'regular', 'member', 'inactive'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

export interface PeopleTable {
  id: string;
  first_name: string;
  last_name: string;
  middle_name: string | null;
  suffix: string | null;
  preferred_name: string | null;
  email: string | null;
  phone: string | null;
  /** YYYY-MM-DD, or --MM-DD when the year is not known. */
  birth_date: string | null;
  gender: string | null;
  membership_status: MembershipStatus;
  notes: string | null;
  /** Lower-cased copies for case-insensitive search and sort. */
  first_name_key: string;
  last_name_key: string;
  preferred_name_key: string | null;
  email_key: string | null;
  created_at: string;
  updated_at: string;
}
export type PersonRow = Selectable<PeopleTable>;
export type NewPersonRow = Insertable<PeopleTable>;
export type PersonUpdate = Updateable<PeopleTable>;

declare module '../../tenancy/tenant-database.js' {
  interface TenantDatabase {
    people: PeopleTable;
  }
}
