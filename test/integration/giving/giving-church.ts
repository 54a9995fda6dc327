import { addDbServer } from '../../../src/platform/db-servers.js';
import type { TestStack } from '../../helpers/app.js';
import type { Dialect } from '../../helpers/dialects.js';
import { TEST_PG_URL } from '../../helpers/global-setup.js';
import { createTestChurch, type TestChurch } from '../../helpers/session.js';

/**
 * A church for route tests whose tenant database is on the given dialect: a SQLite file, or a
 * database on the test PostgreSQL server. `drop()` removes a PostgreSQL tenant database (SQLite
 * files go with the stack's DATA_DIR).
 */
export async function createGivingChurch(
  stack: TestStack,
  dialect: Dialect,
  name?: string,
): Promise<TestChurch & { drop(): Promise<void> }> {
  if (dialect === 'sqlite') return { ...(await createTestChurch(stack, { name })), drop: async () => {} };
  const server = await addDbServer(stack.services.deps.catalog, TEST_PG_URL);
  const church = await createTestChurch(stack, { name, server });
  const { provisioning } = stack.services.deps;
  return {
    ...church,
    drop: () => provisioning.dropDatabase({ tenantId: church.id, serverUrl: server.url }),
  };
}
