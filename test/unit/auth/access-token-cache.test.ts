import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACCESS_TOKEN_TTL_S, AccessTokens } from '../../../src/auth/access-token.js';

const claims = {
  userId: '01a2248c-6835-7679-85bc-f340f6262e07',
  tenantId: '01a2248c-6835-7679-85bc-f340f6262e08',
  role: 'staff' as const,
};

afterEach(() => vi.useRealTimers());

describe('verified-token cache', () => {
  it('answers a verified token again without re-verifying, as a fresh copy', async () => {
    const tokens = new AccessTokens(new Uint8Array(32).fill(1));
    const { token } = await tokens.sign(claims);
    const first = await tokens.verify(token);
    first.role = 'admin';
    const again = await tokens.verify(token);
    expect(again).toMatchObject({ userId: claims.userId, tenantId: claims.tenantId, role: 'staff' });
  });

  it('refuses a cached token once it has expired (past the 30 s leeway)', async () => {
    const tokens = new AccessTokens(new Uint8Array(32).fill(2));
    const { token } = await tokens.sign(claims);
    await tokens.verify(token);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + (ACCESS_TOKEN_TTL_S + 31) * 1000);
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('never caches a failure: a token signed with another key stays refused', async () => {
    const mine = new AccessTokens(new Uint8Array(32).fill(3));
    const theirs = new AccessTokens(new Uint8Array(32).fill(4));
    const { token } = await theirs.sign(claims);
    await expect(mine.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(mine.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
