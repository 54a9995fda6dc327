import type { PasswordHasher } from '../../auth/password.js';
import { revokeUserFamilies } from '../../auth/refresh-token.repository.js';
import type { RevocationStore } from '../../auth/revocation-store.js';
import type { Role } from '../../auth/roles.js';
import {
  createUser,
  findUserById,
  listUsers as listUserRows,
  lockActiveAdmins,
  type PublicUser,
  toPublicUser,
  updateUser as updateUserRow,
} from '../../auth/user.repository.js';
import { Errors } from '../../errors/app-error.js';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type Actor, appendAudit } from '../audit/audit.repository.js';
import { decodeCursor, pageOf } from '../cursor.js';
import { isUniqueViolation } from '../../infra/db/errors.js';

export interface UsersDeps {
  hasher: PasswordHasher;
  revocations: RevocationStore;
}

/** Who acts, and in which church (revocations are keyed by tenant). */
export interface UserActor extends Actor {
  tenantId: string;
}

const audited = (u: PublicUser) => ({ email: u.email, name: u.name, role: u.role, disabled: u.disabled });

export async function listUsers(db: TenantDb, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor, 1);
  const rows = await listUserRows(db, { afterId: after?.[0], limit: q.limit + 1 });
  return pageOf(rows.map(toPublicUser), q.limit, (u) => [u.id]);
}

export async function getUser(db: TenantDb, id: string): Promise<PublicUser> {
  const row = await findUserById(db, id);
  if (!row) throw Errors.notFound('user');
  return toPublicUser(row);
}

export async function addUser(
  db: TenantDb,
  deps: UsersDeps,
  actor: UserActor,
  input: { email: string; name: string; role: Role; password: string },
): Promise<PublicUser> {
  const passwordHash = await deps.hasher.hash(input.password, { church: actor.tenantId });
  try {
    return await db.transaction().execute(async (trx) => {
      const user = toPublicUser(await createUser(trx, { ...input, passwordHash }));
      await appendAudit(trx, actor, {
        action: 'create',
        entity: 'user',
        entityId: user.id,
        after: audited(user),
      });
      return user;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw Errors.conflict('A user with this email already exists.');
    throw err;
  }
}

/** Renames or changes the role; a role change ends every session the user has. */
export async function updateUser(
  db: TenantDb,
  deps: UsersDeps,
  actor: UserActor,
  id: string,
  changes: { name?: string; role?: Role },
): Promise<PublicUser> {
  const { user, roleChanged } = await db.transaction().execute(async (trx) => {
    // The admin lock comes first, before any read, so the check below sees every other write.
    const admins = changes.role !== undefined ? await lockActiveAdmins(trx) : [];
    const before = await getUser(trx, id);
    const roleChanged = changes.role !== undefined && changes.role !== before.role;
    if (roleChanged) keepOneAdmin(admins, id);
    const user = toPublicUser((await updateUserRow(trx, id, changes))!);
    if (roleChanged) await revokeUserFamilies(trx, id);
    await appendAudit(trx, actor, {
      action: 'update',
      entity: 'user',
      entityId: id,
      before: audited(before),
      after: audited(user),
    });
    return { user, roleChanged };
  });
  if (roleChanged) await deps.revocations.revokeUserTokens(actor.tenantId, id, Date.now() + 1);
  return user;
}

/** Disables (ending every session) or re-enables an account. */
export async function setDisabled(
  db: TenantDb,
  deps: UsersDeps,
  actor: UserActor,
  id: string,
  disabled: boolean,
): Promise<PublicUser> {
  if (disabled && id === actor.userId) throw Errors.conflict('You cannot disable your own account.');
  return db.transaction().execute(async (trx) => {
    const admins = disabled ? await lockActiveAdmins(trx) : [];
    const before = await getUser(trx, id);
    if (disabled) {
      keepOneAdmin(admins, id);
      // Revoke before the commit: once disabled is visible, no token of this user may still pass.
      await deps.revocations.revokeUserTokens(actor.tenantId, id, Date.now() + 1);
    }
    const user = toPublicUser((await updateUserRow(trx, id, { disabled: disabled ? 1 : 0 }))!);
    if (disabled) await revokeUserFamilies(trx, id);
    await appendAudit(trx, actor, {
      action: disabled ? 'disable' : 'enable',
      entity: 'user',
      entityId: id,
      before: audited(before),
      after: audited(user),
    });
    return user;
  });
}

/** Refuses to take away the last enabled admin; `admins` are the enabled admins, locked. */
function keepOneAdmin(admins: readonly string[], id: string): void {
  if (admins.includes(id) && admins.length === 1) {
    throw Errors.conflict('A church must keep at least one active admin.');
  }
}
