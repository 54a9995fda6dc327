import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { type Api, apiClient, waitUntil } from '../helpers/http-api.js';
import {
  createScratchPgDatabase,
  dropTenantDatabasesOf,
  pgAdmin,
  TEST_PG_URL,
} from '../helpers/pg-scratch.js';
import { type ServerProcess, spawnServer } from '../helpers/process.js';
import { hasRedisServer, type RedisChild, startRedisChild } from '../helpers/redis-server.js';
import { tempDataDir } from '../helpers/config.js';

const ready = inject('pgAvailable') && hasRedisServer();
const PASSWORD = 'two instances password';

/**
 * Two real server processes (A and B) on one PostgreSQL catalog, one PostgreSQL tenant server
 * and one private redis-server: revocation, job hand-over and rate limits hold across them.
 * A reaches the catalog, and B reaches Redis, through fault proxies, so the test can make A the
 * worker that takes a job and slow it down mid-job.
 */
describe.runIf(ready)('two server processes', () => {
  let redis: RedisChild;
  let catalog: { url: string; drop: () => Promise<void> };
  let proxyA: FaultProxy;
  let redisProxyB: FaultProxy;
  let a: ServerProcess;
  let b: ServerProcess;
  let apiA: Api;
  let apiB: Api;
  const data = tempDataDir();
  let seq = 0;
  let env: Record<string, string>;

  beforeAll(async () => {
    redis = await startRedisChild();
    catalog = await createScratchPgDatabase('steeple_test_two');
    proxyA = await startFaultProxy({ port: Number(new URL(TEST_PG_URL).port || 5432) });
    redisProxyB = await startFaultProxy({ port: redis.port });
    env = {
      DATA_DIR: data.dir,
      TENANT_DB_SERVERS: TEST_PG_URL,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `two-${process.pid}`,
      REDIS_RECONNECT_MAX_MS: '200',
      REDIS_BREAKER_RESET_MS: '200',
      JWT_SECRET: 'two-server-processes-share-this-secret-0123',
      OPS_TOKEN: 'two-instances-ops-token',
      TRUST_PROXY: 'true',
      REGISTRATION_RATE_LIMIT: '3',
      RECONCILE_INTERVAL_MS: '1000',
      REGISTRATION_LEASE_MS: '3000',
      JOBS_STALLED_INTERVAL_MS: '1000',
      TENANT_POOL_MAX: '2',
      TENANT_PREWARM: '0',
    };
    const catalogViaProxy = new URL(catalog.url);
    catalogViaProxy.port = String(proxyA.port);
    // B first: it migrates the catalog; A then starts on a migrated catalog through its proxy.
    b = await spawnServer({ ...env, DATABASE_URL: catalog.url, REDIS_URL: redisProxyB.url() }, 30_000);
    a = await spawnServer({ ...env, DATABASE_URL: catalogViaProxy.toString() }, 30_000);
    apiA = apiClient(a.url, { forwardedFor: '10.0.0.1' });
    apiB = apiClient(b.url, { forwardedFor: '10.0.0.1' });
  }, 90_000);

  afterAll(async () => {
    await a?.stop('SIGKILL');
    await b?.stop('SIGKILL');
    await proxyA?.close();
    await redisProxyB?.close();
    await redis?.kill();
    if (catalog) {
      await dropTenantDatabasesOf(catalog.url);
      await catalog.drop();
    }
    data.cleanup();
  }, 60_000);

  const registration = (ip: string) => {
    const n = seq++;
    return {
      ip,
      body: {
        church: { name: `Two ${n}`, slug: `two-${n}-${process.pid}`, timezone: 'UTC', currency: 'USD' },
        admin: { name: `Admin ${n}`, email: `admin${n}@two.example`, password: PASSWORD },
      },
    };
  };
  const login = async (api: Api, reg: ReturnType<typeof registration>) => {
    const res = await api('POST', '/api/auth/login', {
      church: reg.body.church.slug,
      email: reg.body.admin.email,
      password: PASSWORD,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data.accessToken as string;
  };
  const me = async (api: Api, token: string) => (await api('GET', '/api/me', undefined, token)).status;
  const redisCheck = async (api: Api) => (await api('GET', '/api/health/ready')).body?.data?.checks?.redis;

  let church: ReturnType<typeof registration>;
  const revoked: string[] = [];

  it('a token logged out through A is refused by B, with Redis up', async () => {
    church = registration('10.0.1.1');
    const res = await apiClient(b.url, { forwardedFor: church.ip })(
      'POST',
      '/api/registrations?wait=true',
      church.body,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);

    const token = await login(apiA, church);
    expect(await me(apiB, token)).toBe(200);
    expect((await apiA('POST', '/api/auth/logout', undefined, token)).status).toBe(204);
    expect(await me(apiB, token)).toBe(401);
    expect(await me(apiA, token)).toBe(401);
    revoked.push(token);
  }, 30_000);

  it('with Redis down, a logout through A is refused by B, and still after Redis returns', async () => {
    await redis.kill();
    await waitUntil(
      'both instances see Redis down',
      async () => (await redisCheck(apiA)) === 'down' && (await redisCheck(apiB)) === 'down',
    );
    for (const t of revoked) expect(await me(apiB, t)).toBe(401);

    const token = await login(apiA, church);
    expect(await me(apiB, token)).toBe(200);
    expect((await apiA('POST', '/api/auth/logout', undefined, token)).status).toBe(204);
    expect(await me(apiB, token)).toBe(401);
    expect(await me(apiA, token)).toBe(401);
    revoked.push(token);

    await redis.start();
    await waitUntil(
      'both instances see Redis up',
      async () => (await redisCheck(apiA)) === 'up' && (await redisCheck(apiB)) === 'up',
    );
    for (const t of revoked) {
      expect(await me(apiA, t)).toBe(401);
      expect(await me(apiB, t)).toBe(401);
    }
    // Not a blanket refusal: a fresh session works on both.
    const fresh = await login(apiB, church);
    expect(await me(apiA, fresh)).toBe(200);
  }, 40_000);

  it('rate-limit counters are shared: 3 registrations per IP in total across A and B', async () => {
    const ip = '10.0.2.2';
    const viaA = apiClient(a.url, { forwardedFor: ip });
    const viaB = apiClient(b.url, { forwardedFor: ip });
    const statuses: number[] = [];
    for (const api of [viaA, viaB, viaA, viaB, viaA]) {
      statuses.push((await api('POST', '/api/registrations', registration(ip).body)).status);
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    // Another IP is not affected.
    const other = await apiClient(b.url, { forwardedFor: '10.0.2.3' })(
      'POST',
      '/api/registrations',
      registration('10.0.2.3').body,
    );
    expect(other.status, JSON.stringify(other.body)).toBe(202);
  }, 30_000);

  it('a registration accepted by A is finished by B when A is SIGKILLed mid-job', async () => {
    // Every catalog round trip of A now takes ~300 ms, so its provisioning job takes seconds;
    // B's worker is cut off from Redis so that A's worker is the one that takes the job.
    await proxyA.setMode('latency', { latencyMs: 150 });
    await redisProxyB.setMode('refuse');
    const reg = registration('10.0.3.3');
    const res = await apiClient(a.url, { forwardedFor: reg.ip })('POST', '/api/registrations', reg.body);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const id = res.body.data.id as string;

    const row = async () =>
      (
        await pgAdmin(
          'select status, step, attempts, lease_owner from registrations where id = $1',
          [id],
          catalog.url,
        )
      ).rows[0] as { status: string; step: string; attempts: number; lease_owner: string | null };
    await waitUntil(
      'A claimed the registration',
      async () => (await row()).lease_owner?.endsWith(`:${a.child.pid}`) ?? false,
      20_000,
      20,
    );
    const atKill = await row();
    a.child.kill('SIGKILL');
    await a.exited;
    expect(atKill.status).toBe('provisioning');
    await redisProxyB.setMode('pass');

    await waitUntil(
      'B finished the registration',
      async () => (await apiB('GET', `/api/registrations/${id}`)).body.data.status === 'ready',
      30_000,
      100,
    );
    const done = await row();
    expect(done).toMatchObject({ status: 'ready', step: 'active', lease_owner: null });
    // A's claim was attempt 1; the one that finished came later, and only B is alive.
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    const token = await login(apiB, reg);
    expect(await me(apiB, token)).toBe(200);
    // Exactly one admin: the seed step ran to completion once, whatever A left half done.
    const users = await apiB('GET', '/api/users', undefined, token);
    expect(users.status).toBe(200);
    expect(users.body.data.filter((u: { email: string }) => u.email === reg.body.admin.email)).toHaveLength(
      1,
    );
  }, 60_000);
});
