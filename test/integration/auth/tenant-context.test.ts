import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../helpers/app.js';
import { installTenantContext } from '../../../src/http/tenant-context.js';
import type { TenantDbManager } from '../../../src/tenancy/tenant-db-manager.js';
import type { TenantLease } from '../../../src/tenancy/tenant-database.js';
import { createTestStack, type TestStack } from '../../helpers/app.js';
import { createTestChurch, type TestChurch } from '../../helpers/session.js';

/** The real manager, counting every acquire and every release call (everything else passes through). */
function counting(inner: TenantDbManager) {
  const counts = { acquired: 0, released: 0 };
  const slow = { acquireDelayMs: 0 };
  const acquire = async (id: string): Promise<TenantLease> => {
    if (slow.acquireDelayMs) await new Promise((r) => setTimeout(r, slow.acquireDelayMs));
    const lease = await inner.acquire(id);
    counts.acquired++;
    return {
      tenantId: lease.tenantId,
      db: lease.db,
      release: () => {
        counts.released++;
        lease.release();
      },
    };
  };
  const tenants = new Proxy(inner, {
    get(target, prop) {
      if (prop === 'acquire') return acquire;
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { tenants, counts, slow };
}

describe('tenant context hook: one release per lease on every ending path', () => {
  let stack: TestStack;
  let church: TestChurch;
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  let counts: { acquired: number; released: number };
  let slow: { acquireDelayMs: number };
  let url: string;

  beforeAll(async () => {
    stack = await createTestStack('sqlite');
    church = await createTestChurch(stack, { roles: ['admin', 'viewer'] });
    const c = counting(stack.services.deps.tenants);
    counts = c.counts;
    slow = c.slow;
    app = await buildTestApp({ ...stack.services.deps, tenants: c.tenants });
    await app.register(
      async (scope) => {
        installTenantContext(scope, {
          auth: stack.services.deps.auth,
          tenants: c.tenants,
          maxInflight: stack.config.tenant.maxInflight,
        });
        // Test-only routes: hidden from the document.
        const opts = { config: { permission: 'self' as const }, schema: { hide: true } };
        scope.get('/slow', opts, async () => {
          await new Promise((r) => setTimeout(r, 300));
          return { data: 'late' };
        });
        scope.get('/boom', opts, async () => {
          throw new Error('handler failed');
        });
      },
      { prefix: '/test' },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    await stack.close();
  });

  it('success, validation error, handler error, forbidden and not found', async () => {
    const h = church.as('admin');
    const before = { ...counts };
    const statuses = await Promise.all([
      app.inject({ url: '/api/me', headers: h }),
      app.inject({ method: 'PATCH', url: '/api/me', headers: h, payload: { nope: 1 } }),
      app.inject({ url: '/test/boom', headers: h }),
      app.inject({ url: '/api/users/x', headers: h }),
      app.inject({ url: '/api/users', headers: church.as('viewer') }),
    ]).then((rs) => rs.map((r) => r.statusCode));
    expect(statuses).toEqual([200, 400, 500, 404, 403]);
    // The 403 and the 400 never leased: the lease is taken after the body is parsed and valid.
    expect(counts.acquired - before.acquired).toBe(3);
    expect(counts.released - before.released).toBe(3);
  });

  it('a client that aborts mid-request', async () => {
    const before = { ...counts };
    await new Promise<void>((resolve) => {
      const req = http.get(`${url}/test/slow`, { headers: church.as('admin') });
      req.on('error', () => resolve());
      setTimeout(() => req.destroy(), 100);
    });
    await new Promise((r) => setTimeout(r, 60));
    // Released when the response closes, before the (still running) handler ends.
    expect(counts.released - before.released).toBe(1);
    await new Promise((r) => setTimeout(r, 400)); // let the handler finish: no second release
    expect(counts.acquired - before.acquired).toBe(1);
    expect(counts.released - before.released).toBe(1);
  });

  it('a client that leaves while the lease is being taken: released at once, never leaked', async () => {
    const before = { ...counts };
    slow.acquireDelayMs = 200;
    try {
      await new Promise<void>((resolve) => {
        const req = http.get(`${url}/api/me`, { headers: church.as('admin') });
        req.on('error', () => resolve());
        setTimeout(() => req.destroy(), 50);
      });
      await new Promise((r) => setTimeout(r, 400));
    } finally {
      slow.acquireDelayMs = 0;
    }
    expect(counts.acquired - before.acquired).toBe(1);
    expect(counts.released - before.released).toBe(1);
    expect(stack.services.deps.tenants.getStats().leased).toBe(0);
  });
});
