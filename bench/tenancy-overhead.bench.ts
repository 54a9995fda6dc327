import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { withDatabase } from '../src/infra/db/postgres.js';
import { pgTenantDbName } from '../src/tenancy/tenant-id.js';
import { createScratchPgDatabase, dropTenantDatabasesOf, TEST_PG_URL } from '../test/helpers/pg-scratch.js';
import { freePort } from '../test/helpers/process.js';
import { type Bench, type Goal, round } from './lib/bench.js';
import { type BenchServer, registerAndLogin, startBenchServer } from './lib/server-process.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const PEOPLE = 25;
const CLOCK_TICKS = 100; // USER_HZ on Linux
const CONNECTIONS = 20;
const ROUTES = ['real', 'bare', 'limit', 'health', 'trivial'] as const;
type Route = (typeof ROUTES)[number];
type Dialect = 'sqlite' | 'postgres';

interface Rate {
  rps: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  bad: number;
  /** CPU (user + system) of the serving process per request, from /proc; NaN where /proc is missing. */
  cpuUsPerReq: number;
}

/** CPU time a process has used, in ms (Linux /proc; NaN elsewhere). */
function cpuMs(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

async function cannon(target: Target, seconds: number): Promise<Rate> {
  const cpu0 = cpuMs(target.pid);
  const r = await autocannon({
    url: target.url,
    headers: target.headers,
    connections: CONNECTIONS,
    duration: seconds,
  });
  return {
    rps: r.requests.average,
    requests: r.requests.total,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    bad: r.non2xx + r.errors + r.timeouts,
    cpuUsPerReq: ((cpuMs(target.pid) - cpu0) * 1000) / Math.max(1, r.requests.total),
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Target {
  url: string;
  headers: Record<string, string>;
  /** The process that serves it, for its CPU time. */
  pid: number;
}

/** bench/limit-server.ts in its own process on the church's database; resolves once it listens. */
async function startLimitServer(
  database: string[],
): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/limit-server.ts', '--port', String(port), ...database],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  while (!out.includes('listening')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`limit server did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A registered church with PEOPLE people and its admin's access token. */
async function seedChurch(server: BenchServer): Promise<{ token: string; churchId: string }> {
  const church = await registerAndLogin(server, `o${Date.now().toString(36)}`);
  for (let i = 0; i < PEOPLE; i++) {
    const res = await server.api(
      'POST',
      '/api/people',
      { firstName: `P${i}`, lastName: `Bench${i % 7}` },
      church.token,
    );
    if (res.status !== 201) throw new Error(`person create answered ${res.status}`);
  }
  return church;
}

/** Statements sent to the catalog and to the church's database so far, and people lists begun. */
async function statements(server: BenchServer, catalogKey: Pick, churchKey: Pick) {
  const counts = Object.entries(await server.queryCounts());
  const sum = (pick: Pick) => counts.filter(([k]) => pick(k)).reduce((s, [, n]) => s + n, 0);
  return { catalog: sum(catalogKey), church: sum(churchKey), lists: sum((k) => k === 'http:/api/people') };
}
type Pick = (databaseKey: string) => boolean;

interface Measured {
  rates: Record<Route, Rate[]>;
  /** Catalog statements per authenticated request, less the background rate seen meanwhile. */
  catalogPerRequest: number;
  /** The same before subtracting the background. */
  catalogGrossPerRequest: number;
  /** Catalog statements per second while only /api/health was served (reconciler, activity). */
  catalogBackgroundPerS: number;
  churchPerRequest: number;
  leaks: number;
}

/**
 * One bench server process (bench/server/main.ts: Steeple's server plus the bare route) on `dialect`, one church, the limit
 * server beside it on the same church database; `rounds` rounds of every route back to back,
 * the order rotating each round.
 */
async function measure(
  dialect: Dialect,
  seconds: number,
  rounds: number,
  log: (m: string) => void,
): Promise<Measured> {
  const catalogDb = dialect === 'postgres' ? await createScratchPgDatabase('steeple_bench') : undefined;
  const pgEnv: Record<string, string> = catalogDb
    ? { DATABASE_URL: catalogDb.url, TENANT_DB_SERVERS: TEST_PG_URL, TENANT_SPARE_DATABASES: '0' }
    : {};
  const server = await startBenchServer(pgEnv, { countQueries: true });
  let limit: Awaited<ReturnType<typeof startLimitServer>> | undefined;
  try {
    const { token, churchId } = await seedChurch(server);
    limit = await startLimitServer(
      dialect === 'postgres'
        ? ['--pg', withDatabase(TEST_PG_URL, pgTenantDbName(churchId))]
        : ['--sqlite', path.join(server.dataDir, 'tenants', `${churchId}.db`)],
    );
    const steeple = server.child.pid!;
    const targets: Record<Route, Target> = {
      real: {
        url: `${server.url}/api/people?limit=20`,
        headers: { authorization: `Bearer ${token}` },
        pid: steeple,
      },
      bare: { url: `${server.url}/api/bench/people/${churchId}?limit=20`, headers: {}, pid: steeple },
      limit: { url: `${limit.url}/people?limit=20`, headers: {}, pid: limit.child.pid! },
      health: { url: `${server.url}/api/health`, headers: {}, pid: steeple },
      trivial: { url: `${limit.url}/health`, headers: {}, pid: limit.child.pid! },
    };
    // Same answers, or the comparison means nothing.
    const body = async (r: Route) => (await fetch(targets[r].url, { headers: targets[r].headers })).text();
    const [real, bare, lim, health, trivial] = await Promise.all(ROUTES.map(body));
    if (JSON.parse(real!).data.length !== 20 || real !== bare || real !== lim)
      throw new Error(`the people routes answer differently:\n${real}\n${bare}\n${lim}`);
    if (health !== trivial) throw new Error(`health answers differ: ${health} vs ${trivial}`);

    for (const r of ROUTES) await cannon(targets[r], 2); // warm-up (JIT, caches)
    const catalogKey: Pick =
      dialect === 'postgres' ? (k) => k === `pg:${catalogDb!.name}` : (k) => k.endsWith('catalog.db');
    const churchKey: Pick =
      dialect === 'postgres' ? (k) => k === `pg:${pgTenantDbName(churchId)}` : (k) => k.includes(churchId);
    const rates = Object.fromEntries(ROUTES.map((r) => [r, [] as Rate[]])) as Record<Route, Rate[]>;
    let catalogStatements = 0;
    let churchStatements = 0;
    let backgroundStatements = 0;
    let listsServed = 0;
    for (let i = 0; i < rounds; i++) {
      for (let j = 0; j < ROUTES.length; j++) {
        const route = ROUTES[(i + j) % ROUTES.length]!;
        const counted = route === 'real' || route === 'health';
        const before = counted ? await statements(server, catalogKey, churchKey) : undefined;
        rates[route].push(await cannon(targets[route], seconds));
        if (before) {
          const after = await statements(server, catalogKey, churchKey);
          // Health touches no database: what the catalog sees meanwhile is background work.
          if (route === 'health') backgroundStatements += after.catalog - before.catalog;
          else {
            catalogStatements += after.catalog - before.catalog;
            churchStatements += after.church - before.church;
            listsServed += after.lists - before.lists;
          }
        }
      }
      log(
        `${dialect} round ${i + 1}: ${ROUTES.map((r) => `${r} ${Math.round(rates[r].at(-1)!.rps)}`).join(', ')} req/s`,
      );
    }
    // Counted by the server: the requests still in flight when a round stops ran their statements.
    const realRequests = listsServed;
    return {
      rates,
      catalogPerRequest: (catalogStatements - backgroundStatements) / realRequests,
      catalogGrossPerRequest: catalogStatements / realRequests,
      catalogBackgroundPerS: backgroundStatements / (rounds * seconds),
      churchPerRequest: churchStatements / realRequests,
      leaks: (await server.connections()).potentialLeaks,
    };
  } finally {
    await limit?.stop();
    await server.stop();
    if (catalogDb) {
      await dropTenantDatabasesOf(catalogDb.url);
      await catalogDb.drop();
    }
  }
}

/** Median of the per-round ratios a/b (each pair measured in the same round). */
const ratio = (m: Measured, a: Route, b: Route, k: 'rps' | 'cpuUsPerReq' = 'rps') =>
  median(
    m.rates[a].map((r, i) =>
      k === 'rps' ? r.rps / m.rates[b][i]!.rps : m.rates[b][i]!.cpuUsPerReq / r.cpuUsPerReq,
    ),
  );

function metricsOf(prefix: string, m: Measured) {
  const pct = (x: number) => round(x * 100, 1);
  const out: Record<string, number | string> = {
    [`${prefix}PeopleOverLimitPct`]: pct(ratio(m, 'real', 'limit')),
    [`${prefix}HealthOverTrivialPct`]: pct(ratio(m, 'health', 'trivial')),
    [`${prefix}PeopleOverBarePct`]: pct(ratio(m, 'real', 'bare')),
    [`${prefix}PeopleOverLimitCpuPct`]: pct(ratio(m, 'real', 'limit', 'cpuUsPerReq')),
    [`${prefix}HealthOverTrivialCpuPct`]: pct(ratio(m, 'health', 'trivial', 'cpuUsPerReq')),
    [`${prefix}CatalogStatementsPerRequest`]: round(m.catalogPerRequest, 3),
    [`${prefix}CatalogStatementsPerRequestGross`]: round(m.catalogGrossPerRequest, 3),
    [`${prefix}CatalogBackgroundStatementsPerS`]: round(m.catalogBackgroundPerS, 2),
    [`${prefix}ChurchStatementsPerRequest`]: round(m.churchPerRequest, 3),
  };
  for (const r of ROUTES) {
    out[`${prefix}${r[0]!.toUpperCase()}${r.slice(1)}ReqPerS`] = m.rates[r]
      .map((x) => Math.round(x.rps))
      .join(', ');
    out[`${prefix}${r[0]!.toUpperCase()}${r.slice(1)}CpuUsPerReq`] = round(
      median(m.rates[r].map((x) => x.cpuUsPerReq)),
      1,
    );
    out[`${prefix}${r[0]!.toUpperCase()}${r.slice(1)}P99Ms`] = round(
      median(m.rates[r].map((x) => x.p99Ms)),
      1,
    );
  }
  out[`${prefix}Non2xxOrErrors`] = ROUTES.reduce((s, r) => s + m.rates[r].reduce((t, x) => t + x.bad, 0), 0);
  out[`${prefix}PotentialLeaks`] = m.leaks;
  return out;
}

const bench: Bench = {
  name: 'tenancy-overhead',
  title: `Read path against its limits: authenticated GET /api/people?limit=20 (token, revocation, church status, permission, per-request lease) vs a minimal Fastify + better-sqlite3 server answering the same query with the same JSON (bench/limit-server.ts) and vs the bench-only bare route (same query and schema inside Steeple, no auth or tenancy); GET /api/health vs a trivial Fastify route; catalog statements per authenticated request; SQLite, then the catalog and tenants on PostgreSQL (limit server on pg). One church with ${PEOPLE} people, autocannon with ${CONNECTIONS} connections, rotating rounds.`,
  async run({ full, log }) {
    const seconds = full ? 10 : 3;
    const rounds = full ? 7 : 5;
    const sqlite = await measure('sqlite', seconds, rounds, log);
    const postgres = await measure('postgres', seconds, rounds, log);
    const s = metricsOf('sqlite', sqlite);
    const p = metricsOf('pg', postgres);
    const bad = Number(s.sqliteNon2xxOrErrors) + Number(p.pgNon2xxOrErrors);
    const goals: Goal[] = [
      {
        label: 'authenticated people list vs the limit (SQLite)',
        target: '>= 67%',
        actual: `${s.sqlitePeopleOverLimitPct}% (server CPU per request: ${s.sqlitePeopleOverLimitCpuPct}%)`,
        pass: Number(s.sqlitePeopleOverLimitPct) >= 67 && bad === 0,
      },
      {
        label: '/api/health vs a trivial Fastify route',
        target: '>= 50%',
        actual: `${s.sqliteHealthOverTrivialPct}% (server CPU per request: ${s.sqliteHealthOverTrivialCpuPct}%)`,
        pass: Number(s.sqliteHealthOverTrivialPct) >= 50,
      },
      {
        label: 'catalog statements per authenticated request, warm cache',
        target: '<= 1',
        actual: `${s.sqliteCatalogStatementsPerRequest} SQLite, ${p.pgCatalogStatementsPerRequest} PostgreSQL (before subtracting the background: ${s.sqliteCatalogStatementsPerRequestGross}, ${p.pgCatalogStatementsPerRequestGross})`,
        pass:
          Number(s.sqliteCatalogStatementsPerRequest) <= 1 && Number(p.pgCatalogStatementsPerRequest) <= 1,
      },
      {
        label: 'authenticated route vs bare route (SQLite)',
        target: '>= 85%',
        actual: `${s.sqlitePeopleOverBarePct}%`,
        pass: Number(s.sqlitePeopleOverBarePct) >= 85,
      },
      {
        label: 'errors; potential leaks after the runs',
        target: '0; 0',
        actual: `${bad}; ${sqlite.leaks + postgres.leaks}`,
        pass: bad === 0 && sqlite.leaks + postgres.leaks === 0,
      },
    ];
    return {
      metrics: { roundSeconds: seconds, rounds, connections: CONNECTIONS, ...s, ...p },
      goals,
      notes: [
        `${rounds} rounds of ${seconds} s per route after a 2 s warm-up of each; each round runs the five routes back to back (order rotating). Ratios are medians of the per-round ratios (throughput), and beside them the same for server CPU per request (user + system of the serving process from /proc: the limit server's, or Steeple's), the steadier measure on a shared machine.`,
        'Steeple runs as the bench server (bench/server/main.ts: src/server.ts plus the bare route, sources through tsx, which after start-up runs the same JavaScript as dist/), logging at warn, no Redis; the limit server (bench/limit-server.ts, no Steeple code) reads the same church database: a read-only better-sqlite3 handle on the SQLite file, or a pg pool of 2 on the church database. Both answer byte-identical JSON (checked before measuring); /api/health and the trivial route both answer {"data":{"status":"ok"}}.',
        'autocannon runs in the bench process on the same 2 cores as the servers, so the fastest routes are partly bound by the client: throughput ratios understate the gap that the CPU ratios show.',
        `Statements per request: the server process runs with bench/lib/count-queries.js preloaded, which counts better-sqlite3 statements and exec calls per database file and pg queries per database (transaction statements included), and the requests it begins per path; deltas over the authenticated rounds divided by the people lists the server began (autocannon's count leaves out the up to ${CONNECTIONS} requests in flight when a round stops). The catalog figure subtracts the background (statements counted during the equally long /api/health rounds, which touch no database: the church-move placement watcher's poll, once a second); the gross figure beside it does not.`,
        'PostgreSQL: catalog in a scratch database, the church on the same local server (TENANT_SPARE_DATABASES=0); both are dropped afterwards.',
        'The bare route exists only in the bench server (bench/server/), never in the application.',
      ],
    };
  },
};
export default bench;
