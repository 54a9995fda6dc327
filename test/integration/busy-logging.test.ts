import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.js';
import { buildTestApp, createTestStack, type TestStack } from '../helpers/app.js';
import { createTestChurch, type TestChurch } from '../helpers/session.js';
import type { TenantLease } from '../../src/tenancy/tenant-database.js';

// A burst of 503s (here: every church database slot leased, waits past their deadline) is
// expected under load: one warning with its reason, never an error with a stack per request.
describe.each(DIALECTS)('logging of "busy" answers (catalog on %s)', (dialect) => {
  let stack: TestStack;
  let a: TestChurch;
  let b: TestChurch;
  let held: TenantLease;
  const lines: Array<{ level: number; msg: string; reason?: string; err?: unknown }> = [];

  beforeAll(async () => {
    stack = await createTestStack(dialect, { TENANT_CACHE_MAX: '1', TENANT_ACQUIRE_TIMEOUT_MS: '50' });
    a = await createTestChurch(stack, { roles: ['admin'] });
    b = await createTestChurch(stack, { roles: ['admin'] });
    held = await stack.services.deps.tenants.acquire(a.id); // the only slot, leased
  });
  afterAll(async () => {
    held.release();
    await stack.close();
  });

  it('twenty 503s in a row: one warning naming the reason, no error lines', async () => {
    const logger = pino({ level: 'info' }, { write: (l: string) => lines.push(JSON.parse(l)) });
    const app = await buildTestApp({ ...stack.services.deps, logger });
    try {
      for (let i = 0; i < 20; i++) {
        const res = await app.inject({ url: '/api/people', headers: b.as('admin') });
        expect(res.statusCode).toBe(503);
        expect(res.json().code).toBe('TENANT_UNAVAILABLE');
      }
    } finally {
      await app.close();
    }
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.reason).toBe(
      'TENANT_UNAVAILABLE: The church database is temporarily unavailable. (budget)',
    );
    expect(warnings[0]!.err).toBeUndefined(); // no stack
  });
});
