import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors/app-error.js';
import { isTenantId } from '../tenancy/tenant-id.js';

/**
 * A single-use token sent by email (invites, password resets): `<church id>.<256 random bits>`,
 * so the public route that takes it knows which church database to open. Only its SHA-256 is
 * stored: a leaked database holds no usable link.
 */
export function newOneTimeToken(tenantId: string): { token: string; hash: string } {
  const token = `${tenantId}.${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashOneTimeToken(token) };
}

export function hashOneTimeToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The church of a well-formed token; anything else is a 400 TOKEN_INVALID. */
export function tenantOfOneTimeToken(token: string): string {
  const [tenantId = '', secret = '', extra] = token.split('.');
  if (extra !== undefined || !isTenantId(tenantId) || !/^[A-Za-z0-9_-]{43}$/.test(secret)) {
    throw OneTimeTokenErrors.invalid();
  }
  return tenantId;
}

/** A stored token's state, checked in this order: unknown, used, revoked, expired. */
export function checkOneTimeToken(
  row: { used_at: string | null; expires_at: string; revoked_at?: string | null } | undefined,
  nowIso: string,
): void {
  if (!row) throw OneTimeTokenErrors.invalid();
  if (row.used_at) throw new AppError('TOKEN_USED', 'This link has already been used; ask for a new one.');
  if (row.revoked_at) throw new AppError('TOKEN_REVOKED', 'This link has been withdrawn.');
  if (row.expires_at <= nowIso)
    throw new AppError('TOKEN_EXPIRED', 'This link has expired; ask for a new one.');
}

export const OneTimeTokenErrors = {
  invalid: () =>
    new AppError('TOKEN_INVALID', 'This link is not valid. Check that it was copied whole.', {
      errors: [{ path: '/body/token', message: 'is not a valid link token' }],
    }),
};
