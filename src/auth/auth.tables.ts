import type { Insertable, Selectable } from 'kysely';

export interface UsersTable {
  id: string;
  /** Lower-cased. */
  email: string;
  name: string;
  role: string;
  /** PHC string (argon2id); never returned by the API. */
  password_hash: string;
  disabled: number;
  created_at: string;
  updated_at: string;
}
export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;

export type RefreshTokenStatus = 'active' | 'rotated' | 'revoked';

export interface RefreshTokensTable {
  id: string;
  token_hash: string;
  family_id: string;
  user_id: string;
  status: RefreshTokenStatus;
  created_at: string;
  expires_at: string;
}
export type RefreshTokenRow = Selectable<RefreshTokensTable>;

export interface RevokedTokensTable {
  jti: string;
  tenant_id: string;
  expires_at_ms: number;
}

export interface UserTokenCutoffsTable {
  tenant_id: string;
  user_id: string;
  revoked_before_ms: number;
  expires_at_ms: number;
}

export interface RevokedSessionsTable {
  /** The `sid` claim: the refresh family the access token was issued with. */
  session_id: string;
  tenant_id: string;
  expires_at_ms: number;
}

export interface AuthFailureCountersTable {
  key: string;
  count: number;
  last_at_ms: number;
  expires_at_ms: number;
}

declare module '../tenancy/tenant-database.js' {
  interface TenantDatabase {
    users: UsersTable;
    refresh_tokens: RefreshTokensTable;
  }
}

declare module '../platform/catalog.table.js' {
  interface CatalogDatabase {
    revoked_tokens: RevokedTokensTable;
    user_token_cutoffs: UserTokenCutoffsTable;
    revoked_sessions: RevokedSessionsTable;
    auth_failure_counters: AuthFailureCountersTable;
  }
}
