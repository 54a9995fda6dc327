import type { AuthService, Session } from '../../auth/auth.service.js';
import { accountSubject, type LoginThrottle } from '../../auth/login-throttle.js';
import type { PasswordHasher } from '../../auth/password.js';
import { findUserById, type PublicUser, toPublicUser, updateUser } from '../../auth/user.repository.js';
import type { TenantSummary } from '../../auth/tenant-status-cache.js';
import { Errors } from '../../errors/app-error.js';
import type { AuthContext } from '../../auth/auth-context.js';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { appendAudit } from '../audit/audit.repository.js';

export interface MeDeps {
  hasher: PasswordHasher;
  throttle: LoginThrottle;
  service: AuthService;
  church(tenantId: string): Promise<TenantSummary | null>;
}

export interface Me {
  user: PublicUser;
  church: { id: string; slug: string; name: string };
}

export async function getMe(db: TenantDb, deps: MeDeps, auth: AuthContext): Promise<Me> {
  const row = await findUserById(db, auth.userId);
  const church = await deps.church(auth.tenantId);
  // A token outlives nothing it names: a missing user or church means the session is over.
  if (!row || !church) throw Errors.unauthenticated();
  return { user: toPublicUser(row), church: { id: church.id, slug: church.slug, name: church.name } };
}

export async function renameMe(
  db: TenantDb,
  deps: MeDeps,
  auth: AuthContext,
  requestId: string,
  name: string,
): Promise<Me> {
  await db.transaction().execute(async (trx) => {
    const before = await findUserById(trx, auth.userId);
    if (!before) throw Errors.unauthenticated();
    await updateUser(trx, auth.userId, { name });
    await appendAudit(
      trx,
      { userId: auth.userId, requestId },
      {
        action: 'update',
        entity: 'user',
        entityId: auth.userId,
        before: { name: before.name },
        after: { name },
      },
    );
  });
  return getMe(db, deps, auth);
}

/**
 * Changes the caller's password after checking the current one (failures count towards the
 * account's login throttle), ends every other session, and returns a fresh one for this device.
 */
export async function changePassword(
  db: TenantDb,
  deps: MeDeps,
  auth: AuthContext,
  request: { ip: string; id: string },
  input: { currentPassword: string; newPassword: string },
): Promise<Session> {
  const ip = request.ip;
  const user = await findUserById(db, auth.userId);
  const church = await deps.church(auth.tenantId);
  if (!user || !church) throw Errors.unauthenticated();
  const account = accountSubject(church.slug, user.email);
  await deps.throttle.check('login', ip, account);
  const who = { church: auth.tenantId, ip };
  if (!(await deps.hasher.verify(user.password_hash, input.currentPassword, who))) {
    await deps.throttle.recordFailure('login', ip, account);
    throw Errors.validation([{ path: '/body/currentPassword', message: 'is not your current password' }]);
  }
  await updateUser(db, user.id, { password_hash: await deps.hasher.hash(input.newPassword, who) });
  await appendAudit(
    db,
    { userId: user.id, requestId: null },
    {
      action: 'password-change',
      entity: 'user',
      entityId: user.id,
    },
  );
  await deps.service.logoutAll(auth.tenantId, user.id);
  return deps.service.startSession(db, user.id, church);
}
