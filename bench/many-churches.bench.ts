import { spawnSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { createScratchPgDatabase, dropTenantDatabasesOf, TEST_PG_URL } from '../test/helpers/pg-scratch.js';
import { type Bench, type Goal, round } from './lib/bench.js';
import {
  mintChurchKeys,
  postgresChurches,
  registerChurches,
  sqliteChurches,
} from './lib/church-fleet-api.js';
import { pgConnectCeiling } from './lib/pg-connect-ceiling.js';
import { sqliteOpenCeiling } from './lib/sqlite-open-ceiling.js';
import { churchTraffic, openFds, rssMbOf, type TrafficResult, uniform, zipf } from './lib/church-traffic.js';
import { type BenchServer, startBenchServer } from './lib/server-process.js';

const SQLITE_CHURCHES = 10_000;
const PG_CHURCHES = 1_000;
const CACHE_MAX = 200;
const REGISTER_CONCURRENCY = 8;
const WORKERS = 16;
const WRITE_SHARE = 0.1;
const ZIPF_S = 1.1;
const PG_BUDGET = 80; // TENANT_CONNECTION_BUDGET's default
const JWT_SECRET = 'many-churches-bench-secret-0123456789abcdef';

/**
 * Bytes a directory tree holds on disk (du). A church's -wal and -shm files may vanish while du
 * walks the tree (a close finishing): du then says so and exits 1, and its total still counts
 * everything else.
 */
const diskBytes = (dir: string) =>
  Number(spawnSync('du', ['-sb', dir], { encoding: 'utf8' }).stdout.split('\t')[0]);

interface Shape {
  name: 'uniform' | 'zipf';
  result: TrafficResult;
}

interface FleetRun {
  churches: number;
  registerWallS: number;
  registerFailures: Record<string, number>;
  shapes: Shape[];
  rssStartMb: number;
  rssEndMb: number;
  rssMaxMb: number;
  fdsStart: number;
  fdsEnd: number;
  /** Open church handles at the fd samples. */
  openStart: number;
  openEnd: number;
  potentialLeaks: number;
  serverErrorLines: number;
  extra: Record<string, number | string>;
}

/**
 * Registers `count` churches, mints their admins' tokens, then runs uniform and Zipf traffic of
 * `seconds` each against the server (after a warm-up sweep over every church).
 */
async function fleetRun(
  server: BenchServer,
  count: number,
  seconds: number,
  churchesOf: () => Promise<Array<{ id: string; adminId: string }>>,
  log: (m: string) => void,
  onSample?: () => void,
): Promise<Omit<FleetRun, 'extra'>> {
  const t0 = performance.now();
  const registerFailures = await registerChurches(server, count, REGISTER_CONCURRENCY, log);
  const registerWallS = round((performance.now() - t0) / 1000, 1);
  log(`registered ${count} churches in ${registerWallS} s`);
  const keys = await mintChurchKeys(await churchesOf(), JWT_SECRET);
  const pid = server.child.pid!;
  const run = (pick: () => number, s: number, maxRequests?: number) =>
    churchTraffic({
      baseUrl: server.url,
      churches: keys,
      pick,
      workers: WORKERS,
      seconds: s,
      maxRequests,
      writeShare: WRITE_SHARE,
      serverPid: pid,
      onSample,
    });
  // Warm-up: one request to every church, so each church's cached state (verified token, church
  // status) exists before the RSS baseline; the handle cache is full after it too.
  let next = 0;
  await run(() => next++ % keys.length, 3600, keys.length);
  const rssStartMb = rssMbOf(pid);
  const fdsStart = openFds(pid);
  const openStart = (await server.connections()).currentlyOpen;
  const shapes: Shape[] = [];
  for (const [name, pick] of [
    ['uniform', uniform(keys.length)],
    ['zipf', zipf(keys.length, ZIPF_S)],
  ] as const) {
    const result = await run(pick, seconds);
    shapes.push({ name, result });
    log(`${name}: ${result.requests} requests, p99 ${result.p99Ms} ms, ${result.errors} errors`);
  }
  const rssEndMb = rssMbOf(pid);
  const end = await server.connections();
  return {
    churches: keys.length,
    registerWallS,
    registerFailures,
    shapes,
    rssStartMb,
    rssEndMb,
    rssMaxMb: Math.max(rssStartMb, rssEndMb, ...shapes.flatMap((s) => s.result.rssSamplesMb)),
    fdsStart,
    fdsEnd: openFds(pid),
    openStart,
    openEnd: end.currentlyOpen,
    potentialLeaks: end.potentialLeaks,
    serverErrorLines: server.errors().length,
  };
}

async function sqliteRun(seconds: number, log: (m: string) => void): Promise<FleetRun> {
  const server = await startBenchServer(
    { TENANT_CACHE_MAX: String(CACHE_MAX), JWT_SECRET },
    { entry: 'compiled' },
  );
  try {
    const run = await fleetRun(
      server,
      SQLITE_CHURCHES,
      seconds,
      async () => sqliteChurches(server.dataDir),
      log,
    );
    const tenants = path.join(server.dataDir, 'tenants');
    const diskPerChurchKb = round(diskBytes(tenants) / run.churches / 1024, 1);
    // Beside it: the same uniform miss with no Steeple code (the server idles).
    const ceiling = sqliteOpenCeiling(
      server.dataDir,
      sqliteChurches(server.dataDir).map((c) => c.id),
      CACHE_MAX,
      WORKERS,
      Math.min(seconds, 30),
    );
    log(
      `bare open-read-close (uniform, ${ceiling.missPct} % misses): ${ceiling.readsPerS}/s, ${WORKERS} callers would wait ~${ceiling.impliedP50Ms} ms`,
    );
    return {
      ...run,
      extra: {
        diskPerChurchKb,
        bareUniformReadsPerS: ceiling.readsPerS,
        bareUniformMissPct: ceiling.missPct,
        bareUniformImpliedP50Ms: ceiling.impliedP50Ms,
      },
    };
  } finally {
    await server.stop();
  }
}

async function postgresRun(seconds: number, log: (m: string) => void): Promise<FleetRun> {
  const catalog = await createScratchPgDatabase('steeple_bench');
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  let maxTenantConnections = 0;
  const sample = () => {
    admin
      .query(
        "select count(*)::int as n from pg_stat_activity where application_name = 'steeple-tenant' and datname like 'steeple_t_%'",
      )
      .then((r) => {
        maxTenantConnections = Math.max(maxTenantConnections, r.rows[0].n);
      })
      .catch(() => {});
  };
  const sampler = setInterval(sample, 1000);
  const server = await startBenchServer(
    { DATABASE_URL: catalog.url, TENANT_DB_SERVERS: TEST_PG_URL, TENANT_SPARE_DATABASES: '0', JWT_SECRET },
    { entry: 'compiled' },
  );
  try {
    const churches = () => postgresChurches(catalog.url, TEST_PG_URL);
    const run = await fleetRun(server, PG_CHURCHES, seconds, churches, log, sample);
    // Beside it: the same miss with no Steeple code, a connection per request (the server idles).
    const ceiling = await pgConnectCeiling(
      TEST_PG_URL,
      (await churches()).map((c) => c.id),
      WORKERS,
      Math.min(seconds, 30),
    );
    log(
      `bare connect-query-disconnect: ${ceiling.connectsPerS}/s, p50 ${ceiling.p50Ms} ms, p99 ${ceiling.p99Ms} ms`,
    );
    const tooMany =
      server.errors().filter((l) => /too many clients/i.test(l)).length +
      run.shapes.reduce(
        (s, x) => s + Object.keys(x.result.failures).filter((k) => /too many clients/i.test(k)).length,
        0,
      );
    return {
      ...run,
      extra: {
        maxTenantConnections,
        connectionBudget: PG_BUDGET,
        tooManyClients: tooMany,
        bareConnectPerS: ceiling.connectsPerS,
        bareConnectP50Ms: ceiling.p50Ms,
        bareConnectP99Ms: ceiling.p99Ms,
      },
    };
  } finally {
    clearInterval(sampler);
    await server.stop();
    await admin.end();
    log('dropping the PostgreSQL churches');
    await dropTenantDatabasesOf(catalog.url);
    await catalog.drop();
  }
}

function metricsOf(prefix: string, r: FleetRun): Record<string, number | string> {
  const out: Record<string, number | string> = {
    [`${prefix}Churches`]: r.churches,
    [`${prefix}RegisterWallS`]: r.registerWallS,
    [`${prefix}RegisterPerS`]: round(r.churches / r.registerWallS, 1),
    [`${prefix}RegisterFailures`]: JSON.stringify(r.registerFailures),
  };
  for (const { name, result: t } of r.shapes) {
    const p = `${prefix}${name[0]!.toUpperCase()}${name.slice(1)}`;
    out[`${p}Requests`] = t.requests;
    out[`${p}ReqPerS`] = round(t.requests / t.seconds, 0);
    out[`${p}P50Ms`] = t.p50Ms;
    out[`${p}P99Ms`] = t.p99Ms;
    out[`${p}MaxMs`] = t.maxMs;
    out[`${p}Errors`] = t.errors;
    out[`${p}Failures`] = JSON.stringify(t.failures);
    out[`${p}DistinctChurches`] = t.distinctChurches;
  }
  return {
    ...out,
    [`${prefix}RssStartMb`]: r.rssStartMb,
    [`${prefix}RssEndMb`]: r.rssEndMb,
    [`${prefix}RssMaxMb`]: r.rssMaxMb,
    [`${prefix}RssGrowthPct`]: round((r.rssEndMb / r.rssStartMb - 1) * 100, 1),
    [`${prefix}OpenFdsStart`]: r.fdsStart,
    [`${prefix}OpenFdsEnd`]: r.fdsEnd,
    [`${prefix}OpenHandlesStart`]: r.openStart,
    [`${prefix}OpenHandlesEnd`]: r.openEnd,
    [`${prefix}PotentialLeaks`]: r.potentialLeaks,
    [`${prefix}ServerErrorLines`]: r.serverErrorLines,
    ...Object.fromEntries(
      Object.entries(r.extra).map(([k, v]) => [`${prefix}${k[0]!.toUpperCase()}${k.slice(1)}`, v]),
    ),
  };
}

const worst = (r: FleetRun) => ({
  p99: Math.max(...r.shapes.map((s) => s.result.p99Ms)),
  errors:
    r.shapes.reduce((s, x) => s + x.result.errors, 0) +
    Object.values(r.registerFailures).reduce((a, b) => a + b, 0),
});

const bench: Bench = {
  name: 'many-churches',
  title: `${SQLITE_CHURCHES.toLocaleString('en')} SQLite churches on one node (TENANT_CACHE_MAX=${CACHE_MAX}) and ${PG_CHURCHES.toLocaleString('en')} churches on one PostgreSQL server (default connection budget ${PG_BUDGET}): registered through POST /api/registrations?wait=true (${REGISTER_CONCURRENCY} at a time), then uniform and Zipf (s = ${ZIPF_S}) traffic from ${WORKERS} closed-loop callers, ${100 - WRITE_SHARE * 100} % people-list reads and ${WRITE_SHARE * 100} % person creates, against the compiled server process.`,
  async run({ full, log }) {
    // --full: 5 minutes of traffic per deployment (2.5 uniform + 2.5 Zipf).
    const seconds = full ? 150 : 20;
    const sqlite = await sqliteRun(seconds, log);
    const postgres = await postgresRun(seconds, log);
    const s = worst(sqlite);
    const p = worst(postgres);
    const growth = sqlite.rssEndMb / sqlite.rssStartMb - 1;
    // An open SQLite church holds 3 descriptors (database, WAL, shared memory); a few more may be
    // in flight (sockets, a file being copied), hence the slack of 10.
    const fdLeak = Math.max(
      0,
      sqlite.fdsEnd - sqlite.fdsStart - 3 * (sqlite.openEnd - sqlite.openStart) - 10,
    );
    const goals: Goal[] = [
      {
        label: `SQLite: p99 over ${SQLITE_CHURCHES} churches (uniform, Zipf)`,
        target: '<= 50 ms',
        actual: sqlite.shapes.map((x) => `${x.name} ${x.result.p99Ms} ms`).join(', '),
        pass: s.p99 <= 50,
      },
      {
        label: 'SQLite: errors (registration and traffic)',
        target: '0',
        actual: String(s.errors),
        pass: s.errors === 0,
      },
      {
        label: 'SQLite: RSS flat and bounded',
        target: 'growth <= 10 %, <= 500 MB',
        actual: `${sqlite.rssStartMb} -> ${sqlite.rssEndMb} MB (${round(growth * 100, 1)} %), max ${sqlite.rssMaxMb} MB`,
        pass: growth <= 0.1 && sqlite.rssMaxMb <= 500,
      },
      {
        label: 'SQLite: leaks',
        target: '0',
        actual: `${sqlite.potentialLeaks} potential leaks; ${fdLeak} file descriptors not explained by open churches (fds ${sqlite.fdsStart} -> ${sqlite.fdsEnd}, open churches ${sqlite.openStart} -> ${sqlite.openEnd})`,
        pass: sqlite.potentialLeaks === 0 && fdLeak <= 0,
      },
      {
        label: `PostgreSQL: ${PG_CHURCHES} churches, connection budget never exceeded`,
        target: `<= ${PG_BUDGET}, 0 "too many clients"`,
        actual: `max ${postgres.extra.maxTenantConnections} tenant connections, ${postgres.extra.tooManyClients} "too many clients"`,
        pass: Number(postgres.extra.maxTenantConnections) <= PG_BUDGET && postgres.extra.tooManyClients === 0,
      },
      {
        label: 'PostgreSQL: p99 (uniform, Zipf); errors',
        target: '<= 50 ms; 0',
        actual: `${postgres.shapes.map((x) => `${x.name} ${x.result.p99Ms} ms`).join(', ')}; ${p.errors} errors`,
        pass: p.p99 <= 50 && p.errors === 0,
      },
    ];
    return {
      metrics: {
        trafficSecondsPerShape: seconds,
        workers: WORKERS,
        ...metricsOf('sqlite', sqlite),
        ...metricsOf('pg', postgres),
      },
      goals,
      notes: [
        `Registration: ${REGISTER_CONCURRENCY} callers, each POST /api/registrations?wait=true (argon2id hash of the admin password, template copy or clone, admin row), a 503 retried after its Retry-After; wall time from the first call to the last answer. REGISTRATION_RATE_LIMIT=0, no Redis (in-process jobs), PostgreSQL with TENANT_SPARE_DATABASES=0.`,
        "Tokens: each church admin's access token is signed by the bench with the server's JWT_SECRET (ids read from the catalog and the church database), as login would sign it; logging in every admin would only add argon2 work the traffic does not measure. Every request still goes through verification, revocation, church status, permission and the per-request lease.",
        `Traffic: ${WORKERS} closed-loop callers on keep-alive connections; each request picks a church (uniform, or Zipf with s = ${ZIPF_S} over the churches in registration order) and reads GET /api/people?limit=20 or, ${WRITE_SHARE * 100} % of the time, creates a person (201). Any other answer, a network error or no answer in 10 s is an error. A warm-up sweep sends one request to every church (so each church's cached state exists and the handle cache is full) before the RSS and open-fd baselines.`,
        "RSS of the server process from /proc (VmRSS) every 5 s; leaks: the tenant manager's potentialLeaks (leases not released) and the open file descriptors before and after the traffic beyond 3 per open SQLite church (its file, WAL and shared-memory file) and a slack of 10. Disk per church: du of DATA_DIR/tenants after the traffic, divided by the churches.",
        `Bare ceilings, run beside the server while it idles, with no Steeple code: on SQLite one thread opening a uniformly random church's file with Steeple's pragmas, reading 20 people and keeping ${CACHE_MAX} files open (least recently used closed first), reads only; on PostgreSQL ${WORKERS} callers each connecting to a random church's database, reading 20 people and disconnecting. A request that misses the handle cache costs at least that much, so ${WORKERS} closed-loop callers wait about ${WORKERS} / rate each even with nothing else in the way.`,
        `PostgreSQL: catalog in a scratch database and every church on the same local server; tenant connections (application_name steeple-tenant) counted in pg_stat_activity every second and on every RSS sample; every database is dropped afterwards.`,
        'The default run has 20 s of each traffic shape; `npm run bench -- many-churches --full` runs 150 s of each (5 minutes per deployment).',
      ],
    };
  },
};
export default bench;
