import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../helpers/app.js';
import { addTestUser, createTestChurch, type TestChurch, type TestUser } from '../helpers/session.js';

// RELIABILITY 24: no user enumeration by timing. Known and unknown users are measured side by
// side (interleaved) so machine load affects both alike; the bound is the 50 ms.
const ROUNDS = 12;
const BOUND_MS = 50;

let stack: TestStack;
let church: TestChurch;
const known: TestUser[] = [];

beforeAll(async () => {
  stack = await createTestStack('sqlite', { LOGIN_IP_FAILURE_LIMIT: '1000000' });
  church = await createTestChurch(stack, { roles: ['admin'] });
  // One user per attempt, so no account reaches the back-off (a 429 would be faster).
  for (let i = 0; i < ROUNDS; i++) known.push(await addTestUser(stack, church, 'viewer'));
});
afterAll(() => stack.close());

async function timed(payload: object): Promise<{ ms: number; status: number; body: string }> {
  const start = process.hrtime.bigint();
  const res = await stack.app.inject({ method: 'POST', url: '/api/auth/login', payload });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, status: res.statusCode, body: JSON.stringify({ ...res.json(), requestId: 0 }) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

describe('login timing', () => {
  it(`known user (wrong password), unknown user and unknown church: medians within ${BOUND_MS} ms`, async () => {
    // Warm-up: the dummy hash and the tenant handle are created once, not per attempt.
    await timed({ church: church.slug, email: 'warm@x.example', password: 'wrong password' });
    const k: number[] = [];
    const u: number[] = [];
    const c: number[] = [];
    const bodies = new Set<string>();
    for (let i = 0; i < ROUNDS; i++) {
      const a = await timed({ church: church.slug, email: known[i]!.email, password: 'wrong password' });
      const b = await timed({
        church: church.slug,
        email: `ghost${i}@x.example`,
        password: 'wrong password',
      });
      const d = await timed({ church: `no-church-${i}`, email: known[i]!.email, password: 'wrong password' });
      for (const r of [a, b, d]) {
        expect(r.status).toBe(401);
        bodies.add(r.body);
      }
      k.push(a.ms);
      u.push(b.ms);
      c.push(d.ms);
    }
    expect(bodies.size).toBe(1);
    const [mk, mu, mc] = [median(k), median(u), median(c)];
    console.info(
      `login medians: known ${mk.toFixed(1)} ms, unknown user ${mu.toFixed(1)} ms, unknown church ${mc.toFixed(1)} ms`,
    );
    expect(Math.abs(mk - mu)).toBeLessThan(BOUND_MS);
    expect(Math.abs(mk - mc)).toBeLessThan(BOUND_MS);
  });
});
