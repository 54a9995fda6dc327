import { reachable } from './global-setup.js';

/**
 * A second PostgreSQL server for tests of moves between servers (TEST_PG2_URL, default port
 * 5448 on loopback). Undefined, with a loud line, when it cannot be reached, unless services
 * are required (CI=true or REQUIRE_SERVICES=1): then the test fails.
 */
export async function secondPgUrl(): Promise<string | undefined> {
  const url = process.env.TEST_PG2_URL ?? 'postgres://postgres@127.0.0.1:5448/postgres';
  if (await reachable(url)) return url;
  const host = new URL(url).host;
  if (process.env.CI === 'true' || process.env.REQUIRE_SERVICES === '1')
    throw new Error(`the second PostgreSQL server ${host} (TEST_PG2_URL) is unreachable`);
  console.warn(
    `\n*** SKIPPED: moves to a second PostgreSQL server: ${host} (TEST_PG2_URL) unreachable ***\n`,
  );
  return undefined;
}
