import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FailureCounters } from '../../../src/auth/failure-counters.js';
import { ACCOUNT_FREE_FAILURES, backoffMs, LoginThrottle } from '../../../src/auth/login-throttle.js';
import { AppError } from '../../../src/errors/app-error.js';
import { createTestCatalog } from '../../helpers/auth/catalog.js';
import { testRedisPort } from '../../helpers/auth/redis-adapter.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { freePort } from '../../helpers/process.js';
import { TEST_REDIS_URL } from '../../helpers/global-setup.js';

const redisUp = inject('redisAvailable');

async function retryAfterOf(p: Promise<unknown>): Promise<number | 'allowed'> {
  try {
    await p;
    return 'allowed';
  } catch (e) {
    if (e instanceof AppError && e.code === 'RATE_LIMITED') return e.retryAfter!;
    throw e;
  }
}

describe('account back-off', () => {
  it('starts after 5 failures, doubles, and is capped at 15 minutes', () => {
    expect([4, 5, 6, 7, 14, 15, 99].map((n) => backoffMs(n))).toEqual([
      0, 1000, 2000, 4000, 512_000, 900_000, 900_000,
    ]);
    expect([19, 20, 21].map((n) => backoffMs(n, ACCOUNT_FREE_FAILURES))).toEqual([0, 1000, 2000]);
  });
});

