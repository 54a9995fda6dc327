import fs from 'node:fs';
import path from 'node:path';
import { type FaultProxy, startFaultProxy } from '../../helpers/fault-proxy.js';
import { apiClient } from '../../helpers/http-api.js';
import { createScratchPgDatabase, dropTenantDatabasesOf, TEST_PG_URL } from '../../helpers/pg-scratch.js';
import { type ServerProcess, spawnServer } from '../../helpers/process.js';
import { startRedisChild } from '../../helpers/redis-server.js';
import { tempDataDir } from '../../helpers/config.js';
import { checkHistory } from './checker.js';
import { finalPhase } from './final-phase.js';
import { runFaults } from './faults.js';
import { History } from './history.js';
import { Random } from './random.js';
import { type Summary, summarize } from './summary.js';
import { register, runClient, type WorkloadState } from './workload.js';

export interface NemesisOptions {
  /** How long clients and faults run before healing. */
  faultMs: number;
  clients: number;
  maxRegistrations: number;
  seed: number;
  /** Where history.jsonl and server.log go. */
  outDir: string;
  /** Bound on waiting, after healing, for readiness and for registrations to settle. */
  healTimeoutMs: number;
  log?: (line: string) => void;
}

export interface NemesisResult {
  verdict: 'valid' | 'invalid';
  violations: string[];
  summary: Summary;
  historyFile: string;
  serverLog: string;
  durationMs: number;
}

/**
 * One nemesis run against a real server process whose Redis, catalog and tenant PostgreSQL
 * connections each pass through a fault proxy: clients and faults for `faultMs`, then every
 * proxy heals, the final state is read back (directly and over HTTP), and the checker judges the
 * history. Everything it starts (redis-server, databases, server) is torn down, always.
 */
export async function runNemesis(o: NemesisOptions): Promise<NemesisResult> {
  const log = o.log ?? (() => {});
  const began = Date.now();
  fs.mkdirSync(o.outDir, { recursive: true });
  const historyFile = path.join(o.outDir, 'history.jsonl');
  const serverLog = path.join(o.outDir, 'server.log');
  const teardown: Array<() => Promise<unknown> | unknown> = [];
  const rnd = new Random(o.seed);
  const h = new History(historyFile);
  teardown.push(() => h.close());
  try {
    const data = tempDataDir();
    teardown.push(() => data.cleanup());
    const redis = await startRedisChild();
    teardown.push(() => redis.kill());
    const catalog = await createScratchPgDatabase('steeple_test_nemesis');
    teardown.push(() => catalog.drop());
    teardown.push(() => dropTenantDatabasesOf(catalog.url));
    const pgPort = Number(new URL(TEST_PG_URL).port || 5432);
    const proxies: Record<string, FaultProxy> = {
      redis: await startFaultProxy({ port: redis.port }),
      catalog: await startFaultProxy({ port: pgPort }),
      tenant: await startFaultProxy({ port: pgPort }),
    };
    for (const p of Object.values(proxies)) teardown.push(() => p.close());
    const via = (url: string, proxy: FaultProxy) => {
      const u = new URL(url);
      u.port = String(proxy.port);
      return u.toString();
    };

    log('starting the server');
    const server: ServerProcess = await spawnServer(
      {
        DATA_DIR: data.dir,
        DATABASE_URL: via(catalog.url, proxies.catalog!),
        TENANT_DB_SERVERS: via(TEST_PG_URL, proxies.tenant!),
        REDIS_URL: proxies.redis!.url(),
        REDIS_KEY_PREFIX: `nemesis-${process.pid}`,
        REDIS_RECONNECT_MAX_MS: '500',
        REDIS_BREAKER_RESET_MS: '500',
        JWT_SECRET: 'nemesis-run-secret-0123456789-abcdefghij',
        OPS_TOKEN: 'nemesis-ops-token-0123',
        REGISTRATION_RATE_LIMIT: '0',
        REGISTRATION_WAIT_MS: '5000',
        REGISTRATION_LEASE_MS: '5000',
        RECONCILE_INTERVAL_MS: '1000',
        JOBS_STALLED_INTERVAL_MS: '2000',
        TENANT_POOL_MAX: '2',
        TENANT_CONNECTION_BUDGET: '16',
        TENANT_CACHE_MAX: '20',
        TENANT_PREWARM: '0',
        // A few spares, so signups taking them meet the faults too; most signups still clone.
        TENANT_SPARE_DATABASES: '3',
        TENANT_CONNECT_TIMEOUT_MS: '2000',
        SHUTDOWN_TIMEOUT_MS: '3000',
      },
      30_000,
    );
    teardown.push(async () => {
      fs.writeFileSync(serverLog, server.output());
      const killer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
      await server.stop('SIGTERM');
      clearTimeout(killer);
    });
    log(`server up at ${server.url}; ${o.clients} clients and faults for ${o.faultMs} ms (seed ${o.seed})`);

    const api = apiClient(server.url, { timeoutMs: 10_000 });
    const state: WorkloadState = {
      runId: `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`,
      churches: [],
      tokens: new Map(),
      revoked: [],
      registrations: 0,
      maxRegistrations: o.maxRegistrations,
    };
    // Warm-up without faults: one church per client, so the fault phase has sessions to work with.
    await Promise.all(
      Array.from({ length: o.clients }, (_, i) => register(i, api, h.call.bind(h), state, 'w')),
    );
    log(`warm-up done: ${state.churches.filter((c) => c.ready).length} churches ready`);
    const until = h.now() + o.faultMs;
    await Promise.all([
      ...Array.from({ length: o.clients }, (_, i) => runClient(i, api, h, state, rnd.fork(), until)),
      ...Object.entries(proxies).map(([name, p]) => runFaults(name, p, h, rnd.fork(), until)),
    ]);

    for (const p of Object.values(proxies)) await p.setMode('pass');
    h.record({ client: -1, kind: 'heal', start: h.now(), end: h.now(), outcome: 'ok' });
    log(`healed after ${h.ops.length} operations; reading everything back`);
    const final = await finalPhase({
      api,
      h,
      state,
      catalogUrl: catalog.url,
      timeoutMs: o.healTimeoutMs,
      log,
    });

    const violations = checkHistory(h.ops, final);
    return {
      verdict: violations.length ? 'invalid' : 'valid',
      violations,
      summary: summarize(h.ops, final),
      historyFile,
      serverLog,
      durationMs: Date.now() - began,
    };
  } finally {
    const t0 = Date.now();
    log('tearing down');
    for (const t of teardown.reverse()) {
      const s0 = Date.now();
      try {
        await t();
        if (Date.now() - s0 > 1000) log(`  a teardown step took ${Date.now() - s0} ms`);
      } catch (err) {
        log(`teardown step failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    log(`torn down in ${Date.now() - t0} ms`);
  }
}
