import { dereference } from '../helpers/contract/dereference.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import type { TestChurch } from '../helpers/session.js';
import { createGivingChurch } from '../integration/giving/giving-church.js';

/**
 * Cross-church isolation, driven by the OpenAPI document: for every route that needs a token and
 * takes ids (path, query or JSON body), church A's admin token is tried with church B's ids.
 * Path ids must answer 404 (operator routes 401/403), body ids 404, query ids 404 or an empty
 * list; and B's full export is identical before and after. A new route is covered without
 * editing this file; a parameter the factories below do not know fails the suite loudly.
 */

/** Real objects of every kind in one church (created over HTTP by its admin). */
interface Fixture {
  churchId: string;
  slug: string;
  person: string;
  household: string;
  tag: string;
  group: string;
  event: string;
  fund: string;
  openBatch: string;
  committedBatch: string;
  openDonation: string;
  committedDonation: string;
  user: string;
}

/** Path parameters, keyed by `<segment before it>/{name}`: every id of that kind to try. */
const PATH_IDS: Record<string, (f: Fixture) => string[]> = {
  'people/{id}': (f) => [f.person],
  'households/{id}': (f) => [f.household],
  'members/{personId}': (f) => [f.person],
  'tags/{id}': (f) => [f.tag],
  'tags/{tagId}': (f) => [f.tag],
  'groups/{id}': (f) => [f.group],
  'events/{id}': (f) => [f.event],
  'attendance/{personId}': (f) => [f.person],
  'funds/{id}': (f) => [f.fund],
  'batches/{id}': (f) => [f.openBatch, f.committedBatch],
  'donations/{id}': (f) => [f.openDonation, f.committedDonation],
  'users/{id}': (f) => [f.user],
  'tenants/{ref}': (f) => [f.churchId, f.slug],
};

/** JSON body and query properties that carry ids, by name. */
const FIELD_IDS: Record<string, (f: Fixture) => string | string[]> = {
  personId: (f) => f.person,
  personIds: (f) => [f.person],
  householdId: (f) => f.household,
  groupId: (f) => f.group,
  group: (f) => f.group,
  tag: (f) => f.tag,
  tagId: (f) => f.tag,
  fundId: (f) => f.fund,
  batchId: (f) => f.openBatch,
  actor: (f) => f.user,
};

/**
 * Body arrays of objects with id fields: a value built from one church's ids, and the top-level
 * fields it replaces (donation splits stand instead of fundId + amountCents).
 */
const NESTED_IDS: Record<string, { value: (f: Fixture) => unknown; replaces: string[] }> = {
  splits: { value: (f) => [{ fundId: f.fund, amountCents: 1000 }], replaces: ['fundId', 'amountCents'] },
};

/** Query parameters that carry no id. Anything else unknown fails the suite. */
const PLAIN_QUERY = new Set([
  ...['q', 'membershipStatus', 'limit', 'cursor', 'from', 'to', 'role', 'entity', 'status'],
  ...['year', 'dryRun', 'wait', 'now'],
]);

/** Extra body fields a route needs beyond its required ones to get past validation. */
const BODY_EXTRAS: Record<string, (f: Fixture) => Record<string, unknown>> = {
  'POST /api/donations': (f) => ({ amountCents: 1000, fundId: f.fund, batchId: f.openBatch }),
  // fundId and amountCents go together.
  'PATCH /api/donations/{id}': (f) => ({ amountCents: 1000, fundId: f.fund }),
};

const looksLikeId = (name: string) => /(Id|Ids)$/.test(name) || name === 'tag' || name === 'actor';
const nestsIds = (schema: Schema) =>
  schema.type === 'array' && Object.keys(schema.items?.properties ?? {}).some(looksLikeId);

interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  anyOf?: Schema[];
  minimum?: number;
  minLength?: number;
  minProperties?: number;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
}

interface Operation {
  method: string;
  path: string;
  parameters: Array<{ in: string; name: string; required?: boolean; schema?: Schema }>;
  body?: Schema;
  ops: boolean;
}

