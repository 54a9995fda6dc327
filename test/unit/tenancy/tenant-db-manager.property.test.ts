import fc from 'fast-check';
import { sql } from 'kysely';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteTenantDriver } from '../../../src/tenancy/sqlite-tenant-driver.js';
import type { TenantLease } from '../../../src/tenancy/tenant-database.js';
import { TenantDbManager } from '../../../src/tenancy/tenant-db-manager.js';
import { TenantUnavailableError } from '../../../src/tenancy/tenant-errors.js';
import { TENANT_SCHEMA_VERSION } from '../../../src/tenancy/tenant-migrations.js';
import { tempDataDir, testLogger } from '../../helpers/config.js';
import { type CloseFault, FaultDriver, sleep, staticLocator } from './fault-driver.js';

const TENANTS = 5;
const CACHE_MAX = 3;

type Op =
  | { kind: 'acquire'; t: number }
  | { kind: 'concurrent'; t: number; n: number }
  | { kind: 'release'; i: number }
  | { kind: 'sweep' }
  | { kind: 'fault'; f: CloseFault }
  | { kind: 'slowOpen'; on: boolean }
  | { kind: 'tick'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('acquire' as const), t: fc.nat(TENANTS - 1) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('concurrent' as const),
      t: fc.nat(TENANTS - 1),
      n: fc.integer({ min: 2, max: 5 }),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('release' as const), i: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sweep' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('fault' as const),
      f: fc.constantFrom<CloseFault>('slow', 'hang', 'fail'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('slowOpen' as const), on: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 30 }) }),
  },
);

describe('TenantDbManager under random interleavings (real SQLite files)', () => {
  const data = tempDataDir();
  const ids = Array.from({ length: TENANTS }, () => v7());
  beforeAll(async () => {
    const driver = new SqliteTenantDriver({ dataDir: data.dir, cacheKb: 256 });
    for (const tenantId of ids) await driver.create({ tenantId, serverUrl: null });
  });
  afterAll(() => data.cleanup());

  it('never closes a leased handle, stays bounded, keeps one handle per tenant, leaks nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), async (ops) => {
        const driver = new FaultDriver(new SqliteTenantDriver({ dataDir: data.dir, cacheKb: 256 }));
        const manager = new TenantDbManager({
          locator: staticLocator(ids, TENANT_SCHEMA_VERSION),
          drivers: { sqlite: driver },
          logger: testLogger(),
          cacheMax: CACHE_MAX,
          closeTimeoutMs: 50,
          idleTimeoutMs: 60_000,
          connectionBudget: 80,
          acquireTimeoutMs: 100,
        });
        const held: TenantLease[] = [];
        const pending: Promise<unknown>[] = [];
        driver.onCloseStart = (tenantId, handle) =>
          held.some((l) => l.tenantId === tenantId && l.db === handle.db)
            ? `closed a leased handle of ${tenantId}`
            : undefined;

        const take = (t: number) =>
          manager.acquire(ids[t]!).then(
            async (lease) => {
              // A lease is usable: a real query on the real file.
              await sql`select 1 as x`.execute(lease.db);
              held.push(lease);
            },
            (err) => {
              // The only acceptable failure: every slot leased, wait timed out.
              if (!(err instanceof TenantUnavailableError)) throw err;
            },
          );

        const check = () => {
          const s = manager.getStats();
          expect(driver.violations).toEqual([]);
          expect(s.open).toBeLessThanOrEqual(CACHE_MAX);
          const status = manager.getStatus();
          expect(new Set(status.map((x) => x.tenantId)).size).toBe(status.length);
          for (const t of ids) {
            const dbs = new Set(held.filter((l) => l.tenantId === t).map((l) => l.db));
            expect(dbs.size).toBeLessThanOrEqual(1);
          }
        };

        for (const op of ops) {
          switch (op.kind) {
            case 'acquire':
              pending.push(take(op.t));
              break;
            case 'concurrent':
              pending.push(Promise.all(Array.from({ length: op.n }, () => take(op.t))));
              break;
            case 'release': {
              const lease = held.splice(op.i % Math.max(1, held.length), 1)[0];
              lease?.release();
              lease?.release(); // idempotent
              break;
            }
            case 'sweep':
              pending.push(manager.sweepIdle(Date.now() + 120_000));
              break;
            case 'fault':
              driver.nextClose = op.f;
              break;
            case 'slowOpen':
              driver.openDelayMs = op.on ? 15 : 0;
              break;
            case 'tick':
              await sleep(op.ms);
              break;
          }
          await sleep(0);
          check();
        }

        await Promise.all(pending);
        check();
        for (const lease of held.splice(0)) lease.release();
        await manager.sweepIdle(Date.now() + 120_000);
        await manager.close();
        // Quiet: hung closes finish late and still count as closed.
        for (let i = 0; i < 40 && driver.handles.some((h) => h.closeStarted && !h.closed); i++)
          await sleep(10);
        const s = manager.getStats();
        expect(driver.violations).toEqual([]);
        expect(s.open).toBe(0);
        expect(s.closing).toBe(0);
        expect(s.leased).toBe(0);
        expect(s.waiters).toBe(0);
        // A failed close is the only thing that may remain a potential leak.
        expect(s.potentialLeaks).toBe(s.closeErrors);
        expect(driver.handles.every((h) => h.closed)).toBe(true);
        expect(s.created).toBe(driver.handles.length);
      }),
      { numRuns: 60 },
    );
  });
});
