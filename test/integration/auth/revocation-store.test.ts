import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uuidV7Millis } from '../../../src/auth/access-token.js';
import { RevocationStore } from '../../../src/auth/revocation-store.js';
import type { AuthContext } from '../../../src/auth/auth-context.js';
import { createTestCatalog } from '../../helpers/auth/catalog.js';
import { testRedisPort } from '../../helpers/auth/redis-adapter.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { freePort } from '../../helpers/process.js';
import { TEST_REDIS_URL } from '../../helpers/global-setup.js';

const redisUp = inject('redisAvailable');

function token(tenantId: string, userId: string, jti = uuidv7()): AuthContext {
  const iat = Math.floor(uuidV7Millis(jti) / 1000);
  return { userId, tenantId, role: 'staff', jti, issuedAt: iat, expiresAt: iat + 900 };
}

describe.each(DIALECTS)('revocation store on %s', (dialect) => {
  let catalog: Awaited<ReturnType<typeof createTestCatalog>>;
  beforeAll(async () => {
    catalog = await createTestCatalog(dialect);
  });
  afterAll(() => catalog.close());

  it('revokes one jti durably without Redis and purges it after expiry', async () => {
    const store = new RevocationStore(catalog.db, undefined, undefined);
    const t = token(randomUUID(), randomUUID());
    const other = token(t.tenantId, t.userId);
    expect(await store.isRevoked(t)).toBe(false);
    await store.revokeToken(t.tenantId, t.jti, t.expiresAt);
    await store.revokeToken(t.tenantId, t.jti, t.expiresAt); // idempotent
    expect(await store.isRevoked(t)).toBe(true);
    expect(await store.isRevoked(other)).toBe(false);
    expect(await store.purgeExpired(t.expiresAt * 1000 - 1)).toBe(0);
    expect(await store.purgeExpired(t.expiresAt * 1000 + 1)).toBe(1);
    expect(await store.isRevoked(t)).toBe(false);
  });

  it('refuses every token of a user issued before a cut-off, and only those', async () => {
    const store = new RevocationStore(catalog.db, undefined, undefined);
    const old = token(randomUUID(), randomUUID());
    const sibling = token(randomUUID(), old.userId); // same user id in another church
    await new Promise((r) => setTimeout(r, 3));
    await store.revokeUserTokens(old.tenantId, old.userId);
    await new Promise((r) => setTimeout(r, 3));
    const fresh = token(old.tenantId, old.userId);
    expect(await store.isRevoked(old)).toBe(true);
    expect(await store.isRevoked(fresh)).toBe(false);
    expect(await store.isRevoked(sibling)).toBe(false);
    // An earlier cut-off written late (a race) never moves it backwards.
    await store.revokeUserTokens(old.tenantId, old.userId, 1);
    expect(await store.isRevoked(old)).toBe(true);
  });

  it('never reads a revocation half-written in an open catalog transaction (it waits for the outcome)', async () => {
    const store = new RevocationStore(catalog.db, undefined, undefined);
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
    const check = store.isRevoked(t);
    finish();
    expect(await txn).toBe('rolled back');
    expect(await check).toBe(false);
    expect(await store.isRevoked(t)).toBe(false);
  });

  describe.runIf(redisUp)('with Redis', () => {
    it('a revocation written while Redis was unreachable is refused through a Redis-backed store', async () => {
      // Nothing listens on a fresh free port: connection refused, like Redis being down.
      const down = testRedisPort(`redis://127.0.0.1:${await freePort()}`);
      const up = testRedisPort(TEST_REDIS_URL);
      try {
        await waitFor(() => up.port.isUsable());
        const writer = new RevocationStore(catalog.db, down.port, up.keys);
        const reader = new RevocationStore(catalog.db, up.port, up.keys);
        const t = token(randomUUID(), randomUUID());
        await writer.revokeToken(t.tenantId, t.jti, t.expiresAt);
        expect(await up.client.exists(up.keys.revokedJti(t.jti))).toBe(0); // Redis missed it
        expect(await reader.isRevoked(t)).toBe(true); // still refused
        // Resync restores the entry with a TTL equal to the token's remaining lifetime.
        const before = Date.now();
        await reader.resyncCache();
        const ttl = await up.client.pttl(up.keys.revokedJti(t.jti));
        expect(ttl).toBeGreaterThan(850_000);
        expect(ttl).toBeLessThanOrEqual(t.expiresAt * 1000 - before + 5);
      } finally {
        await down.close();
        await up.close();
      }
    });

    it('writes revocations and cut-offs through to Redis and reads hits from it', async () => {
      const up = testRedisPort(TEST_REDIS_URL);
      try {
        await waitFor(() => up.port.isUsable());
        const store = new RevocationStore(catalog.db, up.port, up.keys);
        const t = token(randomUUID(), randomUUID());
        await store.revokeToken(t.tenantId, t.jti, t.expiresAt);
        await store.revokeUserTokens(t.tenantId, t.userId);
        expect(await up.client.get(up.keys.revokedJti(t.jti))).toBe('1');
        expect(Number(await up.client.get(up.keys.userRevokedBefore(t.tenantId, t.userId)))).toBeGreaterThan(
          0,
        );
        // Redis alone answers "revoked" even after the durable rows are gone.
        await catalog.db.deleteFrom('revoked_tokens').where('jti', '=', t.jti).execute();
        await catalog.db.deleteFrom('user_token_cutoffs').where('user_id', '=', t.userId).execute();
        expect(await store.isRevoked(t)).toBe(true);
      } finally {
        await up.close();
      }
    });
  });
});

async function waitFor(cond: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
