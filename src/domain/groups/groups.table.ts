import type { Selectable, Updateable } from 'kysely';

export const GROUP_ROLES = ['leader', 'member'] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];

export interface GroupsTable {
  id: string;
  name: string;
  /** Lower-cased name for search and sort. */
  name_key: string;
  description: string | null;
  created_at: string;
  updated_at: string;
}
export type GroupRow = Selectable<GroupsTable>;
export type GroupUpdate = Updateable<GroupsTable>;

export interface GroupMembersTable {
  group_id: string;
  person_id: string;
  role: GroupRole;
  created_at: string;
}
export type GroupMemberRow = Selectable<GroupMembersTable>;

declare module '../../tenancy/tenant-database.js' {
  interface TenantDatabase {
    groups: GroupsTable;
    group_members: GroupMembersTable;
  }
}
