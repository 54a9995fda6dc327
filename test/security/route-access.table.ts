import type { Role } from '../../src/auth/roles.js';

/**
 * Who may call every route of the API: ONE row per `METHOD /path` of the OpenAPI document.
 * The permission-matrix test fails when a documented route has no row here (or a row names a
 * route that no longer exists), so every new route must add its row. Expectations come from
 * the role rules (docs/security.md), written out per role, not computed from src/auth/roles.ts.
 *
 * `access`: 'public' (anyone, no token), 'ops' (OPS_TOKEN only: every staff token is refused), or
 * the roles allowed (all other roles get 403 FORBIDDEN, no token 401).
 */
export interface RouteAccess {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As in the OpenAPI document: `/api/people/{id}`. */
  path: string;
  access: 'public' | 'ops' | readonly Role[];
}

const ALL: readonly Role[] = ['admin', 'finance', 'staff', 'viewer'];
const WRITERS: readonly Role[] = ['admin', 'staff'];
const GIVING: readonly Role[] = ['admin', 'finance'];
const ADMIN: readonly Role[] = ['admin'];

const rows = (access: RouteAccess['access'], ...routes: string[]): RouteAccess[] =>
  routes.map((r) => {
    const [method, path] = r.split(' ') as [RouteAccess['method'], string];
    return { method, path, access };
  });

export const ROUTE_ACCESS: readonly RouteAccess[] = [
  ...rows(
    'public',
    'GET /api/health',
    'GET /api/health/ready',
    'GET /api/openapi.json',
    'POST /api/auth/login',
    'POST /api/auth/refresh',
    'POST /api/auth/password-reset',
    'POST /api/auth/password-reset/confirm',
    'POST /api/invites/inspect',
    'POST /api/invites/accept',
    'POST /api/registrations',
    'GET /api/registrations/slug-availability',
    'GET /api/registrations/{id}',
  ),
  // Operator routes: OPS_TOKEN only; no staff token opens them.
  ...rows(
    'ops',
    'GET /metrics',
    'GET /api/health/connections',
    'GET /api/ops/tenants',
    'POST /api/ops/tenants/{ref}/suspend',
    'POST /api/ops/tenants/{ref}/resume',
    'POST /api/ops/tenants/{ref}/export',
    'DELETE /api/ops/tenants/{ref}',
    'POST /api/ops/tenants/{ref}/move',
    'POST /api/ops/tenants/restore',
  ),
  // Every signed-in user: their own session and account.
  ...rows(
    ALL,
    'POST /api/auth/logout',
    'POST /api/auth/logout-all',
    'GET /api/imports/{id}',
    'GET /api/me',
    'PATCH /api/me',
    'POST /api/me/password',
  ),
  ...rows(
    ADMIN,
    'GET /api/users',
    'POST /api/users',
    'GET /api/users/{id}',
    'PATCH /api/users/{id}',
    'POST /api/users/{id}/disable',
    'POST /api/users/{id}/enable',
    'GET /api/invites',
    'POST /api/invites',
    'DELETE /api/invites/{id}',
    'PATCH /api/church',
    'GET /api/church/export',
    'GET /api/audit-log',
    'POST /api/custom-fields',
    'PATCH /api/custom-fields/{id}',
    'DELETE /api/custom-fields/{id}',
  ),
  // viewer reads people, groups and events; staff also writes them and records attendance.
  ...rows(
    ALL,
    'GET /api/people',
    'GET /api/people/{id}',
    'GET /api/people/{id}/attendance',
    'GET /api/custom-fields',
    'GET /api/custom-fields/{id}',
    'GET /api/households',
    'GET /api/households/{id}',
    'GET /api/households/{id}/members',
    'GET /api/tags',
    'GET /api/tags/{id}',
    'GET /api/people/{id}/tags',
    'GET /api/groups',
    'GET /api/groups/{id}',
    'GET /api/groups/{id}/members',
    'GET /api/people/{id}/groups',
    'GET /api/events',
    'GET /api/events/{id}',
    'GET /api/events/{id}/attendance',
    'GET /api/church',
    'GET /api/church/summary',
  ),
  ...rows(
    WRITERS,
    'POST /api/people',
    'PATCH /api/people/{id}',
    'DELETE /api/people/{id}',
    'POST /api/households',
    'PATCH /api/households/{id}',
    'DELETE /api/households/{id}',
    'POST /api/households/{id}/members',
    'DELETE /api/households/{id}/members/{personId}',
    'POST /api/tags',
    'PATCH /api/tags/{id}',
    'DELETE /api/tags/{id}',
    'PUT /api/people/{id}/tags/{tagId}',
    'DELETE /api/people/{id}/tags/{tagId}',
    'POST /api/groups',
    'PATCH /api/groups/{id}',
    'DELETE /api/groups/{id}',
    'POST /api/groups/{id}/members',
    'DELETE /api/groups/{id}/members/{personId}',
    'POST /api/events',
    'PATCH /api/events/{id}',
    'DELETE /api/events/{id}',
    'PUT /api/events/{id}/headcount',
    'POST /api/events/{id}/attendance',
    'DELETE /api/events/{id}/attendance/{personId}',
    'POST /api/imports/people',
  ),
  // finance reads and writes giving.
  ...rows(
    GIVING,
    'GET /api/funds',
    'POST /api/funds',
    'GET /api/funds/{id}',
    'PATCH /api/funds/{id}',
    'DELETE /api/funds/{id}',
    'GET /api/batches',
    'POST /api/batches',
    'GET /api/batches/{id}',
    'PATCH /api/batches/{id}',
    'DELETE /api/batches/{id}',
    'POST /api/batches/{id}/commit',
    'GET /api/donations',
    'POST /api/donations',
    'GET /api/donations/{id}',
    'PATCH /api/donations/{id}',
    'DELETE /api/donations/{id}',
    'POST /api/donations/{id}/reverse',
    'POST /api/imports/giving',
    'GET /api/people/{id}/giving-statement',
    'GET /api/people/{id}/giving-statement.html',
    'GET /api/households/{id}/giving-statement',
    'GET /api/households/{id}/giving-statement.html',
    'GET /api/giving/year-end/{year}',
    'GET /api/giving/year-end/{year}/statements.zip',
    'POST /api/giving/year-end/{year}/emails',
    'GET /api/giving/year-end-runs/{id}',
  ),
];
