import type { Selectable } from 'kysely';

export const CONTACT_KINDS = ['email', 'phone'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

/** A person's emails and phones beyond the primary ones on the people row, in order. */
export interface PersonContactsTable {
  person_id: string;
  kind: ContactKind;
  position: number;
  value: string;
  /** Lower-cased value (emails) for matching on import. */
  value_key: string;
  /** What the source called it: home, work, mobile, ... */
  label: string | null;
}
export type PersonContactRow = Selectable<PersonContactsTable>;

declare module '../../tenancy/tenant-database.js' {
  interface TenantDatabase {
    person_contacts: PersonContactsTable;
  }
}