describe.each(DIALECTS)('login throttle on %s', (dialect) => {
  let catalog: Awaited<ReturnType<typeof createTestCatalog>>;
  beforeAll(async () => {
    catalog = await createTestCatalog(dialect);
  });
  afterAll(() => catalog.close());

  function throttleAt(clock: { now: number }, redis?: ReturnType<typeof testRedisPort>, ipLimit = 50) {
    const counters = new FailureCounters(catalog.db, redis?.port, redis?.keys);
    return new LoginThrottle(counters, {
      ipFailureLimit: ipLimit,
      accountSuccessLimit: 3,
      ipSuccessLimit: 5,
      now: () => clock.now,
    });
  }

  const cases = redisUp ? (['catalog only', 'Redis'] as const) : (['catalog only'] as const);
  /** Runs `fn` with a throttle over the catalog alone or over Redis too, and a clock it can move. */
  async function withThrottle(
    mode: (typeof cases)[number],
    fn: (t: LoginThrottle, clock: { now: number }) => Promise<void>,
  ) {
    const redis = mode === 'Redis' ? testRedisPort(TEST_REDIS_URL) : undefined;
    try {
      if (redis) await until(() => redis.port.isUsable());
      const clock = { now: Date.now() };
      await fn(throttleAt(clock, redis), clock);
    } finally {
      await redis?.close();
    }
  }
  it.each(cases)(
    'per (account, address) (%s): 5 failures from one address back that address off, not the owner',
    (mode) =>
      withThrottle(mode, async (t, clock) => {
        const account = `grace\n${randomUUID()}@x.org`;
        for (let i = 0; i < 5; i++) {
          expect(await retryAfterOf(t.check('login', '10.0.0.66', account))).toBe('allowed');
          await t.recordFailure('login', '10.0.0.66', account);
        }
        expect(await retryAfterOf(t.check('login', '10.0.0.66', account))).toBe(1);
        for (let i = 5; i < 15; i++) {
          clock.now += backoffMs(i);
          await t.recordFailure('login', '10.0.0.66', account);
        }
        expect(await retryAfterOf(t.check('login', '10.0.0.66', account))).toBe(900);
        // The owner, from their own address, is not locked out by someone else's guesses.
        expect(await retryAfterOf(t.check('login', '10.0.0.1', account))).toBe('allowed');
        await t.recordSuccess('login', '10.0.0.1', account);
        clock.now += 900_000;
        expect(await retryAfterOf(t.check('login', '10.0.0.66', account))).toBe('allowed');
      }),
  );

  it.each(cases)(
    'per account (%s): 20 failures from 20 addresses back off new addresses, not known ones',
    (mode) =>
      withThrottle(mode, async (t, clock) => {
        const account = `grace\n${randomUUID()}@x.org`;
        await t.recordSuccess('login', '10.1.0.1', account); // the owner's address
        for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) {
          expect(await retryAfterOf(t.check('login', `10.0.1.${i}`, account))).toBe('allowed');
          await t.recordFailure('login', `10.0.1.${i}`, account);
        }
        expect(await retryAfterOf(t.check('login', '10.0.2.1', account))).toBe(1);
        for (let i = ACCOUNT_FREE_FAILURES; i < 35; i++) {
          clock.now += backoffMs(i, ACCOUNT_FREE_FAILURES);
          await t.recordFailure('login', `10.0.3.${i}`, account);
        }
        expect(await retryAfterOf(t.check('login', '10.0.2.1', account))).toBe(900);
        expect(await retryAfterOf(t.check('login', '10.0.2.1', 'another account'))).toBe('allowed');
        expect(await retryAfterOf(t.check('login', '10.1.0.1', account))).toBe('allowed');
        // A success ends the run of failures: new addresses are let in again.
        await t.recordSuccess('login', '10.1.0.1', account);
        expect(await retryAfterOf(t.check('login', '10.0.2.1', account))).toBe('allowed');
      }),
  );

  it('never allows more than 100 failures in a row: then the account waits out the whole record, known addresses too', async () => {
    const clock = { now: Date.now() };
    const t = throttleAt(clock, undefined, 1_000_000);
    const account = `grace\n${randomUUID()}`;
    await t.recordSuccess('login', '10.2.0.1', account);
    for (let i = 0; i < 100; i++) {
      expect(await retryAfterOf(t.check('login', `10.2.1.${i}`, account))).toBe('allowed');
      await t.recordFailure('login', `10.2.1.${i}`, account);
      clock.now += backoffMs(i + 1, ACCOUNT_FREE_FAILURES);
    }
    clock.now += 15 * 60_000; // past the longest back-off: still refused
    const left = await retryAfterOf(t.check('login', '10.2.0.1', account));
    expect(left).toBeGreaterThan(3600);
  });

  it('successful logins: per account and per IP, a fixed 15-minute window', async () => {
    const clock = { now: Date.now() };
    const t = throttleAt(clock);
    const [ip, other] = [`ip-${randomUUID()}`, `ip-${randomUUID()}`];
    const account = (i: number) => `grace\n${i}-${ip}@x.org`;
    for (let i = 0; i < 3; i++) {
      expect(await retryAfterOf(t.checkSuccesses(ip, account(0)))).toBe('allowed');
      await t.recordSuccess('login', ip, account(0));
    }
    expect(await retryAfterOf(t.checkSuccesses(other, account(0)))).toBe(900); // the account's limit
    expect(await retryAfterOf(t.checkSuccesses(ip, account(1)))).toBe('allowed');
    await t.recordSuccess('login', ip, account(1));
    await t.recordSuccess('login', ip, account(2));
    expect(await retryAfterOf(t.checkSuccesses(ip, account(3)))).toBe(900); // the IP's limit
    expect(await retryAfterOf(t.checkSuccesses(other, account(3)))).toBe('allowed');
    clock.now += 900_001;
    expect(await retryAfterOf(t.checkSuccesses(ip, account(0)))).toBe('allowed');
  });

  it('per IP: failures only, a fixed 15-minute window', async () => {
    const clock = { now: Date.now() };
    const t = throttleAt(clock, undefined, 3);
    const ip = `ip-${randomUUID()}`;
    for (let i = 0; i < 3; i++) {
      expect(await retryAfterOf(t.check('refresh', ip))).toBe('allowed');
      await t.recordFailure('refresh', ip);
    }
    expect(await retryAfterOf(t.check('refresh', ip))).toBe(900);
    expect(await retryAfterOf(t.check('login', ip))).toBe('allowed'); // separate action
    clock.now += 900_001;
    expect(await retryAfterOf(t.check('refresh', ip))).toBe('allowed');
  });

  it.runIf(redisUp)(
    'counts written to the catalog during a Redis outage still count once Redis is back',
    async () => {
      const down = testRedisPort(`redis://127.0.0.1:${await freePort()}`);
      const up = testRedisPort(TEST_REDIS_URL);
      try {
        await until(() => up.port.isUsable());
        const clock = { now: Date.now() };
        const account = `grace\n${randomUUID()}`;
        const during = new LoginThrottle(new FailureCounters(catalog.db, down.port, up.keys), {
          ipFailureLimit: 50,
          accountSuccessLimit: 3,
          ipSuccessLimit: 5,
          now: () => clock.now,
        });
        for (let i = 0; i < 6; i++) await during.recordFailure('login', '10.1.0.1', account);
        const after = throttleAt(clock, up);
        expect(await retryAfterOf(after.check('login', '10.1.0.1', account))).toBe(2);
      } finally {
        await down.close();
        await up.close();
      }
    },
  );
});

async function until(cond: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
