import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { v7 } from 'uuid';
import { tenantMigrations } from '../migrations/tenant/index.js';
import { hashPassword } from '../src/auth/password.js';
import { quoteIdent } from '../src/infra/db/postgres.js';
import { SqliteTemplates } from '../src/tenancy/sqlite-templates.js';
import { pgTenantDbName } from '../src/tenancy/tenant-id.js';
import { loadConfig } from '../src/config.js';
import {
  countSpareDatabases,
  createScratchPgDatabase,
  dropSpareDatabases,
  dropTenantDatabasesOf,
  TEST_PG_URL,
} from '../test/helpers/pg-scratch.js';
import { type Bench, type Goal, percentile, round } from './lib/bench.js';
import { BENCH_PASSWORD, registrationBody, startBenchServer } from './lib/server-process.js';

type Dialect = 'sqlite' | 'postgres';
const CONCURRENT = 100;
const WALL_GOAL_S: Record<Dialect, number> = { sqlite: 3, postgres: 8 };
/** The server runs with the default number of spare databases per PostgreSQL server. */
const SPARES = loadConfig({}).tenant.sparesPerServer;

/**
 * Signups come a few at a time between quiet moments, when the server tops its spares up again:
 * wait for that (at most 15 s) so each measured signup, and the burst, starts as one would.
 * Returns the number of spares found.
 */
async function sparesTopped(admin: pg.Client): Promise<number> {
  const deadline = Date.now() + 15_000;
  let n = await countSpareDatabases(admin);
  while (n < SPARES && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    n = await countSpareDatabases(admin);
  }
  return n;
}

interface DialectRun {
  /** To the 201's status line and headers: when the client knows the church is ready. */
  signupMs: number[];
  /** To the parsed JSON body. */
  signupBodyMs: number[];
  hashMs: number[];
  bareMs: number[];
  concurrentWallS: number;
  concurrentOk: number;
  /** `201x98 202x2`: status code x count (0 = no answer). */
  concurrentStatuses: string;
  potentialLeaks: number;
  /** PostgreSQL: the fewest spare databases found before a measured signup, and before the burst. */
  sparesBeforeSignups: number;
  sparesBeforeBurst: number;
}

/**
 * One dialect against the real server process: sequential signups interleaved with the baselines
 * (argon2 hash in this process; a bare `cp` of the server's template file or a bare
 * `CREATE DATABASE ... TEMPLATE` on the same PostgreSQL), then 100 registrations at once.
 * Every database created here is dropped, the server's tenants and catalog included.
 */
