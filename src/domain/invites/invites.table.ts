import type { Selectable } from 'kysely';

/**
 * A staff invite: one row per email. Re-inviting rewrites the row with a new token (the old
 * link stops working); only the token's SHA-256 is kept.
 */
export interface StaffInvitesTable {
  id: string;
  /** Lower-cased. */
  email: string;
  role: string;
  token_hash: string;
  invited_by: string | null;
  /** When the current link was sent. */
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}
export type StaffInviteRow = Selectable<StaffInvitesTable>;

declare module '../../tenancy/tenant-database.js' {
  interface TenantDatabase {
    staff_invites: StaffInvitesTable;
  }
}
