import type { Selectable } from 'kysely';

export interface TagsTable {
  id: string;
  name: string;
  /** Lower-cased name; unique, so "Youth" and "youth" are one tag. */
  name_key: string;
  created_at: string;
}
export type TagRow = Selectable<TagsTable>;

export interface PersonTagsTable {
  person_id: string;
  tag_id: string;
  created_at: string;
}

declare module '../../tenancy/tenant-database.js' {
  interface TenantDatabase {
    tags: TagsTable;
    person_tags: PersonTagsTable;
  }
}
