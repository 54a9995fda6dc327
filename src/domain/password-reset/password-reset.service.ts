import { v7 as uuidv7 } from 'uuid';
import type { AuthService } from '../../auth/auth.service.js';
import type { FailureCounters } from '../../auth/failure-counters.js';
import { accountSubject } from '../../auth/login-throttle.js';
import {
  checkOneTimeToken,
  hashOneTimeToken,
  newOneTimeToken,
  OneTimeTokenErrors,
  tenantOfOneTimeToken,
} from '../../auth/one-time-token.js';
import type { PasswordHasher } from '../../auth/password.js';
import { findUserByEmail, updateUser } from '../../auth/user.repository.js';
import { Errors } from '../../errors/app-error.js';
import { composeMail } from '../../mail/mail-message.js';
import type { MailOutbox } from '../../mail/mail-outbox.js';
import type { CatalogDb } from '../../platform/catalog-db.js';
import { findTenant } from '../../platform/tenant-lifecycle.js';
import type { TenantDatabases } from '../../tenancy/tenant-database.js';
import { appendAudit } from '../audit/audit.repository.js';
import { passwordResetEmail } from './password-reset.email.js';
import {
  findResetByHash,
  insertReset,
  latestReset,
  retireResets,
  useReset,
} from './password-reset.repository.js';

const HOUR = 3_600_000;
/** How long an emailed link works. */
export const RESET_TTL_MS = HOUR;
/** A second request within this time sends nothing new (a retried request, a double click). */
const RESEND_AFTER_MS = 60_000;
/** Requests per account (church + email) and per client IP in an hour: every request counts. */
export const RESET_ACCOUNT_LIMIT = 5;
export const RESET_IP_LIMIT = 30;

export interface PasswordResetDeps {
  catalog: CatalogDb;
  tenants: TenantDatabases;
  hasher: PasswordHasher;
  auth: Pick<AuthService, 'logoutAll'>;
  outbox: MailOutbox;
  counters: FailureCounters;
  publicUrl: string;
  mailFrom: string;
}

/** Where the emailed link points: the console's reset screen, the token in the fragment (never sent to servers). */
export const resetLink = (publicUrl: string, token: string) => `${publicUrl}/reset-password#token=${token}`;

/** Password reset by emailed link: request (no enumeration), confirm (single use, ends every session). */
export class PasswordResets {
  constructor(private readonly d: PasswordResetDeps) {}

  /**
   * Emails a reset link if the church and an enabled user exist. The answer and the work are
   * the same either way: a token is made and a message composed in both branches, and only
   * the real one is stored; the limits count every request, known account or not.
   */
  async request(input: { church: string; email: string }, ip: string): Promise<void> {
    await this.limit(accountSubject(input.church, input.email), ip);
    const tenant = await this.d.catalog
      .selectFrom('tenants')
      .select(['id', 'name', 'status'])
      .where('slug', '=', input.church.trim().toLowerCase())
      .executeTakeFirst();
    const sent = tenant?.status === 'active' ? await this.send(tenant, input.email) : false;
    if (!sent) await this.decoy(input.email);
  }

  /** The operator's reset (`steeple users reset-password`): no limits, and says whether it sent. */
  async requestAsOperator(
    churchRef: string,
    email: string,
  ): Promise<{ tenantId: string; outcome: 'sent' | 'recently-sent' }> {
    const tenant = await findTenant(this.d.catalog, churchRef);
    if (tenant.status !== 'active') throw Errors.notFound('church');
    const user = await this.d.tenants.withTenant(tenant.id, (db) => findUserByEmail(db, email));
    if (!user || user.disabled) throw Errors.notFound('user');
    const fresh = await this.send(tenant, email);
    return { tenantId: tenant.id, outcome: fresh === 'sent' ? 'sent' : 'recently-sent' };
  }

  /** Sets the new password with a valid link, uses the link up, and ends every session of the user. */
  async confirm(input: { token: string; password: string }): Promise<void> {
    const tenantId = tenantOfOneTimeToken(input.token);
    const tokenHash = hashOneTimeToken(input.token);
    const tenant = await this.d.catalog
      .selectFrom('tenants')
      .select(['id', 'status'])
      .where('id', '=', tenantId)
      .executeTakeFirst();
    if (tenant?.status !== 'active') throw OneTimeTokenErrors.invalid();
    // Checked before hashing: a dead link should not cost an argon2 slot.
    const row = await this.d.tenants.withTenant(tenantId, (db) => findResetByHash(db, tokenHash));
    checkOneTimeToken(row, new Date().toISOString());
    const passwordHash = await this.d.hasher.hash(input.password);
    const userId = await this.d.tenants.withTenant(tenantId, (db) =>
      db.transaction().execute(async (trx) => {
        const now = new Date().toISOString();
        if (!(await useReset(trx, tokenHash, now))) {
          checkOneTimeToken(await findResetByHash(trx, tokenHash), now);
          throw Errors.conflict('The link was used at the same moment by another request.');
        }
        await retireResets(trx, row!.user_id, now);
        await updateUser(trx, row!.user_id, { password_hash: passwordHash });
        await appendAudit(
          trx,
          { userId: row!.user_id, requestId: null },
          { action: 'password-reset', entity: 'user', entityId: row!.user_id },
        );
        return row!.user_id;
      }),
    );
    await this.d.auth.logoutAll(tenantId, userId);
  }

  /** Records the link and its email in one transaction; false when there is no such user. */
  private async send(
    tenant: { id: string; name: string },
    email: string,
  ): Promise<false | 'sent' | 'recently-sent'> {
    return this.d.tenants.withTenant(tenant.id, async (db) => {
      const user = await findUserByEmail(db, email);
      if (!user || user.disabled) return false;
      return this.d.outbox.transaction(tenant.id, db, async (trx, queue) => {
        const now = Date.now();
        const last = await latestReset(trx, user.id);
        if (last && !last.used_at && now - Date.parse(last.created_at) < RESEND_AFTER_MS)
          return 'recently-sent';
        const { token, hash } = newOneTimeToken(tenant.id);
        await insertReset(trx, {
          id: uuidv7(),
          user_id: user.id,
          token_hash: hash,
          created_at: new Date(now).toISOString(),
          expires_at: new Date(now + RESET_TTL_MS).toISOString(),
          used_at: null,
        });
        const link = resetLink(this.d.publicUrl, token);
        await queue(passwordResetEmail({ to: user.email, name: user.name, church: tenant.name, link }));
        return 'sent';
      });
    });
  }

  /** The same token and message work as a real request, stored nowhere. */
  private async decoy(email: string): Promise<void> {
    const { token } = newOneTimeToken(uuidv7());
    const message = passwordResetEmail({
      to: email,
      name: email,
      church: 'church',
      link: resetLink(this.d.publicUrl, token),
    });
    await composeMail(message, { id: uuidv7(), from: this.d.mailFrom, date: new Date() });
  }

  private async limit(account: string, ip: string): Promise<void> {
    const now = Date.now();
    const [byAccount, byIp] = await Promise.all([
      this.d.counters.hit('password-reset-account', account, 'fixed', HOUR, now),
      this.d.counters.hit('password-reset-ip', ip, 'fixed', HOUR, now),
    ]);
    const waits = [
      byAccount.count > RESET_ACCOUNT_LIMIT ? byAccount.expiresAtMs - now : 0,
      byIp.count > RESET_IP_LIMIT ? byIp.expiresAtMs - now : 0,
    ];
    const wait = Math.max(...waits);
    if (wait > 0) throw Errors.rateLimited(Math.max(1, Math.ceil(wait / 1000)));
  }
}
