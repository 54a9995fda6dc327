import type { Role } from '../../../src/auth/roles.js';
import type { TenantDb, TenantLease } from '../../../src/tenancy/tenant-database.js';
import { createTestStack, type TestStack } from '../../helpers/app.js';
import type { Dialect } from '../../helpers/dialects.js';
import type { TestChurch } from '../../helpers/session.js';
import { createGivingChurch } from '../giving/giving-church.js';

type Church = TestChurch & { drop(): Promise<void> };

/**
 * Two churches ("Church A" and "Church B") behind the full app: buildApp, the real tenant-context
 * hook, verified tokens for each role, tenant databases on `dialect` (catalog too). `dbA`/`dbB`
 * are leases on the churches' databases, held for the harness's life, for direct assertions.
 */
export async function createDomainStack(dialect: Dialect) {
  const stack: TestStack = await createTestStack(dialect);
  const made: Church[] = [];
  const leases: TenantLease[] = [];
  const close = async () => {
    for (const l of leases) l.release();
    await stack.close();
    for (const c of made) await c.drop();
  };
  try {
    made.push(await createGivingChurch(stack, dialect, 'Church A'));
    made.push(await createGivingChurch(stack, dialect, 'Church B'));
    for (const c of made) leases.push(await stack.services.deps.tenants.acquire(c.id));
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
  const [a, b] = made as [Church, Church];
  return {
    app: stack.app,
    catalog: stack.services.deps.catalog,
    a,
    b,
    dbA: leases[0]!.db as TenantDb,
    dbB: leases[1]!.db as TenantDb,
    /** Bearer header of church a's or b's user with that role (default: church a's admin). */
    as: (church: 'a' | 'b' = 'a', role: Role = 'admin') => (church === 'a' ? a : b).as(role),
    close,
  };
}

export type DomainStack = Awaited<ReturnType<typeof createDomainStack>>;
