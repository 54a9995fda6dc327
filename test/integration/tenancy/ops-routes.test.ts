import { sql } from 'kysely';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../../../src/http/error-handler.js';
import { metricsRoutes } from '../../../src/http/metrics.routes.js';
import { connectionStatsRoutes } from '../../../src/tenancy/connection-stats.routes.js';
import { createTestStack } from '../../helpers/app.js';
import { createTenancyFixture, type TenancyFixture } from './tenancy-fixture.js';

const TOKEN = 'ops-token-0123456789abcdef';

async function opsApp(f: TenancyFixture, opsToken: string | undefined) {
  const app = Fastify();
  installErrorHandling(app);
  await app.register(metricsRoutes, { registry: f.metrics, opsToken });
  await app.register(connectionStatsRoutes, { prefix: '/api', tenants: f.manager, opsToken });
  return app;
}

describe('operator routes', () => {
  let f: TenancyFixture;
  afterEach(async () => {
    await f?.close();
  });

  it('report connection stats and Prometheus metrics to the bearer of OPS_TOKEN only', async () => {
    f = await createTenancyFixture('sqlite');
    const id = await f.addTenant();
    await f.manager.withTenant(id, (db) => sql`select 1`.execute(db));
    const lease = await f.manager.acquire(id);
    const app = await opsApp(f, TOKEN);
    const auth = { authorization: `Bearer ${TOKEN}` };

    const res = await app.inject({ url: '/api/health/connections', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.connections).toMatchObject({
      totalCreated: 1,
      totalClosed: 0,
      totalEvicted: 0,
      currentlyOpen: 1,
      closing: 0,
      leased: 1,
      waiting: 0,
      potentialLeaks: 0,
    });
    expect(res.json().data.tenants).toEqual([
      expect.objectContaining({ tenantId: id, leases: 1, kind: 'sqlite' }),
    ]);

    const metrics = await app.inject({ url: '/metrics', headers: auth });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toMatch(/^steeple_tenant_handles_open 1$/m);
    expect(metrics.body).toMatch(/^steeple_tenant_handles_created_total 1$/m);
    expect(metrics.body).toMatch(/^steeple_tenant_acquire_wait_seconds_count 2$/m);
    for (const name of ['closed_total', 'evicted_total'])
      expect(metrics.body).toContain(`steeple_tenant_handles_${name}`);
    expect(metrics.body).toContain('steeple_tenant_open_errors_total');
    expect(metrics.body).toContain('steeple_tenant_close_timeouts_total');
    expect(metrics.body).not.toContain(id); // no tenant id as a label

    for (const headers of [
      {},
      { authorization: 'Bearer wrong-token-0123456789' },
      { authorization: TOKEN },
    ]) {
      for (const url of ['/api/health/connections', '/metrics']) {
        const denied = await app.inject({ url, headers });
        expect(denied.statusCode).toBe(401);
        expect(denied.json().code).toBe('UNAUTHENTICATED');
      }
    }
    lease.release();
    await app.close();
  });

  it('answer only loopback clients when OPS_TOKEN is unset', async () => {
    f = await createTenancyFixture('sqlite');
    const app = await opsApp(f, undefined);
    expect((await app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/health/connections', remoteAddress: '::1' })).statusCode).toBe(200);
    const remote = await app.inject({
      url: '/api/health/connections',
      remoteAddress: '203.0.113.9',
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    expect(remote.statusCode).toBe(403);
    expect((await app.inject({ url: '/metrics', remoteAddress: '10.0.0.1' })).statusCode).toBe(403);
    await app.close();
  });

  it('render manager failures as problems: 503 TENANT_UNAVAILABLE with Retry-After, 404 unknown', async () => {
    f = await createTenancyFixture('sqlite');
    const missing = await f.addTenant({ create: false });
    const app = Fastify();
    installErrorHandling(app);
    app.get<{ Params: { id: string } }>('/t/:id', async (req) =>
      f.manager.withTenant(req.params.id, async () => 'ok'),
    );
    const res = await app.inject({ url: `/t/${missing}` });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.json()).toMatchObject({ code: 'TENANT_UNAVAILABLE', status: 503 });
    expect(res.body).not.toMatch(/sqlite|SQLITE|\.db/);
    const unknown = await app.inject({ url: '/t/01890a5d-ac96-774b-bcce-b302099a8057' });
    expect(unknown.statusCode).toBe(404);
    expect((await app.inject({ url: '/t/..%2f..%2fetc' })).statusCode).toBe(400);
    await app.close();
  });

  it('are mounted by buildApp with the manager from services', async () => {
    const stack = await createTestStack('sqlite', { OPS_TOKEN: TOKEN });
    try {
      const res = await stack.app.inject({
        url: '/api/health/connections',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().data.connections.potentialLeaks).toBe(0);
      const m = await stack.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(m.body).toContain('steeple_tenant_handles_open');
      expect((await stack.app.inject({ url: '/metrics' })).statusCode).toBe(401);
    } finally {
      await stack.close();
    }
  });
});
