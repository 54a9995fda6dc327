import { v7 as uuidv7 } from 'uuid';
import type { Role } from '../../../src/auth/roles.js';
import { addDbServer } from '../../../src/platform/db-servers.js';
import type { TenantDbManager } from '../../../src/tenancy/tenant-db-manager.js';
import { createTenantDatabase, dropTenantDatabase } from '../../../src/tenancy/tenant-provisioning.js';
import type { TestStack } from '../../helpers/app.js';
import type { Dialect } from '../../helpers/dialects.js';
import { TEST_PG_URL } from '../../helpers/global-setup.js';
import { addTestUser, createTestChurch, type TestChurch, type TestUser } from '../../helpers/session.js';

const ROLES: readonly Role[] = ['admin', 'finance', 'staff', 'viewer'];

/**
 * A church for route tests whose tenant database is on the given dialect: createTestChurch
 * (SQLite files) for 'sqlite'; for 'postgres', the same steps with the tenant placed on the test
 * PostgreSQL server, so giving routes also run over a PostgreSQL tenant. `drop()` removes a
 * PostgreSQL tenant database (SQLite files go with the stack's DATA_DIR).
 */
export async function createGivingChurch(
  stack: TestStack,
  dialect: Dialect,
  name?: string,
): Promise<TestChurch & { drop(): Promise<void> }> {
  if (dialect === 'sqlite') return { ...(await createTestChurch(stack, { name })), drop: async () => {} };
  const deps = stack.services.deps;
  const tenants = deps.tenants as TenantDbManager;
  const server = await addDbServer(deps.catalog, TEST_PG_URL);
  const id = uuidv7();
  const slug = `giving-${id.slice(-12)}`;
  const churchName = name ?? `Giving ${slug}`;
  const now = new Date().toISOString();
  await deps.catalog
    .insertInto('tenants')
    .values({
      id,
      slug,
      name: churchName,
      status: 'provisioning',
      server_id: server.id,
      timezone: 'America/Chicago',
      currency: 'USD',
      created_at: now,
      updated_at: now,
      last_active_at: null,
    })
    .execute();
  const target = { tenantId: id, serverUrl: server.url };
  const drop = () => dropTenantDatabase(tenants, target);
  const users = {} as Record<Role, TestUser>;
  const church = { id, slug, name: churchName };
  try {
    const { schemaVersion } = await createTenantDatabase(tenants, target);
    await deps.catalog
      .updateTable('tenants')
      .set({ status: 'active', schema_version: schemaVersion })
      .where('id', '=', id)
      .execute();
    await deps.tenants.withTenant(id, (db) =>
      db
        .insertInto('church')
        .values({
          id,
          slug,
          name: churchName,
          timezone: 'America/Chicago',
          currency: 'USD',
          created_at: now,
          updated_at: now,
        })
        .execute(),
    );
    for (const role of ROLES) users[role] = await addTestUser(stack, church, role);
  } catch (err) {
    // A half-made church must not leave a database behind on the shared server.
    await drop().catch(() => {});
    throw err;
  }
  return {
    ...church,
    users,
    as: (role) => users[role].headers,
    drop,
  };
}