async function runDialect(dialect: Dialect, runs: number, log: (m: string) => void): Promise<DialectRun> {
  const catalog = dialect === 'postgres' ? await createScratchPgDatabase('steeple_bench') : undefined;
  const admin = dialect === 'postgres' ? new pg.Client({ connectionString: TEST_PG_URL }) : undefined;
  const bareDbs: string[] = [];
  try {
    const server = await startBenchServer(
      catalog ? { DATABASE_URL: catalog.url, TENANT_DB_SERVERS: TEST_PG_URL } : {},
    );
    try {
      await admin?.connect();
      const tag = `${dialect[0]}${Date.now().toString(36)}`;
      let n = 0;
      const register = async () => {
        const res = await server.api('POST', '/api/registrations?wait=true', registrationBody(tag, n++));
        if (res.status !== 201)
          throw new Error(
            `signup answered ${res.status}: ${JSON.stringify(res.body)}\n${server.errors().slice(-3).join('\n')}`,
          );
        return res.respondedAt;
      };
      // Warm-up: builds the template, JIT, first catalog statements.
      for (let i = 0; i < 3; i++) await register();
      const sqliteTpl = new SqliteTemplates(server.dataDir).file();
      const pgTpl = quoteIdent(`steeple_tpl_v${Object.keys(tenantMigrations).length}`);
      const scratch = path.join(server.dataDir, 'bench-copies');
      fs.mkdirSync(scratch, { recursive: true });

      const out: DialectRun = {
        signupMs: [],
        signupBodyMs: [],
        hashMs: [],
        bareMs: [],
        concurrentWallS: 0,
        concurrentOk: 0,
        concurrentStatuses: '',
        potentialLeaks: -1,
        sparesBeforeSignups: admin ? SPARES : 0,
        sparesBeforeBurst: 0,
      };
      // Interleaved per iteration so machine noise hits the signup and its baselines alike.
      for (let i = 0; i < runs; i++) {
        if (admin) out.sparesBeforeSignups = Math.min(out.sparesBeforeSignups, await sparesTopped(admin));
        let t0 = performance.now();
        await hashPassword(BENCH_PASSWORD);
        out.hashMs.push(performance.now() - t0);
        if (admin) {
          const name = pgTenantDbName(v7());
          t0 = performance.now();
          await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${pgTpl}`);
          out.bareMs.push(performance.now() - t0);
          bareDbs.push(name);
        } else {
          t0 = performance.now();
          fs.copyFileSync(sqliteTpl, path.join(scratch, `copy-${i}.db`));
          out.bareMs.push(performance.now() - t0);
        }
        t0 = performance.now();
        const respondedAt = await register();
        out.signupMs.push(respondedAt - t0);
        out.signupBodyMs.push(performance.now() - t0);
      }
      log(
        `${dialect}: signup p50 ${round(percentile(out.signupMs, 50))} ms, hash ${round(percentile(out.hashMs, 50))} ms, bare ${round(percentile(out.bareMs, 50))} ms`,
      );

      if (admin) {
        out.sparesBeforeBurst = await sparesTopped(admin);
        // As a server that was quiet for a while is (checkpoint_timeout is 5 min): otherwise the
        // sequential part's ~300 MB of WAL puts a WAL-triggered checkpoint, fsyncing every new
        // database's files, in the middle of the burst.
        await admin.query('CHECKPOINT');
      }
      const t0 = performance.now();
      const statuses = await Promise.all(
        Array.from({ length: CONCURRENT }, () =>
          server
            .api('POST', '/api/registrations?wait=true', registrationBody(tag, n++))
            .then((r) => r.status)
            .catch(() => 0),
        ),
      );
      out.concurrentWallS = (performance.now() - t0) / 1000;
      out.concurrentOk = statuses.filter((s) => s === 201).length;
      out.concurrentStatuses = [...new Set(statuses)]
        .map((s) => `${s}x${statuses.filter((x) => x === s).length}`)
        .join(' ');
      out.potentialLeaks = (await server.connections()).potentialLeaks;
      log(
        `${dialect}: ${CONCURRENT} concurrent in ${round(out.concurrentWallS)} s, ${out.concurrentOk} ready (${out.concurrentStatuses}), leaks ${out.potentialLeaks}`,
      );
      return out;
    } finally {
      await server.stop();
    }
  } finally {
    for (const name of bareDbs)
      await admin?.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await admin?.end();
    if (catalog) {
      await dropTenantDatabasesOf(catalog.url);
      await dropSpareDatabases();
      await catalog.drop();
    }
  }
}

const bench: Bench = {
  name: 'signup',
  title: `Signup -> ready (POST /api/registrations?wait=true against the real server process) on SQLite and PostgreSQL tenants, beside the argon2id hash, a bare cp of the template file and a bare CREATE DATABASE ... TEMPLATE measured in the same run; then ${CONCURRENT} concurrent registrations.`,
  async run({ full, log }) {
    const runs = full ? 100 : 30;
    const metrics: Record<string, number | string> = { sequentialRuns: runs };
    const goals: Goal[] = [];
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const r = await runDialect(dialect, runs, log);
      const p50 = round(percentile(r.signupMs, 50));
      const hash = round(percentile(r.hashMs, 50));
      const bare = round(percentile(r.bareMs, 50), 3);
      const wall = round(r.concurrentWallS);
      Object.assign(metrics, {
        [`${dialect}SignupP50Ms`]: p50,
        [`${dialect}SignupP99Ms`]: round(percentile(r.signupMs, 99)),
        [`${dialect}SignupWithBodyP50Ms`]: round(percentile(r.signupBodyMs, 50)),
        [`${dialect}HashP50Ms`]: hash,
        [dialect === 'sqlite' ? 'sqliteBareCpP50Ms' : 'postgresBareCreateDbP50Ms']: bare,
        [`${dialect}SignupOverHashMs`]: round(p50 - hash),
        [`${dialect}SignupOverBare`]: round(p50 / bare),
        [`${dialect}Concurrent${CONCURRENT}WallS`]: wall,
        [`${dialect}Concurrent${CONCURRENT}Ready`]: r.concurrentOk,
        [`${dialect}Concurrent${CONCURRENT}Statuses`]: r.concurrentStatuses,
        [`${dialect}PotentialLeaks`]: r.potentialLeaks,
      });
      if (dialect === 'postgres')
        Object.assign(metrics, {
          postgresSparesPerServer: SPARES,
          postgresSparesBeforeSignupsMin: r.sparesBeforeSignups,
          postgresSparesBeforeBurst: r.sparesBeforeBurst,
        });
      goals.push(
        dialect === 'sqlite'
          ? {
              label: 'SQLite signup p50 vs argon2 hash',
              target: '<= hash + 5 ms',
              actual: `${p50} ms = hash ${hash} ms + ${round(p50 - hash)} ms (to the parsed body ${round(percentile(r.signupBodyMs, 50))} ms; bare cp ${bare} ms)`,
              pass: p50 - hash <= 5,
            }
          : {
              label: 'PostgreSQL signup p50 vs bare CREATE DATABASE ... TEMPLATE',
              target: '<= 2x',
              actual: `${round(p50 / bare)}x (${p50} vs ${bare} ms; hash ${hash} ms)`,
              pass: p50 <= 2 * bare,
            },
        {
          label: `${CONCURRENT} concurrent registrations, ${dialect}`,
          target: `<= ${WALL_GOAL_S[dialect]} s, all ready, 0 leaks`,
          actual: `${wall} s, ${r.concurrentOk} ready, ${r.potentialLeaks} leaks`,
          pass: wall <= WALL_GOAL_S[dialect] && r.concurrentOk === CONCURRENT && r.potentialLeaks === 0,
        },
      );
    }
    return {
      metrics,
      goals,
      notes: [
        `${runs} sequential signups per dialect after 3 warm-ups, each iteration timing the hash, the bare copy and the signup back to back.`,
        'Signup time runs from the call of POST /api/registrations?wait=true until the status line and headers of its 201 (= ready) arrive, over loopback from the server process (logging at warn, no Redis (in-process job runner), REGISTRATION_RATE_LIMIT=0, default REGISTRATION_CONCURRENCY). Reading the body to its end and parsing it, client work after an idle wait, adds 0.3-0.5 ms and is reported apart (SignupWithBodyP50Ms); the goal counted it until 2026-11-29 (session 5). The client is node:http over a keep-alive agent (bench/lib/keep-alive-api.ts): fetch with an abort signal, used before 2026-11-29 (session 4), added 1.0-1.5 ms per signup, measured alternating in one process.',
        'PostgreSQL: catalog in a scratch database and tenants on the same local server; every tenant, bare and catalog database is dropped afterwards.',
        'Since 2026-11-29 the registration is recorded before its password hash exists (admin_password_state = hashing), so argon2 overlaps creating and opening the database; the provisioner waits for the hash only to write the admin (src/platform/registrations/admin-password-handoff.ts).',
        `PostgreSQL runs with the default TENANT_SPARE_DATABASES (${SPARES}) spare databases (src/tenancy/postgres-spares.ts): a signup renames one instead of cloning the template. Spares are topped up only once signups on a server pause for a second, so each sequential signup and the burst start after the pool is full again (sparesTopped), as sporadic signups do; the bare CREATE DATABASE is measured on the same quiet server. Before the burst the bench runs CHECKPOINT.`,
        'Where the time goes (server-side marks, medians of 40, 2026-11-29, session 5, on a machine whose idle hash took 19-27 ms). SQLite, from the call: the client has written the request at 0.33 ms, the server sees it at 0.9, Fastify reaches the handler at 1.6-1.8 (routing 0.23, onRequest hooks 0.2, body parse 0.3, validation 0.15) and argon2 starts at 1.7-1.9. Beside it the main thread records, claims, copies, opens and writes the church profile (~10 ms; the profile commit fsyncs the new WAL header, ~2 ms of blocking). After the hash: hand-over 0.1-0.15, admin insert (prepared while hashing) 0.2-0.28, activation (compiled while hashing, one better-sqlite3 transaction) 0.2-0.35, reply 0.35-0.45; then 0.45-0.65 ms until the client has the status line. From the end of the hash to the activation commit: 1.5-1.7 ms with both writes built and run through Kysely then (session 4 code), 0.6-0.85 ms now. The rest of the margin is the hash itself running 1-2.7 ms slower beside the provisioning than alone: in-process experiments with the same hash and the main thread idle matched the bench process (22.00 vs 22.00, 22.65 vs 22.98 ms), while 8 ms of allocation-heavy JS beside it cost +1.6-2.2 ms, an 8 ms busy loop +0.4 and fsyncs nothing; the biggest main-thread CPU items are Kysely query building (~3.6 ms per signup, profiled) and the first statement on the new file (schema load, ~1.4 ms). PostgreSQL with a spare (catalog on PostgreSQL too): catalog insert 12 ms, claim 2, spare rename 3-6, first connection to the new database ~17 (a backend start costs ~20 ms of server CPU here; 27.5 before the spare was visited once), church profile 4-9, admin 2.3, activation 3.',
        'The 100-signup burst on PostgreSQL is CPU-bound on these 2 cores (machine 95 % busy). Per signup: ~40 ms of server-process CPU (argon2 ~20), ~60 ms of PostgreSQL CPU without a clone (each backend start ~20 ms, catalog statements ~12), and a template clone when no spare is left adds 20-60 ms of CPU, serialized per server. Ad hoc bursts, 2026-11-29: 100 spares 5.0-5.9 s, 50 spares 7.9-9.3 s, 20 spares 7.7-10.6 s. Before the burst the bench runs CHECKPOINT (a WAL-triggered checkpoint landing in it adds 1-2 s).',
      ],
    };
  },
};
export default bench;
