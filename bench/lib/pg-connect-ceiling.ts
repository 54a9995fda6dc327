import pg from 'pg';
import { withDatabase } from '../../src/infra/db/postgres.js';
import { pgTenantDbName } from '../../src/tenancy/tenant-id.js';
import { round } from './bench.js';
import { LatencyHistogram } from './latency-histogram.js';

/**
 * What a church that is not open costs at the least on PostgreSQL, with no Steeple code in the
 * way: `workers` callers in a closed loop, each connecting to a random church's database, reading
 * 20 people and disconnecting. When almost every request misses the handle cache (uniform traffic
 * over more churches than the connection budget holds open), this rate is the server's ceiling.
 */
export async function pgConnectCeiling(
  serverUrl: string,
  tenantIds: readonly string[],
  workers: number,
  seconds: number,
): Promise<{ connectsPerS: number; p50Ms: number; p99Ms: number }> {
  const latency = new LatencyHistogram();
  const until = performance.now() + seconds * 1000;
  const caller = async () => {
    while (performance.now() < until) {
      const id = tenantIds[Math.floor(Math.random() * tenantIds.length)]!;
      const started = performance.now();
      const client = new pg.Client({ connectionString: withDatabase(serverUrl, pgTenantDbName(id)) });
      await client.connect();
      try {
        await client.query(
          'select id, first_name, last_name from people order by last_name, first_name limit 20',
        );
      } finally {
        await client.end();
      }
      latency.record(performance.now() - started);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: workers }, caller));
  return {
    connectsPerS: round(latency.count / ((performance.now() - t0) / 1000), 0),
    p50Ms: latency.percentile(50),
    p99Ms: latency.percentile(99),
  };
}
