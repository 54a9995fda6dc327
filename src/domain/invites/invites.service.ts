import { v7 as uuidv7 } from 'uuid';
import type { AuthService, Session } from '../../auth/auth.service.js';
import {
  checkOneTimeToken,
  hashOneTimeToken,
  newOneTimeToken,
  OneTimeTokenErrors,
  tenantOfOneTimeToken,
} from '../../auth/one-time-token.js';
import type { PasswordHasher } from '../../auth/password.js';
import type { Role } from '../../auth/roles.js';
import { createUser, findUserByEmail, findUserById, normalizeEmail } from '../../auth/user.repository.js';
import { Errors } from '../../errors/app-error.js';
import { isUniqueViolation } from '../../infra/db/errors.js';
import type { MailOutbox } from '../../mail/mail-outbox.js';
import type { CatalogDb } from '../../platform/catalog-db.js';
import type { TenantDatabases, TenantDb } from '../../tenancy/tenant-database.js';
import { appendAudit } from '../audit/audit.repository.js';
import { decodeCursor, pageOf } from '../cursor.js';
import { inviteEmail } from './invite.email.js';
import * as repo from './invites.repository.js';
import type { StaffInviteRow } from './invites.table.js';

/** How long an invite link works. */
export const INVITE_TTL_MS = 7 * 24 * 3_600_000;
/** The same invite again within this time sends nothing new (a retried request, a double click). */
const RESEND_AFTER_MS = 60_000;

export type InviteStatus = 'pending' | 'expired' | 'accepted' | 'revoked';

/** An invite as the API shows it: never the token or its hash. */
export interface Invite {
  id: string;
  email: string;
  role: Role;
  status: InviteStatus;
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
}

export interface InvitesDeps {
  catalog: CatalogDb;
  tenants: TenantDatabases;
  hasher: PasswordHasher;
  auth: Pick<AuthService, 'startSession'>;
  outbox: MailOutbox;
  publicUrl: string;
}

/** The admin who acts, in which church. */
export interface InviteActor {
  userId: string;
  tenantId: string;
  requestId: string;
}

/** Where the emailed link points: the console's accept screen, the token in the fragment. */
export const inviteLink = (publicUrl: string, token: string) => `${publicUrl}/accept-invite#token=${token}`;

function statusOf(row: StaffInviteRow, nowIso: string): InviteStatus {
  if (row.accepted_at) return 'accepted';
  if (row.revoked_at) return 'revoked';
  return row.expires_at <= nowIso ? 'expired' : 'pending';
}

function toInvite(row: StaffInviteRow, nowIso = new Date().toISOString()): Invite {
  return {
    id: row.id,
    email: row.email,
    role: row.role as Role,
    status: statusOf(row, nowIso),
    invitedBy: row.invited_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    acceptedAt: row.accepted_at,
    revokedAt: row.revoked_at,
  };
}

/** Staff invites: sent by an admin, accepted through the emailed link by the new member. */
export class StaffInvites {
  constructor(private readonly d: InvitesDeps) {}

  /** Invites an address (again: a new link replaces the old one) and emails the link. */
  async invite(db: TenantDb, actor: InviteActor, input: { email: string; role: Role }): Promise<Invite> {
    const email = normalizeEmail(input.email);
    if (await findUserByEmail(db, email))
      throw Errors.conflict('A staff account with this email already exists.');
    const church = await db.selectFrom('church').select('name').executeTakeFirst();
    const inviter = await findUserById(db, actor.userId);
    const id = await this.d.outbox.transaction(actor.tenantId, db, async (trx, queue) => {
      const now = Date.now();
      const earlier = await repo.findInviteByEmail(trx, email);
      if (
        earlier &&
        statusOf(earlier, new Date(now).toISOString()) === 'pending' &&
        earlier.role === input.role &&
        now - Date.parse(earlier.created_at) < RESEND_AFTER_MS
      )
        return earlier.id;
      const { token, hash } = newOneTimeToken(actor.tenantId);
      const row = {
        id: earlier?.id ?? uuidv7(),
        email,
        role: input.role,
        token_hash: hash,
        invited_by: actor.userId,
        created_at: new Date(now).toISOString(),
        expires_at: new Date(now + INVITE_TTL_MS).toISOString(),
        accepted_at: null,
        revoked_at: null,
      };
      await repo.upsertInvite(trx, row);
      await appendAudit(trx, actor, {
        action: earlier ? 're-invite' : 'invite',
        entity: 'invite',
        entityId: row.id,
        after: { email, role: input.role },
      });
      await queue(
        inviteEmail({
          to: email,
          church: church?.name ?? 'your church',
          role: input.role,
          invitedBy: inviter?.name ?? null,
          link: inviteLink(this.d.publicUrl, token),
        }),
      );
      return row.id;
    });
    return toInvite((await repo.findInviteById(db, id))!);
  }

