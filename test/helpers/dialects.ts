import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { quoteIdent, withDatabase } from '../../src/infra/db/postgres.js';
import { TEST_PG_URL } from './global-setup.js';

export type Dialect = 'sqlite' | 'postgres';

const wanted = (process.env.TEST_DIALECTS ?? 'sqlite,postgres').split(',').map((d) => d.trim());

/**
 * The dialects every database test runs on (filter with TEST_DIALECTS=sqlite). PostgreSQL is
 * dropped only when global setup found it unreachable and services are not required.
 */
export const DIALECTS: Dialect[] = (['sqlite', 'postgres'] as const).filter(
  (d) => wanted.includes(d) && (d === 'sqlite' || inject('pgAvailable')),
);

export function adminPgUrl(): string {
  return TEST_PG_URL;
}

/** Creates a uniquely named PostgreSQL database; `drop()` removes it (with FORCE). */
export async function createTestPgDatabase(
  prefix = 'steeple_test',
): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${quoteIdent(name)}`);
  return {
    name,
    url: withDatabase(TEST_PG_URL, name),
    drop: async () => {
      await adminQuery(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    },
  };
}

/** Runs one statement on the maintenance database with a short-lived client. */
export async function adminQuery(sqlText: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    return await client.query(sqlText, params);
  } finally {
    await client.end();
  }
}
