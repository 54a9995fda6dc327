import type { Logger } from '../infra/logger.js';
import type { CatalogDb } from '../platform/catalog-db.js';
import type { TenantDatabases, TenantDb } from '../tenancy/tenant-database.js';
import { Errors } from '../errors/app-error.js';
import type { AuthContext } from './auth-context.js';
import { ACCESS_TOKEN_TTL_S, type AccessTokens } from './access-token.js';
import { AuthErrors } from './auth.errors.js';
import type { FairConcurrencyLimit } from './fair-concurrency-limit.js';
import type { UserRow } from './auth.tables.js';
import { accountSubject, type LoginThrottle } from './login-throttle.js';
import { needsRehash, type PasswordHasher } from './password.js';
import {
  consumeRefreshToken,
  newRefreshToken,
  parseRefreshToken,
  purgeExpiredRefreshTokens,
  revokeFamily,
  revokeUserFamilies,
  storeRefreshToken,
} from './refresh-token.repository.js';
import type { RevocationStore } from './revocation-store.js';
import type { Role } from './roles.js';
import { findUserByEmail, findUserById, updateUser } from './user.repository.js';

export interface AuthServiceDeps {
  catalog: CatalogDb;
  tenants: TenantDatabases;
  tokens: AccessTokens;
  hasher: PasswordHasher;
  revocations: RevocationStore;
  throttle: LoginThrottle;
  /** Logins in progress, fair between churches and clients (see `login`). */
  logins: FairConcurrencyLimit;
  logger: Logger;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: { id: string; email: string; name: string; role: Role };
  church: { id: string; slug: string; name: string };
}

type Church = Session['church'];

/** Login, refresh rotation, logout and "log out everywhere". */
export class AuthService {
  constructor(private readonly d: AuthServiceDeps) {}

  /**
   * Logins queue fairly per church (by slug, known before any work) and per client, then run:
   * a church flooding its own logins waits behind itself, doing no lookups and holding no hashing
   * slot while it waits, so other churches' logins go ahead.
   */
  login(input: { church: string; email: string; password: string }, ip: string): Promise<Session> {
    const key = { group: input.church.trim().toLowerCase(), member: ip };
    return this.d.logins.run(key, () => this.authenticate(input, ip));
  }

  private async authenticate(
    input: { church: string; email: string; password: string },
    ip: string,
  ): Promise<Session> {
    const account = accountSubject(input.church, input.email);
    await this.d.throttle.check('login', ip, account);
    await this.d.throttle.checkSuccesses(ip, account);
    const tenant = await this.d.catalog
      .selectFrom('tenants')
      .select(['id', 'slug', 'name', 'status'])
      .where('slug', '=', input.church.trim().toLowerCase())
      .executeTakeFirst();
    let user: UserRow | undefined;
    if (tenant?.status === 'active') {
      user = await this.d.tenants.withTenant(tenant.id, (db) => findUserByEmail(db, input.email));
    }
    // Same work and the same answer whether the church or user exists or not. The hash queues
    // behind this church's and this client's other work only (unknown churches share one queue).
    const who = { church: tenant?.status === 'active' ? tenant.id : '', ip };
    const ok =
      user && tenant && user.disabled === 0
        ? await this.d.hasher.verify(user.password_hash, input.password, who)
        : await this.d.hasher.verifyDummy(input.password, who);
    if (!ok || !user || !tenant) {
      await this.d.throttle.recordFailure('login', ip, account);
      throw AuthErrors.invalidCredentials();
    }
    await this.d.throttle.recordSuccess('login', ip, account);
    const church = { id: tenant.id, slug: tenant.slug, name: tenant.name };
    return this.d.tenants.withTenant(tenant.id, async (db) => {
      if (needsRehash(user.password_hash)) {
        await updateUser(db, user.id, { password_hash: await this.d.hasher.hash(input.password, who) });
      }
      return this.startSession(db, user.id, church);
    });
  }

