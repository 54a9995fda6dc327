import type { Role } from './roles.js';

/** Who is calling, from the verified access token only. */
export interface AuthContext {
  userId: string;
  tenantId: string;
  role: Role;
  jti: string;
  /** Seconds since epoch, from the token. */
  issuedAt: number;
  expiresAt: number;
  /** The refresh-token family this access token was issued with (`sid` claim); logout revokes it. */
  sessionId?: string;
}
