import type { Selectable } from 'kysely';

/** One emailed password-reset link: single use, short-lived; only the token's hash is kept. */
export interface PasswordResetsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}
export type PasswordResetRow = Selectable<PasswordResetsTable>;

declare module '../../tenancy/tenant-database.js' {
  interface TenantDatabase {
    password_resets: PasswordResetsTable;
  }
}
