import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidV7Millis } from '../../../src/auth/access-token.js';
import { RevocationStore } from '../../../src/auth/revocation-store.js';
import type { AuthContext } from '../../../src/auth/auth-context.js';
import { createTestCatalog } from '../../helpers/auth/catalog.js';
import { DIALECTS } from '../../helpers/dialects.js';

function token(tenantId: string, userId: string, jti = uuidv7(), sessionId?: string): AuthContext {
  const iat = Math.floor(uuidV7Millis(jti) / 1000);
  return { userId, tenantId, role: 'staff', jti, issuedAt: iat, expiresAt: iat + 900, sessionId };
}

describe.each(DIALECTS)('revocation store on %s', (dialect) => {
  let catalog: Awaited<ReturnType<typeof createTestCatalog>>;
  beforeAll(async () => {
    catalog = await createTestCatalog(dialect);
  });
  afterAll(() => catalog.close());

  it('revokes one jti durably without Redis and purges it after expiry', async () => {
    const store = new RevocationStore(catalog.db);
    const t = token(randomUUID(), randomUUID());
    const other = token(t.tenantId, t.userId);
    expect((await store.standing(t)).revoked).toBe(false);
    await store.revokeToken(t.tenantId, t.jti, t.expiresAt);
    await store.revokeToken(t.tenantId, t.jti, t.expiresAt); // idempotent
    expect((await store.standing(t)).revoked).toBe(true);
    expect((await store.standing(other)).revoked).toBe(false);
    expect(await store.purgeExpired(t.expiresAt * 1000 - 1)).toBe(0);
    expect(await store.purgeExpired(t.expiresAt * 1000 + 1)).toBe(1);
    expect((await store.standing(t)).revoked).toBe(false);
  });

  it('refuses every token of a revoked session, and only those, until they would have expired', async () => {
    const store = new RevocationStore(catalog.db);
    const sid = uuidv7();
    const a = token(randomUUID(), randomUUID(), uuidv7(), sid);
    const b = token(a.tenantId, a.userId, uuidv7(), sid);
    const other = token(a.tenantId, a.userId, uuidv7(), uuidv7());
    const noSession = token(a.tenantId, a.userId);
    await store.revokeSession(a.tenantId, sid);
    await store.revokeSession(a.tenantId, sid); // idempotent
    expect((await store.standing(a)).revoked).toBe(true);
    expect((await store.standing(b)).revoked).toBe(true);
    expect((await store.standing(other)).revoked).toBe(false);
    expect((await store.standing(noSession)).revoked).toBe(false);
    // Kept past the longest access-token lifetime, then purged.
    expect(await store.purgeExpired(Date.now() + 900_000)).toBe(0);
    expect(await store.purgeExpired(Date.now() + 961_000)).toBe(1);
    expect((await store.standing(a)).revoked).toBe(false);
  });

  it('refuses every token of a user issued before a cut-off, and only those', async () => {
    const store = new RevocationStore(catalog.db);
    const old = token(randomUUID(), randomUUID());
    const sibling = token(randomUUID(), old.userId); // same user id in another church
    await new Promise((r) => setTimeout(r, 3));
    await store.revokeUserTokens(old.tenantId, old.userId);
    await new Promise((r) => setTimeout(r, 3));
    const fresh = token(old.tenantId, old.userId);
    expect((await store.standing(old)).revoked).toBe(true);
    expect((await store.standing(fresh)).revoked).toBe(false);
    expect((await store.standing(sibling)).revoked).toBe(false);
    // An earlier cut-off written late (a race) never moves it backwards.
    await store.revokeUserTokens(old.tenantId, old.userId, 1);
    expect((await store.standing(old)).revoked).toBe(true);
  });

  it('never reads a revocation half-written in an open catalog transaction (it waits for the outcome)', async () => {
    const store = new RevocationStore(catalog.db);
    const t = token(randomUUID(), randomUUID());
    let inside!: () => void;
    const entered = new Promise<void>((r) => {
      inside = r;
    });
    let finish!: () => void;
    const gate = new Promise<void>((r) => {
      finish = r;
    });
    const txn = catalog.db
      .transaction()
      .execute(async (trx) => {
        await trx
          .insertInto('revoked_tokens')
          .values({ jti: t.jti, tenant_id: t.tenantId, expires_at_ms: t.expiresAt * 1000 })
          .execute();
        inside();
        await gate;
        throw new Error('rolled back');
      })
      .catch(() => 'rolled back');
    await entered;
    const check = store.standing(t).then((s) => s.revoked);
    finish();
    expect(await txn).toBe('rolled back');
    expect(await check).toBe(false);
    expect((await store.standing(t)).revoked).toBe(false);
  });

  it("reads the token's church status in the same query: a suspension shows on the next check", async () => {
    const store = new RevocationStore(catalog.db);
    const t = token(randomUUID(), randomUUID());
    expect(await store.standing(t)).toEqual({ revoked: false, churchStatus: null });
    const now = new Date().toISOString();
    await catalog.db
      .insertInto('tenants')
      .values({
        id: t.tenantId,
        slug: `s-${t.tenantId.slice(0, 8)}`,
        name: 'Standing',
        status: 'active',
        server_id: null,
        timezone: 'UTC',
        currency: 'USD',
        created_at: now,
        updated_at: now,
        last_active_at: null,
      })
      .execute();
    expect(await store.standing(t)).toEqual({ revoked: false, churchStatus: 'active' });
    await catalog.db
      .updateTable('tenants')
      .set({ status: 'suspended' })
      .where('id', '=', t.tenantId)
      .execute();
    await store.revokeToken(t.tenantId, t.jti, t.expiresAt);
    expect(await store.standing(t)).toEqual({ revoked: true, churchStatus: 'suspended' });
  });
});
