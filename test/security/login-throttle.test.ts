import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../helpers/app.js';
import { createTestChurch, TEST_PASSWORD, type TestChurch } from '../helpers/session.js';

let stack: TestStack;
let church: TestChurch;

beforeAll(async () => {
  stack = await createTestStack('sqlite', { LOGIN_IP_FAILURE_LIMIT: '8', TRUST_PROXY: 'true' });
  church = await createTestChurch(stack, { roles: ['admin', 'staff', 'viewer'] });
});
afterAll(() => stack.close());

const login = (ip: string, email: string, password: string) =>
  stack.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { 'x-forwarded-for': ip },
    payload: { church: church.slug, email, password },
  });

describe('login throttling over HTTP', () => {
  it("5 failures from one address: that address waits, the owner's own address does not", async () => {
    const email = church.users.staff.email;
    expect((await login('10.9.0.1', email, TEST_PASSWORD)).statusCode).toBe(200); // the owner's address
    for (let i = 0; i < 5; i++)
      expect((await login('10.9.6.6', email, 'wrong password')).statusCode).toBe(401);
    const limited = await login('10.9.6.6', email, TEST_PASSWORD);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('RATE_LIMITED');
    expect(limited.headers['retry-after']).toBe('1');
    expect((await login('10.9.0.1', email, TEST_PASSWORD)).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await login('10.9.6.6', email, TEST_PASSWORD)).statusCode).toBe(200);
    // The success ended that address's run: one more failure does not throttle the next try.
    expect((await login('10.9.6.6', email, 'wrong password')).statusCode).toBe(401);
    expect((await login('10.9.6.6', email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('per IP: LOGIN_IP_FAILURE_LIMIT failures over any accounts, then 429 for that IP only', async () => {
    for (let i = 0; i < 8; i++) {
      expect((await login('10.8.0.1', `nobody${i}@x.example`, 'wrong password')).statusCode).toBe(401);
    }
    const limited = await login('10.8.0.1', church.users.viewer.email, TEST_PASSWORD);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(890);
    expect((await login('10.8.0.2', church.users.viewer.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('many successful logins from one address (an office) are never throttled', async () => {
    for (let i = 0; i < 12; i++) {
      expect((await login('10.7.0.1', church.users.admin.email, TEST_PASSWORD)).statusCode).toBe(200);
    }
  });

  it('refresh failures are limited per IP the same way', async () => {
    const bad = (ip: string) =>
      stack.app.inject({
        method: 'POST',
        url: '/api/auth/refresh',
        headers: { 'x-forwarded-for': ip },
        payload: { refreshToken: `${church.id}.${'A'.repeat(43)}` },
      });
    for (let i = 0; i < 8; i++) expect((await bad('10.6.0.1')).statusCode).toBe(401);
    expect((await bad('10.6.0.1')).statusCode).toBe(429);
    expect((await bad('10.6.0.2')).statusCode).toBe(401);
  });

  it('without TRUST_PROXY a forged X-Forwarded-For does not dodge the IP limit', async () => {
    const s = await createTestStack('sqlite', { LOGIN_IP_FAILURE_LIMIT: '2' });
    try {
      const c = await createTestChurch(s, { roles: ['admin'] });
      const attempt = (ip: string) =>
        s.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          headers: { 'x-forwarded-for': ip },
          payload: { church: c.slug, email: `x${ip}@x.example`, password: 'wrong password' },
        });
      expect((await attempt('1.1.1.1')).statusCode).toBe(401);
      expect((await attempt('2.2.2.2')).statusCode).toBe(401);
      expect((await attempt('3.3.3.3')).statusCode).toBe(429);
    } finally {
      await s.close();
    }
  });
});

describe('login flood', () => {
  it('100 concurrent logins to one church queue behind each other: hashing stays bounded, never a 500', async () => {
    const s = await createTestStack('sqlite', { LOGIN_IP_FAILURE_LIMIT: '1000000' });
    try {
      const c = await createTestChurch(s, { roles: ['admin'] });
      const hasher = s.services.deps.auth.hasher;
      let peak = 0;
      const timer = setInterval(() => {
        peak = Math.max(peak, hasher.stats().running);
      }, 1);
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          s.app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { church: c.slug, email: `flood${i}@x.example`, password: 'wrong password' },
          }),
        ),
      );
      clearInterval(timer);
      // Waiting logins cost nothing, so they queue (up to a bound tested with the limit itself)
      // rather than bounce straight back; one church runs one hash at a time.
      expect(results.map((r) => r.statusCode).filter((x) => x !== 401)).toEqual([]);
      expect(peak).toBe(1);
      expect((await s.app.inject({ url: '/api/me', headers: c.as('admin') })).statusCode).toBe(200);
    } finally {
      await s.close();
    }
  });
});
