import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { quoteIdent, withDatabase } from '../../src/infra/db/postgres.js';
import { pgTenantDbName } from '../../src/tenancy/tenant-id.js';
import { TEST_PG_URL } from './global-setup.js';

/**
 * PostgreSQL scratch databases for code that runs outside Vitest too (the nemesis CLI), where
 * `dialects.ts` (which needs Vitest's `inject`) cannot be imported.
 */
export async function createScratchPgDatabase(
  prefix = 'steeple_test',
): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await pgAdmin(`CREATE DATABASE ${quoteIdent(name)}`);
  return {
    name,
    url: withDatabase(TEST_PG_URL, name),
    drop: async () => {
      await pgAdmin(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    },
  };
}

/** Runs one statement with a short-lived client (on the maintenance database by default). */
export async function pgAdmin(
  sqlText: string,
  params: unknown[] = [],
  url = TEST_PG_URL,
): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sqlText, params);
  } finally {
    await client.end();
  }
}

/**
 * Drops the tenant databases (`steeple_t_<id>`) of every tenant, registration and spare a
 * catalog database knows, on the test server. Tenant databases must not outlive the test.
 */
export async function dropTenantDatabasesOf(catalogUrl: string): Promise<number> {
  const ids = new Set<string>();
  for (const q of [
    'select id from tenants',
    'select tenant_id as id from registrations',
    'select tenant_id as id from spare_databases',
  ]) {
    const res = await pgAdmin(q, [], catalogUrl).catch(() => ({ rows: [] as Array<{ id: string }> }));
    for (const r of res.rows as Array<{ id: string }>) if (r.id) ids.add(r.id);
  }
  // A few at a time: each DROP waits for a checkpoint, and the server is shared.
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.pop(); id; id = queue.pop()) {
      await pgAdmin(`DROP DATABASE IF EXISTS ${quoteIdent(pgTenantDbName(id))} WITH (FORCE)`);
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return ids.size;
}

/**
 * Ready spare tenant databases (src/tenancy/postgres-spares.ts) a catalog database records, read
 * with `catalog`, a client on it (polling with a new connection each time costs a backend start).
 */
export async function countSpareDatabases(catalog: Pick<pg.Client, 'query'>): Promise<number> {
  const res = await catalog.query("select count(*)::int as n from spare_databases where state = 'ready'");
  return res.rows[0].n;
}

export { TEST_PG_URL };