  /** A new refresh family and access token for a user (login, or after a password change). */
  async startSession(db: TenantDb, userId: string, church: Church): Promise<Session> {
    const user = await findUserById(db, userId);
    if (!user || user.disabled) throw Errors.unauthenticated();
    // Rotated rows are kept until expiry (to detect reuse); drop this user's expired ones here.
    await purgeExpiredRefreshTokens(db, user.id);
    const refreshToken = newRefreshToken(church.id);
    const row = await storeRefreshToken(db, { token: refreshToken, userId: user.id });
    return this.session(user, church, refreshToken, row.family_id);
  }

  /** Rotates a refresh token; a replayed (already rotated) token revokes its whole family. */
  async refresh(refreshToken: string, ip: string): Promise<Session> {
    await this.d.throttle.check('refresh', ip);
    const fail = async () => {
      await this.d.throttle.recordFailure('refresh', ip);
      return Errors.unauthenticated();
    };
    const parsed = parseRefreshToken(refreshToken);
    if (!parsed) throw await fail();
    const tenant = await this.d.catalog
      .selectFrom('tenants')
      .select(['id', 'slug', 'name', 'status'])
      .where('id', '=', parsed.tenantId)
      .executeTakeFirst();
    if (tenant?.status !== 'active') throw await fail();
    const church = { id: tenant.id, slug: tenant.slug, name: tenant.name };
    const outcome = await this.d.tenants.withTenant(tenant.id, (db) =>
      db.transaction().execute(async (trx) => {
        const r = await consumeRefreshToken(trx, refreshToken);
        if (r.kind === 'invalid') return null;
        const user = r.kind === 'rotated' ? await findUserById(trx, r.row.user_id) : undefined;
        if (!user || user.disabled) {
          await revokeFamily(trx, r.row.family_id);
          return {
            kind: 'revoked' as const,
            familyId: r.row.family_id,
            reused: r.kind === 'reused',
            userId: r.row.user_id,
          };
        }
        const next = newRefreshToken(tenant.id);
        await storeRefreshToken(trx, { token: next, userId: user.id, familyId: r.row.family_id });
        return { kind: 'rotated' as const, user, next, familyId: r.row.family_id };
      }),
    );
    if (outcome?.kind === 'revoked') {
      if (outcome.reused)
        this.d.logger.warn(
          { tenantId: tenant.id, userId: outcome.userId },
          'refresh token reuse: session revoked',
        );
      // The family's access tokens carry its id as their session: refused from now on, not at expiry.
      await this.d.revocations.revokeSession(tenant.id, outcome.familyId);
    }
    if (outcome?.kind !== 'rotated') throw await fail();
    return this.session(outcome.user, church, outcome.next, outcome.familyId);
  }

  /** Ends this session: its access tokens (this one, and any other of its refresh family) and the family. */
  async logout(auth: AuthContext): Promise<void> {
    const sid = auth.sessionId;
    if (!sid) return this.d.revocations.revokeToken(auth.tenantId, auth.jti, auth.expiresAt);
    await this.d.revocations.revokeSession(auth.tenantId, sid);
    await this.d.tenants.withTenant(auth.tenantId, (db) => revokeFamily(db, sid, auth.userId));
  }

  /** Revokes every token of the user issued until now, and all their refresh families. */
  async logoutAll(tenantId: string, userId: string): Promise<void> {
    // +1 ms: a token minted in the very millisecond of the revocation is refused too.
    const cutoff = Date.now() + 1;
    await this.d.revocations.revokeUserTokens(tenantId, userId, cutoff);
    await this.d.tenants.withTenant(tenantId, (db) => revokeUserFamilies(db, userId));
    // Whatever is issued next (a fresh session after a password change) must be after the cut-off.
    while (Date.now() <= cutoff) await new Promise((r) => setTimeout(r, 1));
  }

  private async session(
    user: UserRow,
    church: Church,
    refreshToken: string,
    familyId: string,
  ): Promise<Session> {
    const role = user.role as Role;
    const access = await this.d.tokens.sign({
      userId: user.id,
      tenantId: church.id,
      role,
      sessionId: familyId,
    });
    return {
      accessToken: access.token,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: ACCESS_TOKEN_TTL_S,
      user: { id: user.id, email: user.email, name: user.name, role },
      church,
    };
  }
}
