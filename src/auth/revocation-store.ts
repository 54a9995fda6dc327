import { sql } from 'kysely';
import { queryTemplate } from '../infra/db/query-template.js';
import type { CatalogDb } from '../platform/catalog-db.js';
import type { TenantStatus } from '../platform/catalog.table.js';
import type { AuthContext } from './auth-context.js';
import { ACCESS_TOKEN_TTL_S, uuidV7Millis } from './access-token.js';
import './auth.tables.js';

// A revocation must outlive every token it refuses: the longest access token plus clock leeway.
const REVOCATION_TTL_MS = (ACCESS_TOKEN_TTL_S + 60) * 1000;

// One round trip for the three revocations and the church's status (index reads), built once:
// it runs on every authenticated request.
const lookupQuery = queryTemplate(
  (catalog: CatalogDb, a: { jti: string; session: string; tenant: string; user: string }) =>
    catalog.selectNoFrom((eb) => [
      eb.selectFrom('revoked_tokens').select(sql<number>`1`.as('x')).where('jti', '=', a.jti).as('jti_hit'),
      eb
        .selectFrom('revoked_sessions')
        .select(sql<number>`1`.as('x'))
        .where('session_id', '=', a.session)
        .as('session_hit'),
      eb
        .selectFrom('user_token_cutoffs')
        .select('revoked_before_ms')
        .where('tenant_id', '=', a.tenant)
        .where('user_id', '=', a.user)
        .as('cutoff'),
      eb.selectFrom('tenants').select('status').where('id', '=', a.tenant).as('church_status'),
    ]),
);

/** What the per-request catalog read says about a token. */
export interface TokenStanding {
  revoked: boolean;
  /** The status of the token's church; null when there is no such church. */
  churchStatus: TenantStatus | null;
}

/**
 * Revoked access tokens, in the catalog only: a revocation is acknowledged once it is committed
 * there, and every authenticated request reads it there (one indexed query, which also reads the
 * church's status), so a revocation holds on every instance at once, with or without Redis. A Redis copy in front of it could only
 * answer "revoked"; "not revoked" would still need this read, so it saved nothing.
 */
export class RevocationStore {
  constructor(private readonly catalog: CatalogDb) {}

  /** Revokes one access token until its own expiry (seconds since epoch). */
  async revokeToken(tenantId: string, jti: string, expiresAtS: number): Promise<void> {
    await this.catalog
      .insertInto('revoked_tokens')
      .values({ jti, tenant_id: tenantId, expires_at_ms: expiresAtS * 1000 })
      .onConflict((oc) => oc.column('jti').doNothing())
      .execute();
  }

  /** Revokes every access token carrying this session id (`sid`, the refresh family). */
  async revokeSession(tenantId: string, sessionId: string, atMs = Date.now()): Promise<void> {
    await this.catalog
      .insertInto('revoked_sessions')
      .values({ session_id: sessionId, tenant_id: tenantId, expires_at_ms: atMs + REVOCATION_TTL_MS })
      .onConflict((oc) => oc.column('session_id').doNothing())
      .execute();
  }

  /** Revokes every token of the user issued before `atMs` (logout-all, password, role, disable). */
  async revokeUserTokens(tenantId: string, userId: string, atMs = Date.now()): Promise<void> {
    const expiresAtMs = atMs + REVOCATION_TTL_MS;
    await this.catalog
      .insertInto('user_token_cutoffs')
      .values({ tenant_id: tenantId, user_id: userId, revoked_before_ms: atMs, expires_at_ms: expiresAtMs })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'user_id']).doUpdateSet({
          // Never move a cut-off backwards (two revocations racing).
          revoked_before_ms: sql`case when user_token_cutoffs.revoked_before_ms > excluded.revoked_before_ms then user_token_cutoffs.revoked_before_ms else excluded.revoked_before_ms end`,
          expires_at_ms: sql`case when user_token_cutoffs.expires_at_ms > excluded.expires_at_ms then user_token_cutoffs.expires_at_ms else excluded.expires_at_ms end`,
        }),
      )
      .execute();
  }

  /**
   * The one catalog read of an authenticated request: whether the token was revoked (by its
   * jti, its session, or a cut-off of its user) and its church's status, so a revocation and
   * a suspension both hold from the next request on.
   */
  async standing(auth: AuthContext): Promise<TokenStanding> {
    const row = (
      await lookupQuery(this.catalog, {
        jti: auth.jti,
        session: auth.sessionId ?? '',
        tenant: auth.tenantId,
        user: auth.userId,
      })
    )[0]!;
    const revoked =
      row.jti_hit != null ||
      row.session_hit != null ||
      (row.cutoff != null && uuidV7Millis(auth.jti) < Number(row.cutoff));
    return { revoked, churchStatus: row.church_status ?? null };
  }

  /** Deletes revocations whose tokens have expired anyway. */
  async purgeExpired(now = Date.now()): Promise<number> {
    let deleted = 0;
    for (const table of ['revoked_tokens', 'revoked_sessions', 'user_token_cutoffs'] as const) {
      const r = await this.catalog.deleteFrom(table).where('expires_at_ms', '<=', now).executeTakeFirst();
      deleted += Number(r.numDeletedRows);
    }
    return deleted;
  }
}