/** A valid value for a non-id schema: enough to get a body past validation. */
function sample(schema: Schema): unknown {
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return sample(schema.anyOf[0]!);
  switch (schema.type) {
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return true;
    case 'array':
      return [sample(schema.items ?? {})];
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((k) => [k, sample(schema.properties![k]!)]));
    default:
      if (schema.format === 'date') return '2026-03-01';
      if (schema.format === 'date-time') return '2026-03-01T15:00:00Z';
      if (schema.format === 'email') return 'someone@example.org';
      return 'Isolation probe';
  }
}

/** Required fields plus extras; id fields come from `ids` (church A unless swapped). */
function bodyFor(op: Operation, ids: Fixture): Record<string, unknown> {
  const schema = op.body!;
  const out: Record<string, unknown> = {};
  for (const k of schema.required ?? []) {
    out[k] = looksLikeId(k) ? idField(k, ids) : sample(schema.properties![k]!);
  }
  // A PATCH needs at least one field: the first plain text one.
  if (Object.keys(out).length < (schema.minProperties ?? 0)) {
    const [k, p] = Object.entries(schema.properties ?? {}).find(
      ([n, p]) => !looksLikeId(n) && p.type === 'string',
    )!;
    out[k] = sample(p);
  }
  return { ...out, ...BODY_EXTRAS[`${op.method} ${op.path}`]?.(ids) };
}

function idField(name: string, f: Fixture): string | string[] {
  const fill = FIELD_IDS[name];
  if (!fill) throw new Error(`isolation: no id factory for field "${name}"; add it to FIELD_IDS`);
  return fill(f);
}

/** Required plain query parameters (e.g. a statement's year), as `?a=1&b=2` or ''. */
function queryFor(op: Operation): string {
  const q = op.parameters
    .filter((p) => p.in === 'query' && p.required && PLAIN_QUERY.has(p.name))
    .map((p) => `${p.name}=${encodeURIComponent(String(sample(p.schema ?? {})))}`);
  return q.length ? `?${q.join('&')}` : '';
}

/** Every filling of the path: all of B's ids, and (with two or more) B's id in one place only. */
function pathsFor(op: Operation, a: Fixture, b: Fixture): string[] {
  const names = [...op.path.matchAll(/([^/]+)\/\{([^}]+)\}/g)].map((m) => `${m[1]}/{${m[2]}}`);
  for (const n of names) {
    if (!PATH_IDS[n]) throw new Error(`isolation: no id factory for ${n} in ${op.path}; add it to PATH_IDS`);
  }
  const fill = (choose: (n: string, i: number) => string) => {
    let i = 0;
    return op.path.replace(/\{[^}]+\}/g, () => {
      const n = names[i]!;
      return choose(n, i++);
    });
  };
  const out = new Set<string>();
  // Every candidate of B for each place, first candidates elsewhere (small cartesian product).
  names.forEach((_, at) => {
    for (const candidate of PATH_IDS[names[at]!]!(b)) {
      out.add(fill((n, i) => (i === at ? candidate : PATH_IDS[n]!(b)[0]!)));
      if (names.length > 1) out.add(fill((n, i) => (i === at ? candidate : PATH_IDS[n]!(a)[0]!)));
    }
  });
  return [...out];
}

