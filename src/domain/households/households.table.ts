import type { Insertable, Selectable, Updateable } from 'kysely';
import type { AddressColumns } from '../postal-address.js';

export const HOUSEHOLD_ROLES = ['head', 'spouse', 'adult', 'child', 'other'] as const;
export type HouseholdRole = (typeof HOUSEHOLD_ROLES)[number];

export interface HouseholdsTable extends AddressColumns {
  id: string;
  name: string;
  /** Lower-cased name for search and sort. */
  name_key: string;
  created_at: string;
  updated_at: string;
}
export type HouseholdRow = Selectable<HouseholdsTable>;
export type NewHouseholdRow = Insertable<HouseholdsTable>;
export type HouseholdUpdate = Updateable<HouseholdsTable>;

/** One row per person in a household; person_id is the key, so one household per person. */
export interface HouseholdMembersTable {
  person_id: string;
  household_id: string;
  role: HouseholdRole;
  created_at: string;
}
export type HouseholdMemberRow = Selectable<HouseholdMembersTable>;

declare module '../../tenancy/tenant-database.js' {
  interface TenantDatabase {
    households: HouseholdsTable;
    household_members: HouseholdMembersTable;
  }
}
