import type { Insertable, Selectable, Updateable } from 'kysely';

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'choice', 'yes_no'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

export interface CustomFieldsTable {
  id: string;
  /** Stable machine name: `^[a-z][a-z0-9_]*$`, unique per church; used in the API and imports. */
  key: string;
  label: string;
  type: CustomFieldType;
  /** JSON array of strings for `choice` fields, else null. */
  choices: string | null;
  position: number;
  created_at: string;
  updated_at: string;
}
export type CustomFieldRow = Selectable<CustomFieldsTable>;
export type NewCustomFieldRow = Insertable<CustomFieldsTable>;
export type CustomFieldUpdate = Updateable<CustomFieldsTable>;

/** One person's value of one field, as canonical text (see custom-field-value.ts). */
export interface PersonFieldValuesTable {
  person_id: string;
  field_id: string;
  value: string;
}
export type PersonFieldValueRow = Selectable<PersonFieldValuesTable>;

declare module '../../tenancy/tenant-database.js' {
  interface TenantDatabase {
    custom_fields: CustomFieldsTable;
    person_field_values: PersonFieldValuesTable;
  }
}
