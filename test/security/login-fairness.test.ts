import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { createTestChurch, TEST_PASSWORD, type TestChurch } from '../helpers/session.js';

const FLOOD = 72; // parallel correct logins to the attacker's own church, as the probe sent
const SAMPLES = 30;
const ROUNDS = 3;

// The goal is 2x. On the shared 2-core test machine (load averages of 15 and more), though,
// even one login of another church running beside B's costs B up to ~3x, so the test allows 4x;
// a FIFO hashing queue makes B wait behind the whole flood (tens of times slower) and refuses it.
const BOUND = 4;

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.99) - 1]!;

// One church floods its own logins (correct passwords, each from its own address); another
// church's logins must neither be refused nor wait behind that flood.
describe.each(DIALECTS)('login fairness between churches (catalog on %s)', (dialect) => {
  let stack: TestStack;
  let a: TestChurch;
  let b: TestChurch;

  beforeAll(async () => {
    stack = await createTestStack(dialect, {
      TRUST_PROXY: 'true',
      LOGIN_IP_FAILURE_LIMIT: '1000000',
      LOGIN_SUCCESS_LIMIT: '1000000',
      LOGIN_IP_SUCCESS_LIMIT: '1000000',
    });
    a = await createTestChurch(stack, { roles: ['admin'] });
    b = await createTestChurch(stack, { roles: ['admin'] });
  });
  afterAll(() => stack.close());

  const login = (church: TestChurch, ip: string) =>
    stack.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-forwarded-for': ip },
      payload: { church: church.slug, email: church.users.admin.email, password: TEST_PASSWORD },
    });

  const timedLogins = async (n: number) => {
    const ms: number[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) {
      const started = performance.now();
      statuses.push((await login(b, '10.200.0.1')).statusCode);
      ms.push(performance.now() - started);
    }
    return { ms, statuses };
  };

  it(`B's logins during a flood of ${FLOOD} parallel logins to A: never 503, p99 within ${BOUND}x unloaded`, {
    timeout: 90_000,
  }, async () => {
    await timedLogins(3); // warm-up: handles, statements, JIT
    // Unloaded and loaded batches alternate, so the shared machine's own load weighs on both alike.
    const unloaded: number[] = [];
    const loaded: number[] = [];
    const bStatuses: number[] = [];
    const floodStatuses: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const quiet = await timedLogins(SAMPLES / ROUNDS);
      unloaded.push(...quiet.ms);
      bStatuses.push(...quiet.statuses);

      let flooding = true;
      const worker = async (w: number) => {
        for (let n = 0; flooding; n++) {
          const r = await login(a, `10.${round}.${w}.${n & 255}`);
          floodStatuses.push(r.statusCode);
        }
      };
      const workers = Array.from({ length: FLOOD }, (_, w) => worker(w));
      await new Promise((r) => setTimeout(r, 200)); // the flood is under way
      const busy = await timedLogins(SAMPLES / ROUNDS);
      loaded.push(...busy.ms);
      bStatuses.push(...busy.statuses);
      flooding = false;
      await Promise.all(workers);
    }

    const count = (s: number) => floodStatuses.filter((x) => x === s).length;
    console.info(
      `B login p99: unloaded ${p99(unloaded).toFixed(0)} ms, during the flood ${p99(loaded).toFixed(0)} ms; ` +
        `flood answers: ${count(200)} x 200, ${count(503)} x 503`,
    );
    expect(floodStatuses.length).toBeGreaterThan(FLOOD * ROUNDS); // the flood really ran
    expect(bStatuses.filter((s) => s !== 200)).toEqual([]);
    expect(p99(loaded)).toBeLessThanOrEqual(BOUND * p99(unloaded));
  });
});