describe.each(DIALECTS)('church isolation over every documented route (tenants on %s)', (dialect) => {
  const OPS_TOKEN = 'isolation-ops-token-0123456789';
  let stack: TestStack;
  let churchA: TestChurch & { drop(): Promise<void> };
  let churchB: TestChurch & { drop(): Promise<void> };
  let fa: Fixture;
  let fb: Fixture;
  let operations: Operation[];

  const call = (method: string, url: string, headers: Record<string, string>, payload?: unknown) =>
    stack.app.inject({ method: method as 'GET', url, headers, payload: payload as object });

  async function fixture(c: TestChurch): Promise<Fixture> {
    const h = c.as('admin');
    const post = async (url: string, body?: unknown, status = 201) => {
      const res = await call('POST', url, h, body);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
      return res.statusCode === 204 ? undefined : res.json().data;
    };
    const person = (await post('/api/people', { firstName: 'Fix', lastName: 'Ture' })).id;
    const household = (await post('/api/households', { name: 'Fixture family' })).id;
    await post(`/api/households/${household}/members`, { personId: person, role: 'head' });
    const tag = (await post('/api/tags', { name: 'Fixture tag' })).id;
    expect((await call('PUT', `/api/people/${person}/tags/${tag}`, h)).statusCode).toBe(204);
    const group = (await post('/api/groups', { name: 'Fixture group' })).id;
    await post(`/api/groups/${group}/members`, { personId: person, role: 'member' });
    const event = (
      await post('/api/events', { name: 'Service', startsAt: '2026-03-01T15:00:00Z', groupId: group })
    ).id;
    await post(`/api/events/${event}/attendance`, { personIds: [person] });
    const fund = (await post('/api/funds', { name: 'General', taxDeductible: true })).id;
    const donation = async (batchId: string) =>
      (
        await post('/api/donations', {
          personId: person,
          fundId: fund,
          batchId,
          amountCents: 2500,
          receivedOn: '2026-03-01',
          method: 'cash',
        })
      ).id;
    const openBatch = (await post('/api/batches', { name: 'Open', date: '2026-03-01' })).id;
    const openDonation = await donation(openBatch);
    const committedBatch = (await post('/api/batches', { name: 'Done', date: '2026-03-01' })).id;
    const committedDonation = await donation(committedBatch);
    await post(`/api/batches/${committedBatch}/commit`, undefined, 200);
    return {
      churchId: c.id,
      slug: c.slug,
      person,
      household,
      tag,
      group,
      event,
      fund,
      openBatch,
      committedBatch,
      openDonation,
      committedDonation,
      user: c.users.staff.id,
    };
  }

  const exportB = async () => {
    const res = await call('GET', '/api/church/export', churchB.as('admin'));
    expect(res.statusCode).toBe(200);
    return res.json().data.tables;
  };

  beforeAll(async () => {
    stack = await createTestStack(dialect, { OPS_TOKEN });
    churchA = await createGivingChurch(stack, dialect, 'Church A');
    churchB = await createGivingChurch(stack, dialect, 'Church B');
    fa = await fixture(churchA);
    fb = await fixture(churchB);
    const doc = dereference((await call('GET', '/api/openapi.json', {})).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            tags?: string[];
            parameters?: Operation['parameters'];
            requestBody?: { content: Record<string, { schema: Schema }> };
          }
        >
      >;
    };
    operations = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        // Needs a token: refused without one. Public routes (login, registration status) are not tenant routes.
        const probe = await call(method.toUpperCase(), path.replace(/\{[^}]+\}/g, 'x'), {});
        if (probe.statusCode !== 401) continue;
        operations.push({
          method: method.toUpperCase(),
          path,
          parameters: op.parameters ?? [],
          body: op.requestBody?.content['application/json']?.schema,
          // Operator routes are tagged `ops` (every token route declares bearer security).
          ops: op.tags?.includes('ops') ?? false,
        });
      }
    }
  });
  afterAll(async () => {
    await stack?.close();
    await churchA?.drop();
    await churchB?.drop();
  });

  it("church A's admin token never reaches church B's objects, and B is unchanged", async () => {
    expect(operations.length).toBeGreaterThan(50);
    const before = await exportB();
    const asA = churchA.as('admin');
    const failures: string[] = [];
    let tried = 0;
    const attempt = async (
      op: Operation,
      url: string,
      payload: unknown,
      accept: (status: number, body: string) => boolean,
    ) => {
      tried++;
      const res = await call(op.method, url, asA, payload);
      if (!accept(res.statusCode, res.body))
        failures.push(
          `${op.method} ${url} ${JSON.stringify(payload) ?? ''} -> ${res.statusCode} ${res.body.slice(0, 200)}`,
        );
    };
    const notFound = (op: Operation) => (status: number) =>
      op.ops ? [401, 403].includes(status) : status === 404;

    for (const op of operations) {
      const pathNames = op.parameters.filter((p) => p.in === 'path');
      // 1. B's ids in the path (a valid body with A's ids, so only the path can be the reason).
      if (pathNames.length) {
        for (const url of pathsFor(op, fa, fb))
          await attempt(op, url + queryFor(op), op.body ? bodyFor(op, fa) : undefined, notFound(op));
      }
      const aPath = pathNames.length ? pathsFor(op, fa, fa)[0]! : op.path;
      // 2. B's id in one body field, A's everywhere else.
      for (const [name, schema] of Object.entries(op.body?.properties ?? {})) {
        if (looksLikeId(name)) {
          await attempt(
            op,
            aPath + queryFor(op),
            { ...bodyFor(op, fa), [name]: idField(name, fb) },
            notFound(op),
          );
        } else if (nestsIds(schema)) {
          const nested = NESTED_IDS[name];
          if (!nested) throw new Error(`isolation: body array "${name}" holds ids; add it to NESTED_IDS`);
          const base = Object.fromEntries(
            Object.entries(bodyFor(op, fa)).filter(([k]) => !nested.replaces.includes(k)),
          );
          await attempt(op, aPath + queryFor(op), { ...base, [name]: nested.value(fb) }, notFound(op));
        }
      }
      // 3. B's id in one query parameter: refused, or nothing listed.
      for (const q of op.parameters.filter((p) => p.in === 'query')) {
        if (PLAIN_QUERY.has(q.name)) continue;
        const id = idField(q.name, fb);
        const rest = queryFor(op).replace('?', '&');
        await attempt(
          op,
          `${aPath}?${q.name}=${encodeURIComponent(String(id))}${rest}`,
          undefined,
          (status, body) => status === 404 || (status === 200 && JSON.parse(body).data.length === 0),
        );
      }
    }
    expect(failures, `${failures.length} of ${tried} cross-church attempts got through`).toEqual([]);
    expect(tried).toBeGreaterThan(80);
    expect(await exportB()).toEqual(before);
  });

  it('a Host or X-Tenant header naming church B does not change the tenant', async () => {
    const headers: Array<Record<string, string>> = [
      { host: `${churchB.slug}.steeple.example` },
      { 'x-tenant': churchB.id },
      { 'x-tenant': churchB.slug },
      { 'x-tenant-id': churchB.id },
      { 'x-church': churchB.slug },
      { 'x-forwarded-host': `${churchB.slug}.steeple.example` },
    ];
    for (const extra of headers) {
      const h = { ...churchA.as('admin'), ...extra };
      expect((await call('GET', '/api/church', h)).json().data.slug, JSON.stringify(extra)).toBe(
        churchA.slug,
      );
      const people = (await call('GET', '/api/people?limit=200', h))
        .json()
        .data.map((p: { id: string }) => p.id);
      expect(people).toContain(fa.person);
      expect(people).not.toContain(fb.person);
      expect((await call('GET', `/api/people/${fb.person}`, h)).statusCode).toBe(404);
    }
  });

  it("a token whose tid claim is changed to church B's is refused (signature)", async () => {
    const [header, payload, signature] = churchA.users.admin.accessToken.split('.') as [
      string,
      string,
      string,
    ];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims.tid).toBe(churchA.id);
    const forged = Buffer.from(JSON.stringify({ ...claims, tid: churchB.id })).toString('base64url');
    const token = `${header}.${forged}.${signature}`;
    for (const url of ['/api/people', `/api/people/${fb.person}`, '/api/church']) {
      const res = await call('GET', url, { authorization: `Bearer ${token}` });
      expect(res.statusCode, url).toBe(401);
    }
  });
});
