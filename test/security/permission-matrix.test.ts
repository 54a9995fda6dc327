import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/auth/roles.js';
import { createTestStack, type TestStack } from '../helpers/app.js';
import { createTestChurch, type TestChurch } from '../helpers/session.js';
import { ROUTE_ACCESS, type RouteAccess } from './route-access.table.js';

let stack: TestStack;
let church: TestChurch;
let documented: string[];

beforeAll(async () => {
  stack = await createTestStack('sqlite', { OPS_TOKEN: 'matrix-ops-token-0123456789' });
  church = await createTestChurch(stack);
  await stack.app.ready();
  const doc = stack.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
  );
});
afterAll(() => stack.close());

const key = (r: RouteAccess) => `${r.method} ${r.path}`;

/** A fresh token per call: logout/logout-all rows must not revoke the next row's token. */
async function freshToken(role: Role): Promise<string> {
  const u = church.users[role];
  const t = await stack.services.deps.auth.tokens.sign({ userId: u.id, tenantId: church.id, role });
  return t.token;
}

function call(route: RouteAccess, token?: string) {
  // Unknown ids: allowed callers get 404/400 and nothing is changed; others never get that far.
  const url = route.path.replace(/\{[^}]+\}/g, () => uuidv7());
  return stack.app.inject({
    method: route.method,
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { payload: {} } : {}),
  });
}

describe('permission matrix (role x route -> status)', () => {
  it('has exactly one row for every documented route', () => {
    const rows = ROUTE_ACCESS.map(key);
    expect(new Set(rows).size).toBe(rows.length);
    const missing = documented.filter((d) => !rows.includes(d));
    const stale = rows.filter(
      (r) =>
        !documented.includes(r) &&
        !r.startsWith('POST /api/registrations') &&
        !r.startsWith('GET /api/registrations'),
    );
    expect(missing, 'routes without a row in test/security/route-access.table.ts').toEqual([]);
    expect(stale, 'rows for routes that are not in the OpenAPI document').toEqual([]);
  });

  const ops = ROUTE_ACCESS.filter((r) => r.access === 'ops');
  it.each(ops.map((r) => [key(r), r] as const))('%s (operator only)', async (_name, route) => {
    for (const role of [undefined, ...ROLES]) {
      const res = await call(route, role && (await freshToken(role)));
      expect([401, 403], `${role ?? 'anonymous'} must be refused`).toContain(res.statusCode);
    }
  });

  const guarded = ROUTE_ACCESS.filter((r) => r.access !== 'public' && r.access !== 'ops');
  it.each(guarded.map((r) => [key(r), r] as const))('%s', async (_name, route) => {
    const allowed = route.access as readonly Role[];
    const anonymous = await call(route);
    expect(anonymous.statusCode, 'without a token').toBe(401);
    for (const role of ROLES) {
      const res = await call(route, await freshToken(role));
      if (allowed.includes(role)) {
        expect([401, 403], `${role} must be allowed`).not.toContain(res.statusCode);
        expect(res.statusCode, `${role}: ${res.body}`).toBeLessThan(500);
      } else {
        expect(res.statusCode, `${role} must be refused`).toBe(403);
        expect(res.json().code).toBe('FORBIDDEN');
      }
    }
  });

  it('a route in the tenant scope that declares no permission is refused (fail closed)', async () => {
    const s = await createTestStack('sqlite');
    try {
      const c = await createTestChurch(s, { roles: ['admin'] });
      // Registered the way a forgetful module would: inside the scope, no config.permission.
      const { installTenantContext } = await import('../../src/http/tenant-context.js');
      await s.app.register(
        async (scope) => {
          installTenantContext(scope, {
            auth: s.services.deps.auth,
            tenants: s.services.deps.tenants,
            maxInflight: s.config.tenant.maxInflight,
          });
          scope.get('/forgot', { schema: { hide: true } }, async () => ({ data: 'leak' }));
        },
        { prefix: '/test' },
      );
      const res = await s.app.inject({ url: '/test/forgot', headers: c.as('admin') });
      expect(res.statusCode).toBe(403);
    } finally {
      await s.close();
    }
  });
});
