import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../src/auth/password.js';
import {
  consumeRefreshToken,
  hashRefreshToken,
  newRefreshToken,
  parseRefreshToken,
  purgeExpiredRefreshTokens,
  revokeFamily,
  revokeUserFamilies,
  storeRefreshToken,
} from '../../../src/auth/refresh-token.repository.js';
import { createUser } from '../../../src/auth/user.repository.js';
import type { TenantDb } from '../../../src/tenancy/tenant-database.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { createTestTenantDb } from '../../helpers/tenant-db.js';

describe('refresh token format', () => {
  it('carries the tenant id and 32 random bytes, stored only as a hash', () => {
    const tenantId = randomUUID();
    const t = newRefreshToken(tenantId);
    expect(parseRefreshToken(t)).toEqual({ tenantId });
    expect(hashRefreshToken(t)).toMatch(/^[0-9a-f]{64}$/);
    for (const bad of ['', 'x', `${tenantId}.short`, `../x.${'a'.repeat(43)}`, `${t}.extra`]) {
      expect(parseRefreshToken(bad)).toBeNull();
    }
  });
});

describe.each(DIALECTS)('refresh token rotation on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestTenantDb>>;
  let db: TenantDb;
  let userId: string;
  const tenantId = randomUUID();
  beforeAll(async () => {
    t = await createTestTenantDb(dialect);
    db = t.db;
    const u = await createUser(db, {
      email: 'Ana@Example.org',
      name: 'Ana',
      role: 'admin',
      passwordHash: await hashPassword('long enough password'),
    });
    userId = u.id;
    expect(u.email).toBe('ana@example.org');
  });
  afterAll(() => t.close());

  it('R1 gives R2; replaying R1 is reuse and revokes R2 with the whole family', async () => {
    const r1 = newRefreshToken(tenantId);
    const first = await storeRefreshToken(db, { token: r1, userId });
    const c1 = await consumeRefreshToken(db, r1);
    expect(c1.kind).toBe('rotated');
    const r2 = newRefreshToken(tenantId);
    await storeRefreshToken(db, { token: r2, userId, familyId: first.family_id });

    const replay = await consumeRefreshToken(db, r1);
    expect(replay.kind).toBe('reused');
    await revokeFamily(db, first.family_id);
    expect((await consumeRefreshToken(db, r2)).kind).toBe('invalid');
    expect((await consumeRefreshToken(db, newRefreshToken(tenantId))).kind).toBe('invalid');
  });

  it('of parallel refreshes with one token, exactly one rotates it', async () => {
    const r = newRefreshToken(tenantId);
    await storeRefreshToken(db, { token: r, userId });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => db.transaction().execute((trx) => consumeRefreshToken(trx, r))),
    );
    expect(results.filter((x) => x.kind === 'rotated')).toHaveLength(1);
    expect(results.filter((x) => x.kind === 'reused')).toHaveLength(7);
  });

  it('expired and user-revoked tokens are invalid', async () => {
    const old = newRefreshToken(tenantId);
    await storeRefreshToken(db, { token: old, userId, now: new Date(Date.now() - 31 * 24 * 3600 * 1000) });
    expect((await consumeRefreshToken(db, old)).kind).toBe('invalid');
    expect(await purgeExpiredRefreshTokens(db, randomUUID())).toBe(0); // another user's: untouched
    expect(await purgeExpiredRefreshTokens(db, userId)).toBe(1);
    const a = newRefreshToken(tenantId);
    const b = newRefreshToken(tenantId);
    await storeRefreshToken(db, { token: a, userId });
    await storeRefreshToken(db, { token: b, userId });
    await revokeUserFamilies(db, userId);
    expect((await consumeRefreshToken(db, a)).kind).toBe('invalid');
    expect((await consumeRefreshToken(db, b)).kind).toBe('invalid');
  });
});
