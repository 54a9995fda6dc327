import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgTenantDbName } from '../../../src/tenancy/tenant-id.js';
import { TenantUnavailableError } from '../../../src/tenancy/tenant-errors.js';
import { adminPgUrl, DIALECTS } from '../../helpers/dialects.js';
import { createTenancyFixture, type TenancyFixture } from './tenancy-fixture.js';

// DROP DATABASE forces a checkpoint (~0.7 s each on this shared server), so the default run uses
// 24 tenant databases (2.4x the 10 handles the budget allows: constant eviction and waiting).
// TENANCY_PG_TENANTS=300 runs the full-size version (minutes, mostly dropping).
const TENANTS = Number(process.env.TENANCY_PG_TENANTS ?? 24);
const CONCURRENCY = 50;
const BUDGET = 20;

const pgOnly = DIALECTS.includes('postgres') ? describe : describe.skip;

/** Samples how many backends are connected to the given databases, every few milliseconds. */
function startSampler(names: string[]) {
  const client = new pg.Client({ connectionString: adminPgUrl() });
  let max = 0;
  let samples = 0;
  let running = true;
  const done = (async () => {
    await client.connect();
    while (running) {
      const r = await client.query<{ n: number }>(
        'select count(*)::int as n from pg_stat_activity where datname = any($1)',
        [names],
      );
      max = Math.max(max, r.rows[0]!.n);
      samples++;
      await new Promise((res) => setTimeout(res, 5));
    }
    await client.end();
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return { max, samples };
    },
  };
}

pgOnly('PostgreSQL connection budget', () => {
  let f: TenancyFixture;
  const ids: string[] = [];
  beforeAll(async () => {
    f = await createTenancyFixture('postgres', {
      TENANT_CONNECTION_BUDGET: String(BUDGET),
      TENANT_POOL_MAX: '2',
      TENANT_CACHE_MAX: '100',
      TENANT_ACQUIRE_TIMEOUT_MS: '2000',
    });
    for (let i = 0; i < TENANTS; i++) ids.push(await f.addTenant());
  }, 600_000);
  afterAll(async () => {
    await f?.close(); // drops every tenant database it created
  }, 600_000);

  it(`${TENANTS} tenants at concurrency ${CONCURRENCY} never exceed the budget; waiters end in 503`, async () => {
    const sampler = startSampler(ids.map(pgTenantDbName));
    const errors: unknown[] = [];
    let next = 0;
    let ok = 0;
    const worker = async () => {
      while (next < Math.max(ids.length * 2, 300)) {
        const id = ids[next++ % ids.length]!;
        try {
          await f.manager.withTenant(id, (db) => sql`select count(*) from church`.execute(db));
          ok++;
        } catch (err) {
          errors.push(err);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    // Saturate: hold every budget slot, then ask for more with the budget full.
    const holders = await Promise.all(ids.slice(0, BUDGET / 2).map((id) => f.manager.acquire(id)));
    const started = Date.now();
    const waits = await Promise.all(
      ids.slice(BUDGET, BUDGET + 5).map((id) =>
        f.manager.acquire(id).then(
          (l) => {
            l.release();
            return null;
          },
          (e) => e,
        ),
      ),
    );
    const waited = Date.now() - started;
    for (const h of holders) h.release();
    const { max, samples } = await sampler.stop();

    expect(samples).toBeGreaterThan(10);
    expect(max).toBeLessThanOrEqual(BUDGET);
    expect(errors.filter((e) => !(e instanceof TenantUnavailableError))).toEqual([]);
    expect(errors.map(String).join('\n')).not.toMatch(/too many clients/);
    expect(ok).toBeGreaterThan(150); // most requests succeed; the rest are clean 503s
    expect(waits.every((e) => e instanceof TenantUnavailableError && e.status === 503)).toBe(true);
    expect(waited).toBeLessThan(10_000);
    const s = f.manager.getStats();
    expect(s.connections).toBeLessThanOrEqual(BUDGET);
    expect(s.waiters).toBe(0);
    expect(s.potentialLeaks).toBe(0);
  }, 60_000);
});

pgOnly('closing PostgreSQL tenants during a query', () => {
  let f: TenancyFixture;
  afterAll(async () => {
    await f?.close();
  });

  it('an eviction waits for pg_sleep(1) to finish, then closes; nothing hangs', async () => {
    f = await createTenancyFixture('postgres', { TENANT_CACHE_MAX: '1', TENANT_ACQUIRE_TIMEOUT_MS: '5000' });
    const [a, b] = [await f.addTenant(), await f.addTenant()];
    const slow = f.manager.withTenant(a, (db) => sql`select pg_sleep(1)`.execute(db));
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await f.manager.withTenant(b, (db) => sql`select 1`.execute(db));
    await expect(slow).resolves.toBeTruthy();
    expect(Date.now() - started).toBeLessThan(4000);
    expect(f.manager.getStats()).toMatchObject({ evicted: 1, closed: 1, open: 1, potentialLeaks: 0 });

    const again = f.manager.withTenant(b, (db) => sql`select pg_sleep(1)`.execute(db));
    await new Promise((r) => setTimeout(r, 100));
    await f.manager.close(); // drains the lease, then closes
    await expect(again).resolves.toBeTruthy();
    expect(f.manager.getStats()).toMatchObject({ open: 0, closing: 0, potentialLeaks: 0 });
  }, 30_000);
});