  async list(db: TenantDb, q: { limit: number; cursor?: string }) {
    const after = decodeCursor(q.cursor, 1);
    const rows = await repo.listInvites(db, { afterId: after?.[0], limit: q.limit + 1 });
    const now = new Date().toISOString();
    return pageOf(
      rows.map((r) => toInvite(r, now)),
      q.limit,
      (i) => [i.id],
    );
  }

  /** Withdraws a pending invite: its link stops working. */
  async revoke(db: TenantDb, actor: InviteActor, id: string): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const row = await repo.findInviteById(trx, id);
      if (!row) throw Errors.notFound('invite');
      if (row.accepted_at)
        throw Errors.conflict('The invite has been accepted; disable the account instead.');
      if (!(await repo.revokeInvite(trx, id, new Date().toISOString()))) return;
      await appendAudit(trx, actor, { action: 'revoke', entity: 'invite', entityId: id });
    });
  }

  /** What the accept screen shows: the church, the address and the role. */
  async inspect(token: string) {
    const { tenant, row } = await this.usable(token);
    return {
      church: { name: tenant.name, slug: tenant.slug },
      email: row.email,
      role: row.role as Role,
      expiresAt: row.expires_at,
    };
  }

  /** Creates the account with the chosen name and password and signs it in (a login's session). */
  async accept(token: string, input: { name: string; password: string }): Promise<Session> {
    const { tenant, tokenHash } = await this.usable(token);
    const passwordHash = await this.d.hasher.hash(input.password);
    return this.d.tenants.withTenant(tenant.id, async (db) => {
      let userId: string;
      try {
        userId = await db.transaction().execute(async (trx) => {
          const now = new Date().toISOString();
          const row = await repo.findInviteByHash(trx, tokenHash);
          if (!(await repo.acceptInvite(trx, tokenHash, now))) {
            checkOneTimeToken(row && { ...row, used_at: row.accepted_at }, now);
            throw Errors.conflict('The invite was accepted at the same moment by another request.');
          }
          const user = await createUser(trx, {
            email: row!.email,
            name: input.name,
            role: row!.role as Role,
            passwordHash,
          });
          await appendAudit(
            trx,
            { userId: user.id, requestId: null },
            { action: 'accept', entity: 'invite', entityId: row!.id, after: { userId: user.id } },
          );
          return user.id;
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw Errors.conflict('A staff account with this email already exists.');
        throw err;
      }
      return this.d.auth.startSession(db, userId, { id: tenant.id, slug: tenant.slug, name: tenant.name });
    });
  }

  /** The church and invite of a link that can still be accepted; a clear 400/410 otherwise. */
  private async usable(token: string) {
    const tenantId = tenantOfOneTimeToken(token);
    const tenant = await this.d.catalog
      .selectFrom('tenants')
      .select(['id', 'slug', 'name', 'status'])
      .where('id', '=', tenantId)
      .executeTakeFirst();
    if (tenant?.status !== 'active') throw OneTimeTokenErrors.invalid();
    const tokenHash = hashOneTimeToken(token);
    const row = await this.d.tenants.withTenant(tenantId, (db) => repo.findInviteByHash(db, tokenHash));
    checkOneTimeToken(row && { ...row, used_at: row.accepted_at }, new Date().toISOString());
    return { tenant, row: row!, tokenHash };
  }
}
