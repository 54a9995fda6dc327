import { Redis } from 'ioredis';
import { type Bench, round } from './lib/bench.js';
import { registerAndLogin, startBenchServer } from './lib/server-process.js';
import { createScratchPgDatabase, pgAdmin } from '../test/helpers/pg-scratch.js';

const REQUESTS = 2000;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Transactions committed in one PostgreSQL database so far (every autocommit query is one). */
async function commits(dbName: string): Promise<number> {
  // An idle backend flushes its statistics after 10 s (PostgreSQL 15): wait that out.
  await new Promise((r) => setTimeout(r, 11_000));
  const r = await pgAdmin('select xact_commit from pg_stat_database where datname = $1', [dbName]);
  return Number(r.rows[0].xact_commit);
}

/** Commands the Redis server has run so far (all clients). */
async function redisCommands(client: Redis): Promise<number> {
  const info = await client.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(info)![1]);
}

const bench: Bench = {
  name: 'auth-round-trips',
  title: `Catalog queries and Redis commands per authenticated request: ${REQUESTS} sequential GET /api/people?limit=20 with one token against the real server process with a PostgreSQL catalog and Redis (SQLite tenant), counted on the servers themselves (pg_stat_database.xact_commit of the catalog database; Redis total_commands_processed).`,
  async run({ log }) {
    const catalogDb = await createScratchPgDatabase('steeple_bench_catalog');
    const probe = new Redis(REDIS_URL);
    const server = await startBenchServer({
      DATABASE_URL: catalogDb.url,
      REDIS_URL,
      REDIS_KEY_PREFIX: `bench-rt-${Date.now().toString(36)}`,
      ENABLE_QUEUES: 'false',
      RECONCILE_INTERVAL_MS: '3600000',
    });
    try {
      const { token } = await registerAndLogin(server, `rt${Date.now().toString(36)}`);
      const get = async () => {
        const res = await server.api('GET', '/api/people?limit=20', undefined, token);
        if (res.status !== 200) throw new Error(`GET /api/people answered ${res.status}`);
      };
      for (let i = 0; i < 50; i++) await get(); // warm-up: handles open, caches filled
      const c0 = await commits(catalogDb.name);
      const r0 = await redisCommands(probe);
      const started = performance.now();
      for (let i = 0; i < REQUESTS; i++) await get();
      const elapsedMs = performance.now() - started;
      const c1 = await commits(catalogDb.name);
      const r1 = await redisCommands(probe);
      // What the process does on its own (timers) over an equally long idle window is subtracted.
      await new Promise((r) => setTimeout(r, elapsedMs));
      const c2 = await commits(catalogDb.name);
      const r2 = await redisCommands(probe);
      // Each redisCommands reading is itself one command (INFO).
      const catalogPerReq = Math.max(0, c1 - c0 - (c2 - c1)) / REQUESTS;
      const redisPerReq = Math.max(0, r1 - r0 - (r2 - r1)) / REQUESTS;
      log(
        `catalog queries/request ${round(catalogPerReq, 3)}, Redis commands/request ${round(redisPerReq, 3)}`,
      );
      return {
        metrics: {
          requests: REQUESTS,
          catalogQueriesPerRequest: round(catalogPerReq, 3),
          redisCommandsPerRequest: round(redisPerReq, 3),
          meanRequestMs: round(elapsedMs / REQUESTS, 3),
          rawCatalogCommits: c1 - c0,
          rawRedisCommands: r1 - r0,
        },
        goals: [
          {
            label: 'catalog queries per authenticated request',
            target: '<= 1',
            actual: String(round(catalogPerReq, 3)),
            pass: catalogPerReq <= 1.05,
          },
        ],
        notes: [
          'Counted on the servers, so every query path counts: PostgreSQL commits in the catalog database (an autocommit SELECT is one) and Redis commands processed, before and after the run, minus what the idle process did over an equally long window right after it.',
          'The church-status cache (2 s) adds a catalog read every 2 s per church, not per request.',
        ],
      };
    } finally {
      await server.stop();
      probe.disconnect();
      await catalogDb.drop();
    }
  },
};
export default bench;
